"""Published editions' rows as a snapshot, hydrated against cached shared facts on read.

An edition's rows never change once it is submitted, so the snapshot written at publication is exact.
Hydrated rows are transient objects set as already-loaded collections: reading them issues no query
and nothing is ever flushed from them.
"""

from collections import OrderedDict
from decimal import Decimal
from threading import Lock

from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.instrumentation import manager_of_class

from kiosk.facts.models import Category, Department, FormFile, LegalAct, LifeSituation, Location, SharedFee
from kiosk.markdown_render import render_markdown
from kiosk.process_caches import process_cache

from .models import (
    Card,
    DocumentForm,
    Edition,
    EditionDocument,
    EditionFee,
    EditionForm,
    EditionLegalAct,
    EditionPoint,
)


def build_snapshot(edition: Edition) -> dict:
    """The edition's rows by value, with shared facts by id, and its body rendered once."""
    return {
        "body_html": str(render_markdown(edition.body)),
        "life_situations": [ls.id for ls in edition.life_situations],
        "documents": [[d.name, d.form.value, d.required, d.note] for d in edition.documents],
        "fees": [
            [
                f.what,
                None if f.amount is None else str(f.amount),
                f.how_to_pay,
                f.exemptions,
                f.shared_fee.id if f.shared_fee else None,
                f.source,
                f.unverified,
            ]
            for f in edition.fees
        ],
        "points": [[p.location.id, p.room, p.window, p.note] for p in edition.points],
        "legal_acts": [[a.legal_act.id, a.detail, a.source, a.unverified] for a in edition.legal_acts],
        "forms": [[f.form_file.id, f.link_text, f.source, f.unverified] for f in edition.forms],
        "prepared_by": edition.prepared_by,
    }


_RENDERED: OrderedDict = process_cache(OrderedDict())
_RENDERED_LOCK = Lock()
RENDERED_SIZE = 4096


def body_html(edition: Edition) -> Markup:
    """The edition's body as safe HTML: stored at publication, else rendered once per process.

    Pages and kiosk screens never render Markdown on a request for an edition they have seen: editions
    published before the body was stored are rendered on first use and kept under their id and content
    hash (an edition's content never changes once submitted).
    """
    stored = (edition.rows_snapshot or {}).get("body_html")
    if stored is not None:
        return Markup(stored)
    key = (edition.id, edition.content_hash)
    with _RENDERED_LOCK:
        html = _RENDERED.get(key)
        if html is not None:
            _RENDERED.move_to_end(key)
            return html
    html = render_markdown(edition.body)
    with _RENDERED_LOCK:
        _RENDERED[key] = html
        while len(_RENDERED) > RENDERED_SIZE:
            _RENDERED.popitem(last=False)
    return html


def hydrate_card(card: Card, facts: dict) -> None:
    """Fill the card's live edition and references from its snapshot and the facts cache."""
    set_committed_value(card, "owner_department", facts[Department].get(card.owner_department_id))
    edition = card.live_edition
    snap = edition.rows_snapshot
    set_committed_value(edition, "category", facts[Category].get(edition.category_id))
    set_committed_value(edition, "department", facts[Department].get(edition.department_id))
    set_committed_value(edition, "life_situations", [facts[LifeSituation][i] for i in snap["life_situations"]])
    set_committed_value(
        edition,
        "documents",
        [
            _row(EditionDocument, edition, i, name=n, form=DocumentForm(f), required=r, note=note)
            for i, (n, f, r, note) in enumerate(snap["documents"])
        ],
    )
    set_committed_value(
        edition,
        "fees",
        [
            _row(
                EditionFee,
                edition,
                i,
                what=w,
                amount=None if a is None else Decimal(a),
                how_to_pay=h,
                exemptions=x,
                shared_fee_id=s,
                shared_fee=facts[SharedFee].get(s),
                source=src,
                unverified=unv,
            )
            for i, (w, a, h, x, s, src, unv) in enumerate(_padded(snap["fees"], 7))
        ],
    )
    set_committed_value(
        edition,
        "points",
        [
            _row(EditionPoint, edition, i, location_id=loc, location=facts[Location][loc], room=r, window=w, note=n)
            for i, (loc, r, w, n) in enumerate(snap["points"])
        ],
    )
    set_committed_value(
        edition,
        "legal_acts",
        [
            _row(
                EditionLegalAct,
                edition,
                i,
                legal_act_id=a,
                legal_act=facts[LegalAct][a],
                detail=d,
                source=src,
                unverified=unv,
            )
            for i, (a, d, src, unv) in enumerate(_padded(snap["legal_acts"], 4))
        ],
    )
    set_committed_value(
        edition,
        "forms",
        [
            _row(
                EditionForm,
                edition,
                i,
                form_file_id=f,
                title=title,
                form_file=facts[FormFile][f],
                source=src,
                unverified=unv,
            )
            # Snapshots written before forms carried their own link text and sources hold the bare file id.
            for i, (f, title, src, unv) in enumerate(_padded(snap["forms"], 4))
        ],
    )


def _padded(rows: list, width: int) -> list:
    """Rows of snapshots written before sources existed lack the trailing source and doubt: empty."""
    return [([*row] if isinstance(row, list) else [row]) + [""] * (width - (len(row) if isinstance(row, list) else 1))
            for row in rows]  # fmt: skip


def _row(model, edition: Edition, position: int, **values):
    row = manager_of_class(model).new_instance()  # transient, built without attribute events
    # Loaded values without history, as the ORM stores them (set_committed_value per key, but cheaper).
    row.__dict__.update(edition_id=edition.id, position=position, _hydrated=True, **values)
    return row


@event.listens_for(Session, "before_flush")
def _never_insert_hydrated_rows(session, flush_context, instances):
    """Hydrated rows are copies of stored rows; if a cascade picked one up, it must not be inserted."""
    for obj in list(session.new):
        if getattr(obj, "_hydrated", False):
            session.expunge(obj)
