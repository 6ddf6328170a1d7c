"""The intake lifecycle: one function per transition, each writing a `CaseEvent`.

registered → complete | incomplete → (supplement) complete | (deadline passed) left_unprocessed;
complete → at_department (receipt confirmed by the receiver's own log-in) → ready → issued | delivered.
Services add and flush; the caller (a view or a CLI command) commits, so a failed step saves nothing.
"""

import re
import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload

from kiosk.accounts.models import Role, User
from kiosk.audit import AuditRecord
from kiosk.cards.models import Card, Edition
from kiosk.clock import LOCAL_TZ, now, today
from kiosk.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from kiosk.extensions import db
from kiosk.facts.models import Department, Location
from kiosk.ratelimit import forget_attempts
from kiosk.requestargs import parse_int

from .models import (
    CLOSED_STATUSES,
    STATUS_LABELS,
    CardIntakeRule,
    Case,
    CaseChecklistItem,
    CaseCounter,
    CaseEvent,
    CaseStatus,
    Channel,
    Delivery,
    Notify,
)
from .notifications import queue_notice
from .workdays import deadline_after, next_working_day

# No 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B: easy to read from a slip of paper and to type at a kiosk.
CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"
CODE_LENGTH = 8
MAX_NAME = 200
MAX_CONTACT = 200
MAX_MDOK = 60
MAX_NOTE = 120
MAX_REASON = 300
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
PHONE_RE = re.compile(r"\+?\d{9,15}")


# --- who may do what --------------------------------------------------------------------------------


def is_desk(user: User | None) -> bool:
    """Front-desk staff and administrators see and work every case."""
    return user is not None and user.is_active and (user.has_role(Role.FRONT_DESK) or user.has_role(Role.ADMINISTRATOR))


def department_ids(user: User | None) -> set[int]:
    """The departments whose cases `user` works as department staff: none without that role, whatever
    departments the account is linked to (an approver's departments are for cards, not for personal data)."""
    if user is None or not user.is_active or not user.has_role(Role.DEPARTMENT_STAFF):
        return set()
    return {d.id for d in user.departments}


def may_use_intake(user: User | None) -> bool:
    """Whether the intake screens open at all: the front desk, administrators and department staff."""
    return is_desk(user) or bool(department_ids(user))


def can_see_case(user: User | None, case: Case) -> bool:
    """The front desk, administrators and the owning department's staff see a case; nobody else."""
    return is_desk(user) or case.department_id in department_ids(user)


def _require_desk(actor: User | None) -> None:
    if not is_desk(actor):
        raise PermissionDenied("Tę czynność wykonuje pracownik BOK (rola „obsługa klienta”) lub administrator.")


def _require_status(case: Case, *allowed: CaseStatus, doing: str) -> None:
    if case.status not in allowed:
        raise InvalidTransition(f"Nie można {doing}: sprawa {case.number} jest w stanie „{case.status_label}”.")


def get_case(case_id: int, user: User | None) -> Case:
    """The case, if `user` may see it; another department's case looks the same as a missing one."""
    case = db.session.get(Case, case_id)
    if case is None or not can_see_case(user, case):
        raise NotFound("Nie ma takiej sprawy albo nie masz do niej dostępu.")
    return case


# --- what the forms offer ----------------------------------------------------------------------------


def card_choices() -> list[tuple[str, str]]:
    """(slug, title) of every published card, for the counter's card picker."""
    query = (select(Card.slug, Edition.title).join(Edition, Edition.id == Card.live_edition_id)
             .order_by(Edition.title))  # fmt: skip
    return [tuple(row) for row in db.session.execute(query)]


def find_card(slug: str) -> Card:
    """A published card with its document list, for registration."""
    card = db.session.scalar(
        select(Card).where(Card.slug == (slug or "").strip()[:120])
        .options(joinedload(Card.live_edition).selectinload(Edition.documents), joinedload(Card.owner_department))
    )  # fmt: skip
    if card is None or card.live_edition is None:
        raise ValidationError("Wybierz sprawę (kartę usługi) z listy podpowiedzi.", "card")
    return card


