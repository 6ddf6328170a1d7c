"""Shared facts files: `content/locations.yaml`, `departments.yaml`, and the rest.

Each file is a list of records keyed by slug. Import updates records in place (their ids, and so
every card's reference to them, stay), audits each change, and never deletes a record a card uses.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from kiosk.audit import record_audit
from kiosk.extensions import db
from kiosk.facts.models import (
    WEEKDAYS,
    Category,
    Department,
    LegalAct,
    LegalActStatus,
    LifeSituation,
    Location,
    SharedFee,
)
from kiosk.facts.services import SLUG_RE

from .cardfile import read_source
from .fields import Reader
from .yamlsource import ContentFileError, dump_yaml, parse_yaml

HOURS_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class FactSpec:
    filename: str
    model: type
    # (name, kind) pairs; kinds: text, longtext, link, int, bool, strings, hours, rooms, coord, status, amount,
    # source and doubt (a fact's source and what is still to be confirmed), doubts (a list; one string is allowed)
    fields: tuple


SPECS = (
    FactSpec(
        "categories.yaml",
        Category,
        (("name", "text!"), ("name_en", "text"), ("name_uk", "text"), ("description", "longtext"), ("position", "int")),
    ),
    FactSpec(
        "life-situations.yaml",
        LifeSituation,
        (
            ("name", "text!"),
            ("name_en", "text"),
            ("name_uk", "text"),
            ("description", "longtext"),
            ("position", "int"),
            ("order", "slugs"),
        ),
    ),
    FactSpec(
        "departments.yaml",
        Department,
        (
            ("name", "text!"),
            ("phone", "text"),
            ("email", "text"),
            ("address", "text"),
            ("head_name", "text"),
            ("head_email", "text"),
            ("cards_contact_name", "text"),
            ("cards_contact_email", "text"),
            ("unverified", "strings"),
        ),
    ),
    FactSpec(
        "locations.yaml",
        Location,
        (
            ("name", "text!"),
            ("short_name", "text"),
            ("name_en", "text"),
            ("address", "text!"),
            ("is_service_point", "bool"),
            ("position", "int"),
            ("opening_hours", "hours"),
            ("hours_note", "longtext"),
            ("rooms", "rooms"),
            ("handles", "strings"),
            ("accessibility", "longtext"),
            ("payment", "longtext"),
            ("phone", "text"),
            ("email", "text"),
            ("latitude", "coord"),
            ("longitude", "coord"),
            ("unverified", "doubts"),
            ("source", "source"),
        ),
    ),
    FactSpec(
        "legal-acts.yaml",
        LegalAct,
        (
            ("title", "longtext!"),
            ("reference", "text"),
            ("url", "link"),
            ("status", "status"),
            ("source", "source"),
            ("unverified", "doubt"),
        ),
    ),
    FactSpec(
        "shared-fees.yaml",
        SharedFee,
        (
            ("what", "text!"),
            ("amount", "amount"),
            ("how_to_pay", "longtext"),
            ("exemptions", "longtext"),
            ("source", "source"),
            ("unverified", "doubt"),
        ),
    ),
)


def read_fact_file(directory: Path, spec: FactSpec) -> list[dict]:
    """Validated records of one facts file (missing file: no records)."""
    path = directory / spec.filename
    if not path.exists():
        return []
    src = parse_yaml(path, path.read_text(encoding="utf-8"))
    if src.data is None:
        return []
    if not isinstance(src.data, list):
        raise ContentFileError(path, 1, "", "oczekiwano listy rekordów")
    records, seen = [], set()
    for i, item in enumerate(src.data):
        row = Reader(src, item, f"[{i}]")
        row.reject_unknown(("slug", *(name for name, _ in spec.fields)))
        slug = row.slug("slug", required=True)
        if slug in seen:
            raise row.error("slug", f"powtórzony identyfikator „{slug}”")
        seen.add(slug)
        records.append({"slug": slug, **{name: _read(row, name, kind) for name, kind in spec.fields}})
    return records


def _read(row: Reader, name: str, kind: str):
    required = kind.endswith("!")
    kind = kind.rstrip("!")
    if kind in ("text", "longtext"):
        return row.text(name, required=required, max_len=300 if kind == "text" else 5000)
    if kind == "link":
        return row.link(name, label="Adres aktu prawnego")
    if kind == "int":
        return row.integer(name, default=0)
    if kind == "bool":
        return row.boolean(name, False)
    if kind == "strings":
        return row.strings(name)
    if kind == "slugs":  # card slugs in order; whether each card exists is `flask content check`'s matter
        slugs = row.strings(name)
        for slug in slugs:
            if not SLUG_RE.match(slug):
                raise row.error(name, f"„{slug[:60]}” nie jest identyfikatorem karty")
        if len(set(slugs)) != len(slugs):
            raise row.error(name, "karta wymieniona dwa razy")
        return slugs
    if kind == "doubts":
        return row.strings(name) if not isinstance(row.data.get(name), str) else [row.text(name, max_len=500)]
    if kind == "source":
        return read_source(row)
    if kind == "doubt":
        return row.text(name, max_len=500)
    if kind == "amount":
        return row.amount(name)
    if kind == "coord":
        return row.coordinate(name)
    if kind == "status":
        value = row.text(name, default=LegalActStatus.IN_FORCE.value)
        if value not in {s.value for s in LegalActStatus}:
            raise row.error(name, f"dozwolone: {', '.join(s.value for s in LegalActStatus)}")
        return LegalActStatus(value)
    if kind == "hours":
        return _hours(row.mapping(name))
    return _rooms(row, name)


def _hours(hours: Reader) -> dict:
    hours.reject_unknown(WEEKDAYS)
    out = {}
    for day in WEEKDAYS:
        spans = hours.strings(day)
        for i, span in enumerate(spans):
            if not HOURS_RE.match(span) or span[:5] >= span[6:]:
                raise hours.src.error(f"{hours.path(day)}[{i}]", f"„{span}” nie jest przedziałem GG:MM-GG:MM")
        if spans:
            out[day] = spans
    return out


def _rooms(row: Reader, name: str) -> list:
    rooms = []
    for room in row.rows(name):
        room.reject_unknown(("name", "note"))
        rooms.append({"name": room.text("name", required=True, max_len=120), "note": room.text("note")})
    return rooms


def upsert_facts(directory: Path, actor) -> dict[str, int]:
    """Create or update every record in the facts files; returns counts of changed records per file."""
    changed = {}
    for spec in SPECS:
        records = read_fact_file(directory, spec)
        existing = {o.slug: o for o in db.session.scalars(select(spec.model))}
        count = 0
        for record in records:
            obj = existing.get(record["slug"])
            if obj is None:
                obj = spec.model(slug=record["slug"])
                db.session.add(obj)
            fields = [k for k, v in record.items() if getattr(obj, k) != v]
            if fields:
                for key in fields:
                    setattr(obj, key, record[key])
                db.session.flush()
                record_audit(actor, "import_fact", obj, fields=fields)
                count += 1
        changed[spec.filename] = count
    return changed


def export_facts(directory: Path) -> None:
    """Write every facts file from the database, in a stable order."""
    for spec in SPECS:
        order = getattr(spec.model, "position", None)
        query = select(spec.model).order_by(*([order] if order is not None else []), spec.model.slug)
        records = [_record(obj, spec) for obj in db.session.scalars(query)]
        (directory / spec.filename).write_text(dump_yaml(records), encoding="utf-8")


def _record(obj, spec: FactSpec) -> dict:
    out = {"slug": obj.slug}
    for name, kind in spec.fields:
        value = getattr(obj, name)
        if kind.rstrip("!") in ("amount", "coord") and value is not None:
            value = f"{value:.2f}" if kind == "amount" else f"{value:.6f}"
        elif kind == "status":
            value = value.value
        if value not in (None, "", [], {}) or kind.endswith("!"):
            out[name] = value
    return out
