"""A card's translation as a file next to it: `content/cards/<slug>.en.md` and `<slug>.uk.md`.

The header carries the translated texts in the order of the Polish card's rows, whether an owner has
reviewed them, and `source`: the fingerprint of the Polish texts they translate. A translation whose
`source` no longer matches the Polish card is imported as behind (its texts are not shown for the
changed parts). Numbers, dates, addresses and legal references are never in these files.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from .cardfile import split_front_matter
from .fields import SLUG_RE, Reader
from .yamlsource import ContentFileError, dump_yaml, parse_yaml

TRANSLATION_NAME = re.compile(r"^(?P<slug>[a-z0-9-]+)\.(?P<language>en|uk)\.md$")
KEYS = ("title", "summary", "documents", "document_notes", "fees", "settle", "where", "reviewed", "source")


@dataclass
class TranslationFile:
    slug: str
    language: str
    texts: dict
    reviewed: bool = False
    source: str = ""


def is_translation_path(path: Path) -> bool:
    return path.name.count(".") > 1


def translation_paths(directory: Path) -> list[Path]:
    return sorted(p for p in (directory / "cards").glob("*.*.md"))


def read_translation_file(path: Path) -> TranslationFile:
    """Parse and validate a translation file; errors name the line."""
    match = TRANSLATION_NAME.match(path.name)
    if not match or not SLUG_RE.match(match["slug"]):
        raise ContentFileError(path, None, "", "plik tłumaczenia nazywa się <karta>.en.md albo <karta>.uk.md")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentFileError(path, None, "", "plik nie jest zapisany w UTF-8") from None
    header, body = split_front_matter(path, text)
    src = parse_yaml(path, header, offset=1)
    root = Reader(src, src.data)
    root.reject_unknown(KEYS)
    texts = {
        "title": root.text("title", required=True, max_len=300),
        "summary": root.text("summary", max_len=1000),
        "documents": root.strings("documents", max_len=1000),
        "document_notes": root.strings("document_notes", max_len=2000),
        "fees": [
            {"what": row.text("what"), "how_to_pay": row.text("how_to_pay"), "exemptions": row.text("exemptions")}
            for row in root.rows("fees")
        ],
        "settle_text": root.text("settle"),
        "point_notes": root.strings("where", max_len=2000),
        "body": body.strip(),
    }
    source = root.text("source", max_len=64)
    return TranslationFile(match["slug"], match["language"], texts, root.boolean("reviewed", False), source)


def render_translation_file(tf: TranslationFile) -> str:
    """The file text; reading it back gives the same translation."""
    t = tf.texts
    data = {
        "title": t["title"],
        "summary": t.get("summary", ""),
        "documents": list(t.get("documents") or []),
        "document_notes": _trim(t.get("document_notes")),
        "fees": [{k: v for k, v in f.items() if v} for f in t.get("fees") or []],
        "settle": t.get("settle_text", ""),
        "where": _trim(t.get("point_notes")),
        "reviewed": tf.reviewed,
        "source": tf.source,
    }
    header = dump_yaml({k: v for k, v in data.items() if k == "reviewed" or v not in (None, "", [], {})})
    body = (t.get("body") or "").strip()
    return f"---\n{header}---\n\n{body}\n" if body else f"---\n{header}---\n"


def _trim(values) -> list:
    """Row texts by position: trailing empty rows are left out of the file."""
    values = list(values or [])
    while values and not values[-1]:
        values.pop()
    return values
