"""Markdown to safe HTML: the one renderer for public pages, the kiosk and the editor preview.

The parser is markdown-it-py (CommonMark plus tables), which is linear on hostile input: thousands of
`[`, backticks, emphasis markers or nested lists render in milliseconds (Python-Markdown took ~90 s for
16,000 `[`), and nesting is capped. Bodies are bounded to MAX_BODY_CHARS on every path in
(`check_body`, called by the card content rules) and here, so no request can ask for unbounded work.
"""

from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

from kiosk.errors import ValidationError

# About five times the longest card in content/ (~4,400 characters); the limit is in docs/content.md.
MAX_BODY_CHARS = 20_000

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "abbr",
    "small",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "td": {"colspan"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


_PARSER = MarkdownIt("commonmark", {"html": True, "maxNesting": 20}).enable("table")
# Every link becomes an <a>; nh3 below is the one place that decides which URL schemes survive.
_PARSER.validateLink = lambda url: True


def check_body(text: str | None) -> None:
    """Refuse a card body longer than MAX_BODY_CHARS with a message an editor can act on."""
    if text and len(text) > MAX_BODY_CHARS:
        raise ValidationError(
            f"Treść karty ma {len(text):,} znaków; dopuszczalne jest {MAX_BODY_CHARS:,}. "
            "Skróć opis albo przenieś szczegóły do załącznika.".replace(",", " "),
            "body",
        )


def render_markdown(text: str | None) -> Markup:
    """Render editor Markdown; scripts, event handlers and javascript: links never survive."""
    check_body(text)
    html = _PARSER.render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return Markup(clean)


def preview_markdown(text: str | None) -> Markup:
    """The editor's preview: the rendered body, or the size limit's message when the body is over it."""
    try:
        return render_markdown(text)
    except ValidationError as exc:
        return Markup('<p class="preview-error">{}</p>').format(exc.message)


BLOCK_TAGS = {"p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "table", "ul", "ol", "hr"}


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS or tag == "br":
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("• ")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data.replace("\n", " "))


def markdown_text(text: str | None) -> str:
    """The body as a reader sees it, as plain text: rendered Markdown without markup (no `##`, no `**`).

    Blocks (paragraphs, headings, list items) are separated by a line break, list items start with "• ";
    public history diffs this text word by word, so a change reads like the card, not like its source.
    """
    collector = _TextCollector()
    collector.feed(str(render_markdown(text)))
    collector.close()
    lines = [" ".join(line.split()) for line in "".join(collector.parts).split("\n")]
    return "\n".join(line for line in lines if line and line != "•")