def service_points() -> list[Location]:
    return list(db.session.scalars(select(Location).where(Location.is_service_point).order_by(Location.position)))


def find_point(point_id: str) -> Location:
    number = parse_int(str(point_id))
    location = db.session.get(Location, number) if number is not None else None
    if location is None or not location.is_service_point:
        raise ValidationError("Wybierz punkt obsługi, w którym przyjmujesz wniosek.", "point")
    return location


def departments() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(Department.name)))


# --- input ------------------------------------------------------------------------------------------


def _clean(value: str | None, field: str, label: str, maximum: int, required: bool = False) -> str:
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in (value or "")).split())
    if required and not text:
        raise ValidationError(f"Podaj {label}.", field)
    if len(text) > maximum:
        raise ValidationError(f"Pole „{label}” może mieć najwyżej {maximum} znaków (wpisano {len(text)}).", field)
    return text


def _choice(enum_cls, value, field: str, label: str):
    try:
        return enum_cls(value)
    except ValueError:
        raise ValidationError(f"Wybierz {label} z listy.", field) from None


def _notify_choice(value, contact: str) -> Notify:
    """The applicant's choice of notices; the contact given must fit it (an e-mail address, a phone number)."""
    notify = _choice(Notify, value or Notify.NONE, "notify", "sposób powiadamiania")
    if notify == Notify.EMAIL and not EMAIL_RE.fullmatch(contact):
        raise ValidationError("Powiadomienia e-mailem: w polu kontaktu wpisz adres e-mail (np. jan@example.pl).",
                              "applicant_contact")  # fmt: skip
    if notify == Notify.SMS and not PHONE_RE.fullmatch(re.sub(r"[\s()-]", "", contact)):
        raise ValidationError("Powiadomienia SMS-em: w polu kontaktu wpisz numer telefonu komórkowego.",
                              "applicant_contact")  # fmt: skip
    return notify


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def point_prefix(location: Location) -> str:
    prefixes = current_app.config["INTAKE_POINT_PREFIXES"]
    return prefixes.get(location.slug) or location.slug.replace("-", "")[:3].upper()


def _event(case: Case, action: str, actor: User | None, note: str = "", reason: str = "") -> None:
    case.events.append(CaseEvent(at=now(), action=action, status=case.status, actor_id=getattr(actor, "id", None),
                                 actor_name=getattr(actor, "display_name", "") or "", note=note[:500],
                                 reason=reason))  # fmt: skip


# --- registration and completeness --------------------------------------------------------------------


def _allocate_number(year: int, location_id: int) -> int:
    """The next number for (year, point), taken under the counter row's lock until the caller commits.

    One atomic upsert: concurrent registrations queue on the row, and a rolled-back registration rolls
    the counter back too, so numbers have no gaps and no duplicates.
    """
    table = CaseCounter.__table__
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = (
        insert(table)
        .values(year=year, location_id=location_id, last_number=1)
        .on_conflict_do_update(
            index_elements=[table.c.year, table.c.location_id], set_={"last_number": table.c.last_number + 1}
        )
        .returning(table.c.last_number)
    )
    return db.session.execute(stmt).scalar_one()


