"""Staleness follows dependencies: a change to a shared fact flags every card whose live edition links it.

`flag_dependents` finds the cards with one query over the explicit link tables. A Session `after_flush`
listener calls it for every relevant change, so the admin screens, the content import and scripts all
flag cards the same way; a second listener clears dependency flags when a card is verified again
(confirmed as accurate, or a new edition published).
"""

from dataclasses import dataclass

from sqlalchemy import and_, event, exists, insert, inspect, select, update
from sqlalchemy.orm import Session

from kiosk.cards.models import Card, Edition, EditionFee, EditionForm, EditionLegalAct, EditionPoint
from kiosk.clock import now
from kiosk.extensions import db
from kiosk.facts.models import Department, FormFile, LegalAct, LegalActStatus, Location, SharedFee
from kiosk.formatting import format_pln

from .models import FlagSource, ReviewFlag


@dataclass(frozen=True)
class Watch:
    kind: str
    fields: dict[str, str]  # attribute → how an editor calls it
    link: object  # the link table's column pointing at the fact (joined on the card's live edition)


WATCHES = {
    LegalAct: Watch("legal_act", {"status": "status"}, EditionLegalAct.legal_act_id),
    Location: Watch("location", {"opening_hours": "godziny otwarcia", "rooms": "stanowiska i pokoje",
                                 "handles": "zakres spraw"}, EditionPoint.location_id),
    Department: Watch("department", {"phone": "telefon", "email": "e-mail", "address": "adres"},
                      Edition.department_id),
    FormFile: Watch("form_file", {"url": "adres pliku", "sha256": "treść pliku"}, EditionForm.form_file_id),
    SharedFee: Watch("shared_fee", {"amount": "kwota"}, EditionFee.shared_fee_id),
}  # fmt: skip
KINDS = {watch.kind: watch for watch in WATCHES.values()}
SUBJECT_NAMES = {"legal_act": "akt prawny", "location": "punkt obsługi", "department": "wydział",
                 "form_file": "formularz", "shared_fee": "opłata wspólna"}  # fmt: skip


def dependents_query(kind: str, subject_id: int):
    """Ids of cards whose live edition links the fact: one query over one link table."""
    link = KINDS[kind].link
    query = select(Card.id).distinct()
    if link.table is Edition.__table__:
        return query.join(Edition, Edition.id == Card.live_edition_id).where(link == subject_id)
    return query.join(link.table, link.table.c.edition_id == Card.live_edition_id).where(link == subject_id)


def flag_dependents(kind: str, obj, reason: str, *, code: str | None = None, detail: str = "") -> list[int]:
    """Flag every card depending on `obj` as needing review; returns the ids newly flagged.

    A card that already has an open flag for the same fact and code is not flagged twice.
    """
    code = code or f"{kind}_changed"
    already = exists().where(
        and_(ReviewFlag.card_id == Card.id, ReviewFlag.source == FlagSource.DEPENDENCY, ReviewFlag.code == code,
             ReviewFlag.subject_type == kind, ReviewFlag.subject_id == obj.id, ReviewFlag.resolved_at.is_(None))
    )  # fmt: skip
    connection = db.session.connection()
    ids = list(connection.scalars(dependents_query(kind, obj.id).where(~already)))
    if ids:
        at = now()
        rows = [{"card_id": card_id, "source": FlagSource.DEPENDENCY, "code": code, "reason": reason,
                 "subject_type": kind, "subject_id": obj.id, "detail": detail[:300], "created_at": at,
                 "resolved_by": "", "resolution": ""} for card_id in ids]  # fmt: skip
        connection.execute(insert(ReviewFlag), rows)
    return ids


def describe_change(obj, changed: dict[str, tuple]) -> tuple[str, str] | None:
    """(code, reason) for a change that makes dependent cards stale, or None when it does not."""
    kind = WATCHES[type(obj)].kind
    if kind == "legal_act":
        new = LegalActStatus(changed["status"][1])
        if new == LegalActStatus.IN_FORCE:
            return None
        word = "zmieniony (nowelizacja)" if new == LegalActStatus.AMENDED else "uchylony"
        return f"legal_act_{new.value}", f"Akt prawny „{obj.title}” oznaczono jako {word}."
    if kind == "shared_fee":
        old, new = changed["amount"]
        return "shared_fee_changed", f"Zmieniła się kwota opłaty „{obj.what}”: {format_pln(old)} → {format_pln(new)}."
    fields = ", ".join(WATCHES[type(obj)].fields[name] for name in changed)
    label = {"location": "punktu obsługi", "department": "wydziału", "form_file": "formularza"}[kind]
    name = getattr(obj, "display_name", None) or getattr(obj, "name", None) or getattr(obj, "title", "")
    return f"{kind}_changed", f"Zmiana danych {label} „{name}”: {fields}."


def _changes(obj) -> dict[str, tuple]:
    """{attribute: (old, new)} for the watched attributes that really changed in this flush."""
    state = inspect(obj)
    changed = {}
    for name in WATCHES[type(obj)].fields:
        history = state.attrs[name].history
        if not history.added:
            continue
        old = history.deleted[0] if history.deleted else None
        if old != history.added[0]:
            changed[name] = (old, history.added[0])
    return changed


def _keep_old_value(target, value, oldvalue, initiator):
    """Nothing to do: registering with active_history is the point."""


# Load the previous value when a watched attribute is set, so a reason can say "17,00 zł → 20,00 zł"
# and an unchanged value set again is not taken for a change.
for _model, _watch in WATCHES.items():
    for _name in _watch.fields:
        event.listen(getattr(_model, _name), "set", _keep_old_value, active_history=True)


@event.listens_for(Session, "after_flush")
def _flag_on_fact_change(session, flush_context):
    """Every flushed change to a watched fact flags the dependent cards, whoever made it."""
    for obj in list(session.dirty):
        watch = WATCHES.get(type(obj))
        if watch is None:
            if isinstance(obj, Card):
                _clear_on_verification(session, obj)
            continue
        changed = _changes(obj)
        described = describe_change(obj, changed) if changed else None
        if described is not None:
            code, reason = described
            flag_dependents(watch.kind, obj, reason, code=code, detail=", ".join(changed))


def _clear_on_verification(session, card: Card) -> None:
    """A card verified again (confirmed or a new edition published) is reviewed: close its dependency flags."""
    state = inspect(card)
    verified = state.attrs.last_verified_at.history
    if not verified.added or verified.added[0] is None:
        return
    published = bool(state.attrs.live_edition_id.history.added or state.attrs.live_edition.history.added)
    session.connection().execute(
        update(ReviewFlag)
        .where(ReviewFlag.card_id == card.id, ReviewFlag.source == FlagSource.DEPENDENCY,
               ReviewFlag.resolved_at.is_(None), ReviewFlag.created_at <= verified.added[0])
        .values(resolved_at=verified.added[0], resolved_by=card.last_verified_by or "",
                resolution="published" if published else "confirmed")
    )  # fmt: skip
