"""An edition's content as a plain dict with slugs for references.

The same dict shape is read from `content/cards/*.md`, written back by export, hashed to make
re-imports idempotent, and compared field by field by the diff.
"""

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from kiosk.errors import ValidationError
from kiosk.extensions import db
from kiosk.facts.amounts import parse_amount
from kiosk.facts.models import Category, Department, FormFile, LegalAct, LifeSituation, Location, SharedFee
from kiosk.links import check_link
from kiosk.markdown_render import check_body

from .models import (
    CardKind,
    DocumentForm,
    Edition,
    EditionDocument,
    EditionFee,
    EditionForm,
    EditionLegalAct,
    EditionPoint,
)

# Edition columns that a content dict carries as they are; references and rows are handled apart.
PLAIN_FIELDS = ("title", "summary", "settle_days", "settle_text", "online_channel", "online_url", "online_text",
                "appeal", "effective_date", "body", "settle_source", "settle_unverified", "online_source",
                "online_unverified", "kind")  # fmt: skip
# Every fee, legal act and form row may name its source or what is still to be confirmed about it.
NOTE_KEYS = ("source", "unverified")
OPTIONAL_FIELDS = ("settle_days", "effective_date")  # None when unset; the other plain fields are text
LIST_FIELDS = ("life_situations", "service_points", "documents", "fees", "legal_acts", "forms", "keywords",
               "unverified")  # fmt: skip


def empty_content() -> dict:
    """A content dict with every field at its empty value."""
    plain = {name: None if name in OPTIONAL_FIELDS else "" for name in PLAIN_FIELDS}
    plain["kind"] = CardKind.SERVICE.value
    return {**plain, "category": None, "department": None, **{name: [] for name in LIST_FIELDS}}


def edition_to_content(edition: Edition) -> dict:
    """The edition's content, references by slug, in a stable order."""
    return {
        **{name: getattr(edition, name) for name in PLAIN_FIELDS},
        "category": edition.category.slug if edition.category else None,
        "department": edition.department.slug if edition.department else None,
        "life_situations": [ls.slug for ls in edition.life_situations],
        "service_points": [
            {"point": p.location.slug, "room": p.room, "window": p.window, "note": p.note} for p in edition.points
        ],
        "documents": [
            {"name": d.name, "form": d.form.value, "required": d.required, "note": d.note} for d in edition.documents
        ],
        "fees": [
            {
                "what": f.what,
                "amount": f.amount,
                "how_to_pay": f.how_to_pay,
                "exemptions": f.exemptions,
                "shared": f.shared_fee.slug if f.shared_fee else None,
                **_notes(f),
            }
            for f in edition.fees
        ],
        "legal_acts": [{"act": a.legal_act.slug, "detail": a.detail, **_notes(a)} for a in edition.legal_acts],
        "forms": [{"title": f.link_text, "url": f.form_file.url, **_notes(f)} for f in edition.forms],
        "keywords": list(edition.keywords or []),
        "unverified": list(edition.unverified or []),
    }


def _notes(row) -> dict:
    return row_notes({key: getattr(row, key, "") for key in NOTE_KEYS})


def row_notes(row: dict) -> dict:
    """A content row's source and open doubt; a row carries these keys only when they are set."""
    return {key: row[key] for key in NOTE_KEYS if row.get(key)}


def _note_values(row: dict) -> dict:
    return {key: row.get(key) or "" for key in NOTE_KEYS}