def register_application(card: Card, location: Location, actor: User, *, channel, applicant_name: str,
                         applicant_contact: str, delivery, mdok_ref: str = "", received_at: datetime | None = None,
                         handed_in: Iterable[int] | None = None, deadline: date | None = None,
                         notify=Notify.NONE) -> Case:  # fmt: skip
    """Register an application at a service point; its checklist is the card's document list.

    With `handed_in` (checklist positions) the completeness check of the counter is recorded at once.
    """
    _require_desk(actor)
    if not location.is_service_point:
        raise ValidationError("Wnioski przyjmują tylko punkty obsługi.", "point")
    edition = card.live_edition
    if edition is None:
        raise ValidationError("Ta karta nie jest opublikowana – wybierz inną.", "card")
    received = received_at or now()
    if received > now():
        raise ValidationError("Data wpływu nie może być w przyszłości.", "received_at")
    rule = db.session.get(CardIntakeRule, card.id)
    department = card.owner_department or edition.department
    local = received.astimezone(LOCAL_TZ)
    case = Case(
        card=card, edition_id=edition.id, department=department, location=location, card_title=edition.title,
        handover_to=(rule.handover_post if rule and rule.handover_post else getattr(department, "name", "")),
        settle_days=edition.settle_days, channel=_choice(Channel, channel, "channel", "sposób złożenia"),
        delivery=_choice(Delivery, delivery, "delivery", "sposób odbioru"),
        applicant_name=_clean(applicant_name, "applicant_name", "imię i nazwisko", MAX_NAME, required=True),
        applicant_contact=_clean(applicant_contact, "applicant_contact", "kontakt", MAX_CONTACT, required=True),
        mdok_ref=_clean(mdok_ref, "mdok_ref", "numer w Mdok", MAX_MDOK), received_at=received,
        registered_by=actor, year=local.year, period=local.year * 100 + local.month, code=new_code(),
        status=CaseStatus.REGISTERED,
        checklist=[CaseChecklistItem(position=i, name=d.name, required=d.required)
                   for i, d in enumerate(edition.documents)],
    )  # fmt: skip
    case.notify = _notify_choice(notify, case.applicant_contact)
    case.seq = _allocate_number(case.year, location.id)
    case.number = f"{point_prefix(location)}/{case.year}/{case.seq:06d}"
    _event(case, "register", actor)
    db.session.add(case)
    if handed_in is not None:
        return record_completeness(case, handed_in, actor, deadline)  # one flush: rows go in complete
    db.session.flush()
    return case


def _supplement_deadline(case: Case, given: date | None) -> date:
    if given is not None:
        if given <= today():
            raise ValidationError("Termin na uzupełnienie braków musi przypadać po dzisiejszym dniu.", "deadline")
        return next_working_day(given)
    rule = db.session.get(CardIntakeRule, case.card.id)
    days = (rule.supplement_days if rule else None) or current_app.config["INTAKE_SUPPLEMENT_DAYS"]
    return deadline_after(today(), days)


def _complete(case: Case) -> None:
    case.status = CaseStatus.COMPLETE
    case.completed_at = now()
    case.expected_on = deadline_after(today(), case.settle_days) if case.settle_days else None


def record_completeness(case: Case, handed_in: Iterable[int], actor: User, deadline: date | None = None) -> Case:
    """Tick the documents handed in (checklist positions): complete, or incomplete with a supplement deadline."""
    _require_desk(actor)
    _require_status(case, CaseStatus.REGISTERED, doing="ponownie sprawdzić kompletności")
    ticked = set(handed_in)
    for item in case.checklist:
        item.handed_in = item.position in ticked
    missing = case.missing
    if missing:
        case.deadline_on = _supplement_deadline(case, deadline)
        case.status = CaseStatus.INCOMPLETE
        case.was_incomplete = True
        _event(case, "incomplete", actor, f"braki: {len(missing)}, termin {case.deadline_on:%d.%m.%Y}")
    else:
        _complete(case)
        _event(case, "complete", actor)
    db.session.flush()
    return case


