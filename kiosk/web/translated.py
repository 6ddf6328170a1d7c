"""Card pages in the reader's language: the published translation over the live Polish facts, never a silent mix."""

from functools import lru_cache

from flask import g, url_for
from markupsafe import Markup

from kiosk.cards.snapshot import body_html
from kiosk.cards.translation_view import CardLanguage, localize_card, translated_languages, translation_stamp
from kiosk.markdown_render import render_markdown

from .services import Stamp

__all__ = ["alternates_of", "card_body_html", "card_page_stamp", "content_language", "localize_card"]


def card_page_stamp(stamp: Stamp, slug: str, lang: str) -> tuple[Stamp, bool]:
    """The card page's stamp extended by its translation (publish, behind) and whether one exists."""
    if lang == "pl":
        return stamp, False
    part = translation_stamp(slug, lang)
    g.translation_stamp = part
    modified = max(filter(None, (stamp.modified, *part[1:3])))
    return Stamp((*stamp.parts, lang, *part), modified, stamp.facts), bool(part and part[0])


def content_language(response, lang: str, translated: bool):
    """`Content-Language`: the reader's language when the text is translated, else Polish (and the labels' language)."""
    response.headers["Content-Language"] = lang if translated or lang == "pl" else f"pl, {lang}"
    return response


def card_body_html(shown: CardLanguage, live_edition) -> Markup:
    """The card body as HTML; a Polish body inside a translated page is marked as Polish.

    The Polish body comes from the edition's stored HTML (`body_html`); a translated body is rendered once
    per process and text (bounded like every body)."""
    text = shown.edition.body or ""
    body = (body_html(live_edition) if text == live_edition.body else _translated_html(text)) if text else ""
    if body and shown.translation is not None and not getattr(shown, "body_translated", False):
        return Markup('<div lang="pl">') + body + Markup("</div>")
    return body


@lru_cache(maxsize=512)
def _translated_html(text: str) -> Markup:
    return render_markdown(text)


def alternates_of(card) -> list[tuple[str, str]]:
    """(hreflang, address) of the card page in Polish and in each language it is translated into."""
    languages = ["pl", *translated_languages([card.id]).get(card.id, [])]
    base = url_for("web.card", slug=card.slug, _external=True)
    return [(code, base if code == "pl" else f"{base}?lang={code}") for code in languages] + [("x-default", base)]