def content_hash(content: dict) -> str:
    """A stable fingerprint of an edition's content."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=_json_default)
    return hashlib.sha256(canonical.encode()).hexdigest()


def signoff_hash(edition: Edition) -> str:
    """The fingerprint a sign-off is tied to: the edition's full content, rows included, as stored now.

    The effective date is left out: it is when the content goes live, and the publisher may set it.
    Life situations are a set (pages order them by their own position), so their order does not count.
    """
    content = edition_to_content(edition)
    content.pop("effective_date")
    content["life_situations"] = sorted(content["life_situations"])
    return content_hash(content)


def _json_default(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value.isoformat()


@dataclass
class References:
    """Shared facts by slug, loaded once so building many editions costs no extra queries."""

    categories: dict = field(default_factory=dict)
    departments: dict = field(default_factory=dict)
    life_situations: dict = field(default_factory=dict)
    locations: dict = field(default_factory=dict)
    legal_acts: dict = field(default_factory=dict)
    shared_fees: dict = field(default_factory=dict)
    forms: dict = field(default_factory=dict)

    @classmethod
    def load(cls) -> "References":
        def by(model, key="slug"):
            return {getattr(o, key): o for o in db.session.scalars(select(model))}

        return cls(
            categories=by(Category),
            departments=by(Department),
            life_situations=by(LifeSituation),
            locations=by(Location),
            legal_acts=by(LegalAct),
            shared_fees=by(SharedFee),
            forms=by(FormFile, "url"),
        )

    def get(self, kind: str, slug: str, field_name: str):
        found = getattr(self, kind).get(slug)
        if found is None:
            raise ValidationError(f"nieznana wartość „{slug}” w polu {field_name}", field_name)
        return found

    def form(self, title: str, url: str) -> FormFile:
        """A shared form file by URL, created on first use; an existing file is never changed here.

        The link text a card shows is the edition's own (`EditionForm.title`), so saving a draft never
        alters what another card shows today.
        """
        form = self.forms.get(url)
        if form is None:
            form = FormFile(url=url, title=title)
            db.session.add(form)
            self.forms[url] = form
        return form


REFERRAL_NEEDS_PLACE = "karta-skierowanie (kind: referral) musi wskazać instytucję (service_points) albo kanał online"


def check_kind(content: dict) -> None:
    """A card is a service or a referral; a referral must say where to go (a place or an online channel)."""
    kind = content.get("kind")
    if kind not in set(CardKind):
        raise ValidationError(f"nieznany rodzaj karty „{kind}”; dozwolone: service, referral", "kind")
    if kind == CardKind.REFERRAL and not (content["service_points"] or content["online_url"] or content["online_text"]):
        raise ValidationError(REFERRAL_NEEDS_PLACE, "kind")


def check_sources(content: dict) -> None:
    """A source is an https address or a document and its date; a plain-http address is refused."""
    rows = [(f"{key}[{i}].source", row.get("source")) for key in ("fees", "legal_acts", "forms")
            for i, row in enumerate(content[key])]  # fmt: skip
    rows += [(f"{key}.source", content[f"{key}_source"]) for key in ("settle", "online")]
    for field_name, value in rows:
        if (value or "").strip().lower().startswith(("http:", "www.")):
            raise ValidationError(f"{field_name}: adres źródła musi zaczynać się od https://", field_name)


def check_content_links(content: dict) -> None:
    """Every address the content links to follows the one rule of `kiosk.links` (whoever saves it)."""
    check_link(content["online_url"], "Adres usługi online", "online_url")
    for form in content["forms"]:
        if not form["url"]:
            raise ValidationError("Podaj adres formularza.", "forms")
        check_link(form["url"], "Adres formularza", "forms")


def check_fee_amounts(content: dict) -> None:
    """Every fee amount follows the one rule of `kiosk.facts.amounts` (whoever saves it)."""
    for i, fee in enumerate(content["fees"]):
        parse_amount(fee["amount"], f"fees[{i}].amount")


def apply_content(edition: Edition, content: dict, refs: References) -> None:
    """Set an editable edition's fields and rows from a content dict."""
    check_body(content["body"])  # every way in (save, import, revert) is bounded before any rendering
    check_kind(content)
    check_fee_amounts(content)
    check_sources(content)
    check_content_links(content)
    for name in PLAIN_FIELDS:
        setattr(edition, name, content[name])
    edition.category = refs.get("categories", content["category"], "category") if content["category"] else None
    edition.department = refs.get("departments", content["department"], "department") if content["department"] else None
    edition.life_situations = [refs.get("life_situations", s, "life_situations") for s in content["life_situations"]]
    edition.keywords = list(content["keywords"])
    edition.unverified = list(content["unverified"])
    edition.points = [
        EditionPoint(
            position=i,
            location=refs.get("locations", p["point"], "service_points"),
            room=p["room"],
            window=p["window"],
            note=p["note"],
        )
        for i, p in enumerate(content["service_points"])
    ]
    edition.documents = [
        EditionDocument(
            position=i, name=d["name"], form=DocumentForm(d["form"]), required=d["required"], note=d["note"]
        )
        for i, d in enumerate(content["documents"])
    ]
    edition.fees = [
        EditionFee(
            position=i,
            what=f["what"],
            amount=f["amount"],
            how_to_pay=f["how_to_pay"],
            exemptions=f["exemptions"],
            shared_fee=refs.get("shared_fees", f["shared"], "fees.shared") if f["shared"] else None,
            **_note_values(f),
        )
        for i, f in enumerate(content["fees"])
    ]
    edition.legal_acts = [
        EditionLegalAct(
            position=i,
            legal_act=refs.get("legal_acts", a["act"], "legal_acts"),
            detail=a["detail"],
            **_note_values(a),
        )
        for i, a in enumerate(content["legal_acts"])
    ]
    edition.forms = [
        EditionForm(position=i, title=f["title"], form_file=refs.form(f["title"], f["url"]), **_note_values(f))
        for i, f in enumerate(content["forms"])
    ]
    edition.content_hash = content_hash(content)
