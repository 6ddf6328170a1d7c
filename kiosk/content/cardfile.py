"""One card as a Markdown file with YAML front matter: `content/cards/<slug>.md`."""

from dataclasses import dataclass
from pathlib import Path

from kiosk.cards.content import REFERRAL_NEEDS_PLACE, References, empty_content, row_notes
from kiosk.cards.models import CardKind, DocumentForm
from kiosk.errors import ValidationError
from kiosk.markdown_render import check_body

from .fields import SLUG_RE, Reader
from .yamlsource import ContentFileError, dump_yaml, parse_yaml

CARD_KEYS = (
    "kind",
    "title",
    "summary",
    "category",
    "life_situations",
    "department",
    "owner",
    "review_interval_days",
    "service_points",
    "documents",
    "fees",
    "settle",
    "legal_acts",
    "online",
    "appeal",
    "forms",
    "keywords",
    "unverified",
    "effective_date",
)
ONLINE_CHANNELS = ("", "gov.pl", "epuap", "biznes.gov.pl", "other")
NOTE_KEYS = ("source", "unverified")  # any fact may name its source or what is still to be confirmed


@dataclass
class CardFile:
    slug: str
    content: dict
    owner_name: str = ""
    owner_email: str = ""
    review_interval_days: int = 180


def split_front_matter(path, text: str) -> tuple[str, str]:
    if not text.startswith("---\n"):
        raise ContentFileError(path, 1, "", "plik musi zaczynać się od linii „---” i nagłówka YAML")
    end = text.find("\n---\n", 3)
    if end == -1:
        raise ContentFileError(path, None, "", "brak linii „---” zamykającej nagłówek YAML")
    return text[4 : end + 1], text[end + 5 :]


def read_card_file(path: Path, refs: References) -> CardFile:
    """Parse and validate a card file; unknown references and bad values name their line."""
    slug = path.stem
    if not SLUG_RE.match(slug):
        raise ContentFileError(path, None, "", f"nazwa pliku „{slug}” nie jest poprawnym identyfikatorem karty")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentFileError(path, None, "", "plik nie jest zapisany w UTF-8") from None
    header, body = split_front_matter(path, text)
    try:
        check_body(body.strip())
    except ValidationError as exc:
        raise ContentFileError(path, header.count("\n") + 3, "treść", exc.message) from None
    src = parse_yaml(path, header, offset=1)
    root = Reader(src, src.data)
    root.reject_unknown(CARD_KEYS)
    content = empty_content()
    content.update(
        kind=_kind(root),
        title=root.text("title", required=True, max_len=300),
        summary=root.text("summary", max_len=1000),
        category=_ref(root, "category", refs.categories, required=True),
        department=_ref(root, "department", refs.departments),
        appeal=root.text("appeal"),
        effective_date=root.day("effective_date"),
        body=body.strip(),
        keywords=root.strings("keywords", max_len=100),
        unverified=root.strings("unverified"),
    )
    situations = [
        _check_ref(root, f"life_situations[{i}]", s, refs.life_situations)
        for i, s in enumerate(root.strings("life_situations"))
    ]
    # Stored in display order, so an exported file reads back to the same content hash.
    content["life_situations"] = sorted(set(situations), key=lambda s: (refs.life_situations[s].position, s))
    content.update(_settle(root), **_online(root))
    content["service_points"] = [_point(r, refs) for r in root.rows("service_points")]
    content["documents"] = [_document(r) for r in root.rows("documents")]
    content["fees"] = [_fee(r, refs) for r in root.rows("fees")]
    content["legal_acts"] = [_legal_act(r, refs) for r in root.rows("legal_acts")]
    content["forms"] = [_form(r) for r in root.rows("forms")]
    if content["kind"] == CardKind.REFERRAL and not (content["service_points"] or content["online_url"]
                                                     or content["online_text"]):  # fmt: skip
        raise root.error("kind", REFERRAL_NEEDS_PLACE)
    owner = root.mapping("owner")
    owner.reject_unknown(("name", "email"))
    return CardFile(
        slug=slug,
        content=content,
        owner_name=owner.text("name", max_len=120),
        owner_email=owner.text("email", max_len=120),
        review_interval_days=root.integer("review_interval_days", minimum=1, maximum=3650, default=180),
    )


def _ref(reader: Reader, key: str, known: dict, required=False) -> str | None:
    value = reader.slug(key, required=required)
    return _check_ref(reader, key, value, known) if value else None


def _check_ref(reader: Reader, key: str, value: str, known: dict) -> str:
    if value not in known:
        raise reader.error(key, f"nieznana wartość „{value}”")
    return value


def _kind(root: Reader) -> str:
    kind = root.text("kind", default=CardKind.SERVICE.value)
    if kind not in set(CardKind):
        raise root.error("kind", f"dozwolone: {', '.join(k.value for k in CardKind)}")
    return kind


def _settle(root: Reader) -> dict:
    settle = root.mapping("settle")
    settle.reject_unknown(("days", "text", *NOTE_KEYS))
    notes = read_notes(settle)
    return {
        "settle_days": settle.integer("days", maximum=3650),
        "settle_text": settle.text("text"),
        "settle_source": notes.get("source", ""),
        "settle_unverified": notes.get("unverified", ""),
    }