def record_supplement(case: Case, supplied: Iterable[int], actor: User) -> Case:
    """Record documents brought in later; the case becomes complete when nothing required is missing."""
    _require_desk(actor)
    if case.status != CaseStatus.INCOMPLETE:
        raise InvalidTransition(f"Sprawa {case.number} nie czeka na uzupełnienie (stan: „{case.status_label}”) – "
                                "nie ma czego uzupełniać.")  # fmt: skip
    if case.deadline_on is not None and today() > case.deadline_on:
        raise InvalidTransition(f"Termin na uzupełnienie minął {case.deadline_on:%d.%m.%Y}; wniosek zostaje "
                                "pozostawiony bez rozpoznania.")  # fmt: skip
    chosen = set(supplied)
    items = [item for item in case.missing if item.position in chosen]
    if not items:
        raise ValidationError("Zaznacz dokumenty, które zostały doniesione.", "supplied")
    for item in items:
        item.handed_in, item.supplied_at = True, now()
    if case.missing:
        _event(case, "supplement", actor, f"doniesiono {len(items)}, brakuje jeszcze {len(case.missing)}")
    else:
        _complete(case)
        _event(case, "supplement", actor, "uzupełniono wszystkie braki")
    db.session.flush()
    return case


def expire_deadlines(actor: User | None = None) -> list[Case]:
    """Leave unprocessed every incomplete case whose supplement deadline has passed (never deleted)."""
    cases = db.session.scalars(
        select(Case).where(Case.status == CaseStatus.INCOMPLETE, Case.deadline_on < today())
    ).all()
    for case in cases:
        case.status = CaseStatus.LEFT_UNPROCESSED
        _close(case)
        _event(case, "left_unprocessed", actor, f"braki nieuzupełnione do {case.deadline_on:%d.%m.%Y}")
    db.session.flush()
    return list(cases)


# --- handover and return -----------------------------------------------------------------------------


def hand_over(case: Case, receiver: User) -> Case:
    """Hand a complete case to its department; the receiver (staff of that department) confirms with their own
    log-in."""
    _require_status(case, CaseStatus.COMPLETE, doing="przekazać wniosku do wydziału")
    admin = receiver.active and receiver.has_role(Role.ADMINISTRATOR)
    if case.department_id not in department_ids(receiver) and not admin:
        raise PermissionDenied(f"Odbiór potwierdza pracownik jednostki „{case.handover_to}” na własnym koncie.")
    case.status = CaseStatus.AT_DEPARTMENT
    case.handed_over_at = now()
    case.received_by = receiver
    _event(case, "hand_over", receiver, f"przekazano: {case.handover_to}")
    db.session.flush()
    return case


def mark_ready(case: Case, actor: User) -> Case:
    """The finished document is back at the service point, ready for the applicant."""
    if not can_see_case(actor, case):
        raise PermissionDenied("Gotowość zgłasza pracownik wydziału prowadzącego sprawę albo BOK.")
    _require_status(case, CaseStatus.AT_DEPARTMENT, doing="oznaczyć dokumentu jako gotowego")
    case.status = CaseStatus.READY
    case.ready_at = now()
    case.late = case.expected_on is not None and today() > case.expected_on
    _event(case, "ready", actor, "po terminie" if case.late else "")
    db.session.flush()
    queue_notice(case)
    return case


def _close(case: Case) -> None:
    case.closed_at = now()
    case.days_to_close = (today() - case.received_at.astimezone(LOCAL_TZ).date()).days


def issue_document(case: Case, actor: User, to_whom: str, identity_seen: bool) -> Case:
    """Give the document to the applicant (or their proxy) at the counter, after seeing an identity document."""
    _require_desk(actor)
    _require_status(case, CaseStatus.READY, doing="wydać dokumentu przed jego przygotowaniem")
    name = _clean(to_whom, "to_whom", "komu wydano", MAX_NAME, required=True)
    if not identity_seen:
        raise ValidationError("Potwierdź, że sprawdzono dokument tożsamości odbierającego.", "identity_seen")
    case.issued_to, case.identity_seen = name, True
    case.status = CaseStatus.ISSUED
    _close(case)
    _event(case, "issue", actor, "tożsamość sprawdzona")
    db.session.flush()
    return case


