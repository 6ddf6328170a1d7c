"""Freshness rules: when a card is fresh, due soon or overdue; confirming it; feedback; content gaps.

Services add and flush; the caller (a view or a CLI command) commits. Dependency flags live in
`dependencies.py`, content checks in `checks.py`, reminder e-mails in `reminders.py`.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import delete, func, select, update

from kiosk.accounts.access import card_department_ids
from kiosk.accounts.models import Role, User
from kiosk.audit import AuditRecord, record_audit
from kiosk.cards.models import Card, Edition
from kiosk.clock import LOCAL_TZ, now, today
from kiosk.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from kiosk.extensions import db
from kiosk.facts.models import Department
from kiosk.ratelimit import FEEDBACK, forget_attempts

from .models import Feedback, FreshnessSnapshot, ReviewFlag

FRESH, DUE_SOON, OVERDUE, UNCHECKED = "fresh", "due_soon", "overdue", "unchecked"
STATE_LABELS = {FRESH: "aktualna", DUE_SOON: "do przeglądu wkrótce", OVERDUE: "po terminie przeglądu",
                UNCHECKED: "nie sprawdzono"}  # fmt: skip
STATES = (OVERDUE, DUE_SOON, UNCHECKED, FRESH)  # the dashboard's order: most urgent first
CHECK_ACTION = "content_check"  # the audit action of a run of `flask freshness check`


# --- the state of a card --------------------------------------------------------------------------------


def verified_on(last_verified_at: datetime | None) -> date | None:
    return last_verified_at.astimezone(LOCAL_TZ).date() if last_verified_at else None


def review_due_on(last_verified_at: datetime | None, interval_days: int) -> date | None:
    """The date a card must be reviewed by; None when it was never verified (overdue at once)."""
    day = verified_on(last_verified_at)
    return day + timedelta(days=interval_days) if day else None


def freshness_state(last_verified_at: datetime | None, interval_days: int, on: date | None = None,
                    due_soon_days: int | None = None) -> str:  # fmt: skip
    """fresh, due_soon or overdue on `on` (default today)."""
    on = on or today()
    window = current_app.config["FRESHNESS_DUE_SOON_DAYS"] if due_soon_days is None else due_soon_days
    return state_of(review_due_on(last_verified_at, interval_days), on, on + timedelta(days=window))


def state_of(due: date | None, on: date, soon: date) -> str:
    """The state for a review date: overdue once it has passed, due soon from `soon` on."""
    if due is None or due < on:
        return OVERDUE
    return DUE_SOON if due <= soon else FRESH


@dataclass(frozen=True)
class PublicFreshness:
    """What residents see: when the card was verified, and a gentle note when that was long ago."""

    verified_on: date | None
    long_overdue: bool
    info_phone: str


def public_freshness(card: Card) -> PublicFreshness:
    """Long overdue means overdue by more than the card's own review interval again."""
    due = review_due_on(card.last_verified_at, card.review_interval_days)
    long_overdue = due is not None and today() > due + timedelta(days=card.review_interval_days)
    return PublicFreshness(verified_on(card.last_verified_at), long_overdue, current_app.config["INFO_LINE_PHONE"])


@dataclass(slots=True)
class CardStatus:
    card_id: int
    slug: str
    title: str
    department: str
    department_id: int | None
    owner_name: str
    owner_email: str
    contact_email: str
    head_email: str
    interval: int
    verified_on: date | None
    due_on: date | None
    state: str
    flags: int
    feedback: int

    @property
    def days_overdue(self) -> int:
        return (today() - self.due_on).days if self.due_on else 10_000

    @property
    def recipient(self) -> str:
        """Who is reminded: the card's owner, else the department's contact for cards."""
        return self.owner_email or self.contact_email


def last_check_at() -> datetime | None:
    """When the content checks last ran (`flask freshness check`); None before the first run."""
    return db.session.scalar(select(func.max(AuditRecord.at)).where(AuditRecord.action == CHECK_ACTION))