def _online(root: Reader) -> dict:
    online = root.mapping("online")
    online.reject_unknown(("channel", "url", "text", *NOTE_KEYS))
    channel = online.text("channel")
    if channel not in ONLINE_CHANNELS:
        raise online.error("channel", f"dozwolone kanały: {', '.join(c for c in ONLINE_CHANNELS if c)}")
    url = online.link("url", label="Adres usługi online")
    notes = read_notes(online)
    return {"online_channel": channel, "online_url": url, "online_text": online.text("text"),
            "online_source": notes.get("source", ""), "online_unverified": notes.get("unverified", "")}  # fmt: skip


def read_notes(row: Reader) -> dict:
    """A fact's `source` (an https URL, or a document and its date) and `unverified` (what to confirm)."""
    return row_notes({"source": read_source(row), "unverified": row.text("unverified", max_len=500)})


def read_source(row: Reader) -> str:
    source = row.text("source", max_len=500)
    if source.lower().startswith(("http:", "www.")):
        raise row.error("source", "adres źródła musi zaczynać się od https:// (albo podaj dokument i jego datę)")
    return source


def _point(row: Reader, refs: References) -> dict:
    row.reject_unknown(("point", "room", "window", "note"))
    point = _ref(row, "point", refs.locations, required=True)
    return {
        "point": point,
        "room": row.text("room", max_len=120),
        "window": row.text("window", max_len=120),
        "note": row.text("note"),
    }


def _document(row: Reader) -> dict:
    row.reject_unknown(("name", "form", "required", "note"))
    form = row.text("form", default=DocumentForm.ORIGINAL.value)
    if form not in {f.value for f in DocumentForm}:
        raise row.error("form", f"dozwolone: {', '.join(f.value for f in DocumentForm)}")
    return {
        "name": row.text("name", required=True, max_len=1000),
        "form": form,
        "required": row.boolean("required", True),
        "note": row.text("note"),
    }


def _fee(row: Reader, refs: References) -> dict:
    row.reject_unknown(("what", "amount", "how_to_pay", "exemptions", "shared", *NOTE_KEYS))
    shared = _ref(row, "shared", refs.shared_fees)
    return {
        "what": row.text("what", required=True, max_len=1000),
        "amount": row.amount("amount"),
        "how_to_pay": row.text("how_to_pay"),
        "exemptions": row.text("exemptions"),
        "shared": shared,
        **read_notes(row),
    }


def _legal_act(row: Reader, refs: References) -> dict:
    row.reject_unknown(("act", "detail", *NOTE_KEYS))
    act = _ref(row, "act", refs.legal_acts, required=True)
    return {"act": act, "detail": row.text("detail", max_len=200), **read_notes(row)}


def _form(row: Reader) -> dict:
    row.reject_unknown(("title", "url", *NOTE_KEYS))
    url = row.link("url", required=True, label="Adres formularza")
    return {"title": row.text("title", required=True, max_len=300), "url": url, **read_notes(row)}


def render_card_file(card_file: CardFile) -> str:
    """The file text for a card; reading it back gives the same content."""
    c = card_file.content
    data = {
        # Written only for a referral card, so the files of ordinary cards stay as they were.
        "kind": None if c["kind"] == CardKind.SERVICE else c["kind"],
        "title": c["title"],
        "summary": c["summary"],
        "category": c["category"],
        "life_situations": c["life_situations"],
        "department": c["department"],
        "owner": _compact({"name": card_file.owner_name, "email": card_file.owner_email}),
        "review_interval_days": card_file.review_interval_days,
        "service_points": [_compact(p) for p in c["service_points"]],
        "documents": [_compact(d, keep=("required",)) for d in c["documents"]],
        "fees": [_compact({**f, "amount": _amount(f["amount"])}) for f in c["fees"]],
        "settle": _compact({"days": c["settle_days"], "text": c["settle_text"], **_notes(c, "settle")}),
        "legal_acts": [_compact(a) for a in c["legal_acts"]],
        "online": _compact(
            {"channel": c["online_channel"], "url": c["online_url"], "text": c["online_text"], **_notes(c, "online")}
        ),
        "appeal": c["appeal"],
        "forms": [_compact(f) for f in c["forms"]],
        "keywords": c["keywords"],
        "unverified": c["unverified"],
        "effective_date": c["effective_date"],
    }
    header = dump_yaml(_compact(data, keep=("review_interval_days",)))
    body = c["body"].strip()
    return f"---\n{header}---\n\n{body}\n" if body else f"---\n{header}---\n"


def _notes(content: dict, prefix: str) -> dict:
    return {key: content.get(f"{prefix}_{key}", "") for key in NOTE_KEYS}


def _amount(value):
    return None if value is None else f"{value:.2f}"


def _compact(mapping: dict, keep=()) -> dict:
    """Drop empty values so files stay short; the reader fills the same defaults back."""
    return {k: v for k, v in mapping.items() if k in keep or v not in (None, "", [], {})}