def deliver(case: Case, actor: User, method, reference: str = "") -> Case:
    """Send the document the agreed way (post, ePUAP, e-mail)."""
    _require_desk(actor)
    _require_status(case, CaseStatus.READY, doing="doręczyć dokumentu przed jego przygotowaniem")
    method = _choice(Delivery, method, "method", "sposób doręczenia")
    if method == Delivery.PICKUP:
        raise ValidationError("Odbiór osobisty zapisz jako wydanie dokumentu.", "method")
    case.delivery = method
    case.delivery_ref = _clean(reference, "reference", "numer nadania", MAX_NOTE)
    case.status = CaseStatus.DELIVERED
    _close(case)
    _event(case, "deliver", actor, method.value)
    db.session.flush()
    queue_notice(case)
    return case


# --- corrections and cancellations ---------------------------------------------------------------------

CORRECTABLE = {"applicant_name": "imię i nazwisko", "applicant_contact": "kontakt", "notify": "powiadomienia",
               "channel": "sposób złożenia", "delivery": "sposób odbioru", "mdok_ref": "numer w Mdok"}  # fmt: skip


def _reason(reason: str | None) -> str:
    return _clean(reason, "reason", "powód", MAX_REASON, required=True)


def correct_registration(case: Case, actor: User, reason: str, **changes) -> Case:
    """Correct the data typed at registration (name, contact, notices, channel, delivery, Mdok number) with a
    reason; the timeline names the fields changed, never their values."""
    _require_desk(actor)
    if case.is_closed:
        raise InvalidTransition(f"Sprawa {case.number} jest zamknięta („{case.status_label}”) – nie można "
                                "jej poprawić.")  # fmt: skip
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise ValidationError(f"Tego pola nie można poprawić: {', '.join(sorted(unknown))}.", sorted(unknown)[0])
    why = _reason(reason)
    new = {"applicant_name": _clean(changes.get("applicant_name", case.applicant_name), "applicant_name",
                                    "imię i nazwisko", MAX_NAME, required=True),
           "applicant_contact": _clean(changes.get("applicant_contact", case.applicant_contact), "applicant_contact",
                                       "kontakt", MAX_CONTACT, required=True),
           "channel": _choice(Channel, changes.get("channel", case.channel), "channel", "sposób złożenia"),
           "delivery": _choice(Delivery, changes.get("delivery", case.delivery), "delivery", "sposób odbioru"),
           "mdok_ref": _clean(changes.get("mdok_ref", case.mdok_ref), "mdok_ref", "numer w Mdok",
                              MAX_MDOK)}  # fmt: skip
    new["notify"] = _notify_choice(changes.get("notify", case.notify), new["applicant_contact"])
    changed = [name for name, value in new.items() if getattr(case, name) != value]
    if not changed:
        raise ValidationError("Nic się nie zmieniło – popraw dane albo zrezygnuj.", "reason")
    for name in changed:
        setattr(case, name, new[name])
    _event(case, "correct", actor, "poprawiono: " + ", ".join(CORRECTABLE[name] for name in changed), why)
    db.session.flush()
    return case


def cancel_registration(case: Case, actor: User, reason: str) -> Case:
    """Cancel a registration made in error or withdrawn: the case leaves every queue and the statistics, and the
    public status says "anulowana"; the row and its timeline stay."""
    _require_desk(actor)
    if case.is_closed:
        raise InvalidTransition(f"Sprawa {case.number} jest już zamknięta („{case.status_label}”) – nie można "
                                "jej anulować.")  # fmt: skip
    why = _reason(reason)
    case.status = CaseStatus.CANCELLED
    case.closed_at = now()
    _event(case, "cancel", actor, reason=why)
    db.session.flush()
    return case


# --- per-card rules and data protection ---------------------------------------------------------------