def card_statuses() -> list[CardStatus]:
    """Every published card with its state and open flag and feedback counts (five queries).

    Before the first content check nothing is called fresh: a card within its review interval is
    "nie sprawdzono" until a check has looked at it.
    """
    # Core rather than ORM execution: plain rows, without the ORM loading layer, for thousands of cards.
    rows = db.session.connection().execute(
        select(Card.id, Card.slug, Edition.title, Card.owner_department_id, Card.owner_name, Card.owner_email,
               Card.review_interval_days, Card.last_verified_at)
        .join(Edition, Edition.id == Card.live_edition_id)
        .order_by(Card.slug)
    ).all()  # fmt: skip
    departments = {
        d.id: d
        for d in db.session.execute(
            select(Department.id, Department.name, Department.cards_contact_email, Department.head_email)
        )
    }
    none = SimpleNamespace(name="—", cards_contact_email="", head_email="")
    flags = open_counts(ReviewFlag.card_id, ReviewFlag.resolved_at)
    feedback = open_counts(Feedback.card_id, Feedback.resolved_at)
    on = today()
    soon = on + timedelta(days=current_app.config["FRESHNESS_DUE_SOON_DAYS"])
    checked = last_check_at() is not None
    statuses = []
    for card_id, slug, title, department_id, owner, email, interval, verified in rows:
        day = verified_on(verified)
        due = day + timedelta(days=interval) if day else None
        dept = departments.get(department_id, none)
        statuses.append(
            CardStatus(
                card_id,
                slug,
                title,
                dept.name,
                department_id,
                owner,
                email,
                dept.cards_contact_email,
                dept.head_email,
                interval,
                day,
                due,
                _unless_unchecked(state_of(due, on, soon), checked),
                flags.get(card_id, 0),
                feedback.get(card_id, 0),
            )
        )
    return statuses


def _unless_unchecked(state: str, checked: bool) -> str:
    return UNCHECKED if state == FRESH and not checked else state


def open_counts(card_column, resolved_column) -> dict[int, int]:
    query = select(card_column, func.count()).where(resolved_column.is_(None)).group_by(card_column)
    return dict(db.session.execute(query).all())


def summarise(statuses: list[CardStatus]) -> dict:
    """Counts by state overall and per department, plus how many cards carry open flags."""
    totals = dict.fromkeys(STATES, 0)
    per_department = defaultdict(lambda: {**dict.fromkeys(STATES, 0), "flagged": 0, "total": 0})
    for s in statuses:
        totals[s.state] += 1
        row = per_department[s.department]
        row[s.state] += 1
        row["total"] += 1
        row["flagged"] += bool(s.flags)
    flagged = sum(1 for s in statuses if s.flags)
    return {"totals": totals, "total": len(statuses), "flagged": flagged,
            "departments": dict(sorted(per_department.items()))}  # fmt: skip


def count_open(model) -> int:
    """How many open review flags or resident reports there are (the dashboard's headings)."""
    return db.session.scalar(select(func.count(model.id)).where(model.resolved_at.is_(None))) or 0


def open_flags(card_ids=None, limit: int | None = None) -> list[ReviewFlag]:
    """Open review flags, newest first, with their cards."""
    query = select(ReviewFlag).where(ReviewFlag.resolved_at.is_(None)).order_by(ReviewFlag.created_at.desc(),
                                                                                ReviewFlag.id.desc())  # fmt: skip
    if card_ids is not None:
        query = query.where(ReviewFlag.card_id.in_(card_ids))
    return list(db.session.scalars(query.limit(limit)))


# --- confirming a card ------------------------------------------------------------------------------------


def may_confirm(card: Card, actor: User | None) -> bool:
    """The card's owner (by e-mail or department) or an editor may confirm it."""
    if actor is None or not actor.active:
        return False
    return actor.has_role(Role.EDITOR) or is_card_owner(card, actor)


def is_card_owner(card: Card, actor: User) -> bool:
    """The card's owner: its owner e-mail, or a member of its owning department."""
    if card.owner_email and (actor.email or "").lower() == card.owner_email.lower():
        return True
    return card.owner_department_id is not None and card.owner_department_id in card_department_ids(actor)


def owned_statuses(actor: User, statuses: list[CardStatus] | None = None) -> list[CardStatus]:
    """The published cards `actor` owns (by e-mail or department), most urgent first."""
    email = (actor.email or "").lower()
    departments = card_department_ids(actor)
    mine = [s for s in (card_statuses() if statuses is None else statuses)
            if (email and s.owner_email.lower() == email) or s.department_id in departments]  # fmt: skip
    order = {OVERDUE: 0, DUE_SOON: 1, UNCHECKED: 2, FRESH: 2}
    return sorted(mine, key=lambda s: (order[s.state], s.flags == 0, s.due_on or date.min))