def set_card_rule(card: Card, actor: User | None, supplement_days: int | None, handover_post: str = "") -> None:
    """Set a card's supplement deadline (days) and, if not its department, where its applications go."""
    if actor is not None and not actor.has_role(Role.ADMINISTRATOR):
        raise PermissionDenied("Reguły przyjmowania wniosków zmienia administrator.")
    if supplement_days is not None and not 1 <= supplement_days <= 60:
        raise ValidationError("Termin na uzupełnienie braków: od 1 do 60 dni.", "supplement_days")
    rule = db.session.get(CardIntakeRule, card.id) or CardIntakeRule(card_id=card.id)
    rule.supplement_days = supplement_days
    rule.handover_post = _clean(handover_post, "handover_post", "stanowisko przekazania", 300)
    db.session.add(rule)
    db.session.flush()


# Every column that can name or reach a person: the applicant, their contact (address, e-mail or phone), who
# collected the document, the delivery reference (a tracking number, or the e-mail address it went to) and
# the Mdok reference typed at the counter (free text). Everything else (card, point, dates, status, the
# timeline without personal data) stays for the anonymous statistics.
PERSONAL_FIELDS = {"applicant_name": "", "applicant_contact": "", "issued_to": "", "delivery_ref": "", "mdok_ref": ""}
PURGE_BATCH = 500


def cases_due_for_purge(moment: datetime) -> list[int]:
    """Ids of unpurged cases closed longer than INTAKE_RETENTION_DAYS, or stalled (no step recorded, whatever
    their state) longer than INTAKE_STALLED_RETENTION_DAYS."""
    cfg = current_app.config
    closed_before = moment - timedelta(days=cfg["INTAKE_RETENTION_DAYS"])
    stalled_before = moment - timedelta(days=cfg["INTAKE_STALLED_RETENTION_DAYS"])
    last_step = func.coalesce(
        select(func.max(CaseEvent.at)).where(CaseEvent.case_id == Case.id).correlate(Case).scalar_subquery(),
        Case.received_at,
    )
    closed = and_(Case.status.in_(CLOSED_STATUSES), func.coalesce(Case.closed_at, last_step) < closed_before)
    stalled = and_(Case.status.not_in(CLOSED_STATUSES), last_step < stalled_before)
    return list(db.session.scalars(select(Case.id).where(Case.purged_at.is_(None), or_(closed, stalled))))


def purge_personal_data(at: datetime | None = None) -> int:
    """Blank every personal field of closed and stalled cases past their retention, and the audit rows about them;
    returns how many cases were purged. Statistics stay."""
    moment = at or now()
    ids = cases_due_for_purge(moment)
    for i in range(0, len(ids), PURGE_BATCH):
        batch = ids[i : i + PURGE_BATCH]
        db.session.execute(
            update(Case).where(Case.id.in_(batch))
            .values(**PERSONAL_FIELDS, notify=Notify.NONE, purged_at=moment, lock_version=Case.lock_version + 1)
            .execution_options(synchronize_session=False)
        )  # fmt: skip
        db.session.execute(
            update(AuditRecord).where(AuditRecord.object_type == "case", AuditRecord.object_id.in_(batch))
            .values(comment="", detail={})
            .execution_options(synchronize_session=False)
        )  # fmt: skip
    _forget_reasons()
    forget_attempts(moment)
    return len(ids)


def _forget_reasons() -> None:
    """Blank the free-text reasons on the timelines of every purged case, whichever rule purged it."""
    purged = select(Case.id).where(Case.purged_at.is_not(None)).scalar_subquery()
    db.session.execute(update(CaseEvent).where(CaseEvent.case_id.in_(purged), CaseEvent.reason != "")
                       .values(reason="").execution_options(synchronize_session=False))  # fmt: skip


__all__ = ["STATUS_LABELS", "cancel_registration", "correct_registration", "deliver", "expire_deadlines",
           "hand_over", "issue_document", "mark_ready",
           "purge_personal_data", "record_completeness", "record_supplement", "register_application"]  # fmt: skip