def confirm_card_accurate(card: Card, actor: User, note: str = "") -> Card:
    """Record that the live edition is still accurate: who and when; no new edition.

    Any confirmation restarts the review clock; only the owner's confirmation lets public pages call the
    live edition verified (see verification.py).
    """
    if not may_confirm(card, actor):
        raise PermissionDenied("Potwierdzić aktualność karty może jej właściciel albo redaktor.")
    if card.live_edition_id is None:
        raise InvalidTransition("Karta nie jest opublikowana; nie ma czego potwierdzać.")
    card.last_verified_at = now()
    card.last_verified_by = actor.display_name
    if is_card_owner(card, actor):
        card.confirmed_edition_id, card.confirmed_by = card.live_edition_id, actor.display_name
        card.confirmed_at = card.last_verified_at
    db.session.flush()  # the flush closes the card's dependency flags (see dependencies.py)
    record_audit(actor, "confirm_accurate", card, card=card, edition=card.live_edition, comment=note[:2000])
    return card


# --- resident feedback ------------------------------------------------------------------------------------


def submit_feedback(slug: str, message: str, contact: str, address: str, channel: str = "web") -> Feedback:
    """Store a resident's report about a published card, within the length and rate limits."""
    cfg = current_app.config
    message, contact = (message or "").strip(), (contact or "").strip()
    if not message:
        raise ValidationError("Napisz, co jest nieaktualne albo błędne.", "message")
    if len(message) > cfg["FEEDBACK_MAX_MESSAGE"]:
        raise ValidationError(f"Opis może mieć najwyżej {cfg['FEEDBACK_MAX_MESSAGE']} znaków.", "message")
    if len(contact) > cfg["FEEDBACK_MAX_CONTACT"]:
        raise ValidationError(f"Kontakt może mieć najwyżej {cfg['FEEDBACK_MAX_CONTACT']} znaków.", "contact")
    card = db.session.scalar(select(Card).where(Card.slug == slug, Card.live_edition_id.is_not(None)))
    if card is None:
        raise NotFound("Nie ma takiej karty.")
    FEEDBACK.check(address)
    feedback = Feedback(card=card, message=message, contact=contact, channel=channel if channel == "kiosk" else "web",
                        created_at=now())  # fmt: skip
    db.session.add(feedback)
    FEEDBACK.record(address, success=True)
    db.session.flush()
    return feedback


def resolve_feedback(feedback_id: int, actor: User, note: str) -> Feedback:
    """Close a report with a note saying what was done."""
    feedback = db.session.get(Feedback, feedback_id)
    if feedback is None:
        raise NotFound("Nie ma takiego zgłoszenia.")
    if feedback.resolved_at is not None:
        raise InvalidTransition("To zgłoszenie zostało już rozpatrzone.")
    feedback.resolved_at, feedback.resolved_by, feedback.note = now(), actor.display_name, (note or "").strip()[:2000]
    record_audit(actor, "resolve_feedback", feedback, card=feedback.card, comment=feedback.note)
    return feedback


def open_feedback(limit: int | None = None) -> list[Feedback]:
    query = select(Feedback).where(Feedback.resolved_at.is_(None)).order_by(Feedback.created_at.desc())
    return list(db.session.scalars(query.limit(limit)))


def purge_feedback() -> int:
    """Forget addresses after the rate-limit window, delete resolved reports (with any contact) after retention, and
    forget the contact of a report still open after retention: one nobody resolves must not keep an e-mail forever."""
    cfg = current_app.config
    db.session.execute(update(Feedback).where(Feedback.address_hash.is_not(None),
                                              Feedback.created_at < now() - timedelta(days=1))
                       .values(address_hash=None))  # fmt: skip
    forget_attempts()  # the hashed addresses the rate limit counted
    cutoff = now() - timedelta(days=cfg["FEEDBACK_RETENTION_DAYS"])
    result = db.session.execute(delete(Feedback).where(Feedback.resolved_at < cutoff))
    db.session.execute(update(Feedback).where(Feedback.contact != "", Feedback.created_at < cutoff).values(contact=""))
    return result.rowcount or 0


# --- the daily snapshot -----------------------------------------------------------------------------------


def take_snapshot(statuses: list[CardStatus] | None = None) -> FreshnessSnapshot:
    """Store today's counts (once a day; a later run the same day updates them)."""
    summary = summarise(statuses if statuses is not None else card_statuses())
    row = db.session.get(FreshnessSnapshot, today()) or FreshnessSnapshot(day=today())
    totals = summary["totals"]
    row.total, row.fresh, row.due_soon, row.overdue = summary["total"], totals[FRESH], totals[DUE_SOON], totals[OVERDUE]
    row.flagged, row.taken_at = summary["flagged"], now()
    db.session.add(row)
    db.session.flush()
    return row


def snapshots(days: int = 90) -> list[FreshnessSnapshot]:
    since = today() - timedelta(days=days)
    return list(db.session.scalars(select(FreshnessSnapshot).where(FreshnessSnapshot.day >= since)
                                   .order_by(FreshnessSnapshot.day)))  # fmt: skip
