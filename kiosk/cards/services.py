"""Business rules for cards and editions. Every caller (views, CLI, admin) goes through these.

Services add and flush; the caller commits. Each transition writes one audit row and, when the
public content changes, one CardChange row that search and caches follow.
"""

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm.exc import StaleDataError

from kiosk.accounts.models import Role, User
from kiosk.audit import AuditRecord, record_audit
from kiosk.clock import now, today
from kiosk.errors import ConflictError, InvalidTransition, NotFound, ValidationError
from kiosk.extensions import db
from kiosk.facts.models import Department, FormFile, LegalAct, Location, SharedFee

from . import notifications, signoff
from .content import References, apply_content, edition_to_content, signoff_hash
from .diff import FIELD_LABELS, diff_contents
from .models import (
    Card,
    CardChange,
    Edition,
    EditionContributor,
    EditionFee,
    EditionForm,
    EditionLegalAct,
    EditionPoint,
    EditionStatus,
)
from .snapshot import build_snapshot
from .translations import mark_translations_behind

OPEN_STATUSES = (EditionStatus.DRAFT, EditionStatus.IN_REVIEW, EditionStatus.APPROVED)


def _contributors(edition: Edition) -> set[int]:
    """Everyone who put content into the edition: the rows in memory and, for a loaded edition, those stored."""
    stored = db.session.scalars(select(EditionContributor.user_id).where(EditionContributor.edition_id == edition.id))
    return edition.contributor_ids | set(stored)


EDITION = signoff.Reviewed(
    statuses=EditionStatus,
    name=lambda e: f"Wydanie {e.number:02d}",
    genitive=lambda e: f"wydania {e.number:02d}",
    contributors=_contributors,
    content_hash=signoff_hash,
)
_require_role = signoff.require_role


def _require_status(edition: Edition, *allowed: EditionStatus) -> None:
    signoff.require_status(EDITION, edition, *allowed)


def _add_contributor(edition: Edition, actor: User, kind: str) -> None:
    """Record `actor` as a contributor of `edition` (one row per person; later saves only move last_at)."""
    for row in edition.contributors:
        if row.user_id == actor.id:
            row.last_at = now()
            break
    else:
        edition.contributors.append(EditionContributor(user=actor, user_id=actor.id, kind=kind, first_at=now(),
                                                       last_at=now()))  # fmt: skip
    edition.updated_by = actor


def _log_change(card: Card, kind: str) -> None:
    db.session.add(CardChange(card_id=card.id, kind=kind, at=now()))


def create_card(
    slug: str, actor: User, *, owner_department=None, owner_name="", owner_email="", review_interval_days: int = 180
) -> Card:
    """Create an empty card with a stable slug."""
    _require_role(actor, Role.EDITOR)
    if db.session.scalar(select(Card.id).where(Card.slug == slug)) is not None:
        raise ConflictError(f"Karta „{slug}” już istnieje.")
    card = Card(
        slug=slug,
        owner_department=owner_department,
        owner_name=owner_name,
        owner_email=owner_email,
        review_interval_days=review_interval_days,
    )
    db.session.add(card)
    db.session.flush()
    record_audit(actor, "create_card", card, card=card)
    return card


def open_draft(card: Card, actor: User, content: dict | None = None) -> Edition:
    """Start a new draft edition, copied from the live edition unless content is given."""
    _require_role(actor, Role.EDITOR)
    _require_no_open_edition(card)
    if content is None:
        source = card.live_edition or _latest_edition(card)
        content = edition_to_content(source) if source else None
    if content is None:
        raise InvalidTransition("Nowa karta potrzebuje treści pierwszego wydania.")
    edition = _new_edition(card, actor, content)
    record_audit(actor, "open_draft", edition, card=card, edition=edition)
    return edition


def open_edition_of(card: Card) -> Edition | None:
    """The card's draft, in-review or approved edition, if any (a card has at most one)."""
    return db.session.scalar(select(Edition).where(Edition.card_id == card.id, Edition.status.in_(OPEN_STATUSES)))


def _require_no_open_edition(card: Card) -> None:
    existing = open_edition_of(card)
    if existing is not None:
        raise InvalidTransition(
            f"Karta ma już otwarte wydanie {existing.number:02d} ({existing.status.value}); edytuj je."
        )


def _latest_edition(card: Card) -> Edition | None:
    return db.session.scalar(select(Edition).where(Edition.card_id == card.id).order_by(Edition.number.desc()))


def _new_edition(card: Card, actor: User, content: dict, refs: References | None = None) -> Edition:
    number = (db.session.scalar(select(db.func.max(Edition.number)).where(Edition.card_id == card.id)) or 0) + 1
    edition = _build_edition(card, actor, content, refs or References.load(), number)
    _add_contributor(edition, actor, "open")
    db.session.flush()
    return edition


def _build_edition(card: Card, actor: User, content: dict, refs: References, number: int) -> Edition:
    edition = Edition(card=card, number=number, author=actor, status=EditionStatus.DRAFT, title=content["title"])
    db.session.add(edition)
    with db.session.no_autoflush:
        apply_content(edition, content, refs)
    return edition


def save_draft(edition: Edition, content: dict, actor: User, expected_version: int) -> Edition:
    """Save a draft; refused with the other person's changes if someone saved since `expected_version`."""
    _require_role(actor, Role.EDITOR)
    _require_status(edition, EditionStatus.DRAFT)
    if edition.lock_version != expected_version:
        raise _conflict(edition, content)
    before = edition_to_content(edition)
    refs = References.load()
    with db.session.no_autoflush:
        apply_content(edition, content, refs)
        _add_contributor(edition, actor, "save")
    edition.updated_at = now()
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise _conflict(db.session.get(Edition, edition.id), content) from None
    record_audit(
        actor,
        "save_draft",
        edition,
        card=edition.card,
        edition=edition,
        fields=[c.field for c in diff_contents(before, content)],
    )
    return edition


def _conflict(current: Edition, attempted: dict) -> ConflictError:
    """The refusal of a stale save, naming whoever changed the draft last and how."""
    db.session.refresh(current)
    last = db.session.execute(
        select(AuditRecord.actor_name, AuditRecord.action)
        .where(AuditRecord.edition_id == current.id)
        .order_by(AuditRecord.id.desc())
        .limit(1)
    ).first()
    saved_by = current.updated_by.display_name if current.updated_by else (last.actor_name if last else "")
    if last is not None and last.action == "send_back":
        what = f"Ten szkic zmienił się w międzyczasie: {last.actor_name} zwrócił(a) go do poprawy"
        what += f" (treść ostatnio zapisał(a): {saved_by})." if saved_by else "."
    else:
        who = (last.actor_name if last else "") or saved_by or "ktoś inny"
        what = f"Ten szkic zapisał w międzyczasie inny redaktor (ostatnio: {who})."
    error = ConflictError(
        what + " Twoje zmiany nie zostały zapisane; dla każdego pola, które się różni, wybierz wersję do zachowania.",
        diff_contents(attempted, edition_to_content(current)),
    )
    error.version, error.saved_by = current.lock_version, saved_by
    return error


def save_resolved_draft(edition: Edition, mine: dict, choices: dict[str, str], actor: User, seen: int) -> Edition:
    """Save after a conflict: `seen` is the saved version the editor compared with, field by field."""
    _require_role(actor, Role.EDITOR)
    _require_status(edition, EditionStatus.DRAFT)
    if edition.lock_version != seen:
        raise _conflict(edition, mine)
    try:
        merged = resolve_conflict(edition_to_content(edition), mine, choices)
    except ValidationError as exc:
        conflict = _conflict(edition, mine)
        error = ConflictError(exc.message, conflict.changes)
        error.version, error.saved_by = conflict.version, conflict.saved_by
        raise error from None
    return save_draft(edition, merged, actor, seen)


def resolve_conflict(saved: dict, mine: dict, choices: dict[str, str]) -> dict:
    """The content to save after a conflict: per differing field, the editor's choice of "mine" or "theirs".

    Every field where the editor's version differs from the saved one needs an explicit choice, so a
    second save never silently reverts what the other person saved.
    """
    merged = dict(saved)
    missing = []
    for change in diff_contents(saved, mine):
        choice = choices.get(change.field)
        if choice == "mine":
            merged[change.field] = mine[change.field]
        elif choice != "theirs":
            missing.append(FIELD_LABELS[change.field])
    if missing:
        raise ValidationError("Wybierz, którą wersję zachować, dla pól: " + ", ".join(missing) + ".")
    return merged


def submit_edition(edition: Edition, actor: User) -> Edition:
    """Send a draft for substantive approval; from now on its content is frozen."""
    signoff.submit(EDITION, edition, actor)
    record_audit(actor, "submit", edition, card=edition.card, edition=edition)
    notifications.queue_submitted(edition)
    return edition


def approve_edition(edition: Edition, actor: User, comment: str = "") -> Edition:
    """Approve on substance (zatwierdził merytorycznie); never by the edition's author."""
    signoff.approve(EDITION, edition, actor)
    edition.comment = comment
    record_audit(actor, "approve", edition, card=edition.card, edition=edition, comment=comment)
    return edition


def send_back_edition(edition: Edition, actor: User, comment: str) -> Edition:
    """Return a submitted edition to its author as a draft, with the reason; every sign-off is void."""
    scheduled = edition.publisher_id is not None or edition.publisher is not None
    signoff.send_back(EDITION, edition, actor, comment)
    if scheduled:  # the date was the publisher's schedule, void with their sign-off
        edition.effective_date = None
    edition.comment = comment
    db.session.flush()
    _reschedule(edition.card)
    record_audit(actor, "send_back", edition, card=edition.card, edition=edition, comment=comment,
                 voided_schedule=scheduled)  # fmt: skip
    notifications.queue_sent_back(edition, comment)
    return edition


def publish_edition(edition: Edition, actor: User, on: date | None = None) -> Edition:
    """Approve for use: go live now, or on `on` / the effective date when that is in the future."""
    signoff.check_publish(EDITION, edition, actor)
    if on is not None:
        if on < today():
            raise InvalidTransition("Data publikacji nie może być w przeszłości.")
        edition.effective_date = on
    edition.publisher = actor
    if edition.effective_date and edition.effective_date > today():
        card = edition.card
        card.next_scheduled_on = min(filter(None, [card.next_scheduled_on, edition.effective_date]))
        record_audit(actor, "schedule", edition, card=card, edition=edition, on=edition.effective_date.isoformat())
        return edition
    _go_live(edition)
    record_audit(actor, "publish", edition, card=edition.card, edition=edition)
    return edition


def _go_live(edition: Edition) -> None:
    _mark_live(edition)
    db.session.flush()
    _log_change(edition.card, "published")


def _mark_live(edition: Edition) -> None:
    """Make `edition` the card's live edition (no flush: the import batches many)."""
    card = edition.card
    previous = card.live_edition
    if previous is not None and previous is not edition:
        previous.status = EditionStatus.SUPERSEDED
    edition.status = EditionStatus.PUBLISHED
    edition.published_at = now()
    edition.rows_snapshot = build_snapshot(edition)
    if edition.effective_date is None:
        edition.effective_date = today()
    card.live_edition = edition
    card.last_verified_at = edition.published_at
    card.last_verified_by = edition.publisher.display_name if edition.publisher else ""
    mark_translations_behind(edition)


def publish_due(card: Card | None = None, voided: list | None = None) -> list[Edition]:
    """Publish scheduled editions whose effective date has come (all cards, or one).

    An edition whose content is not what was approved is not published: its schedule is voided and it
    is appended to `voided` when given.
    """
    query = (
        select(Edition)
        .join(Edition.card)
        .where(
            Edition.status == EditionStatus.APPROVED,
            Edition.publisher_id.is_not(None),
            Edition.effective_date <= today(),
        )
    )
    if card is not None:
        query = query.where(Edition.card_id == card.id)
    candidates = list(db.session.scalars(query.order_by(Edition.card_id, Edition.number)))
    due = []
    for edition in candidates:
        if not signoff.signed_content_matches(EDITION, edition):
            _void_schedule(edition)
            if voided is not None:
                voided.append(edition)
            continue
        _go_live(edition)
        record_audit(edition.publisher, "publish_scheduled", edition, card=edition.card, edition=edition)
        due.append(edition)
    for touched in {e.card for e in candidates} | ({card} if card else set()):
        _reschedule(touched)
    return due


def _void_schedule(edition: Edition) -> None:
    """A scheduled edition whose content is not what was approved never goes live: its schedule is void."""
    publisher = edition.publisher
    edition.publisher = None
    db.session.flush()
    record_audit(publisher, "schedule_voided", edition, card=edition.card, edition=edition,
                 comment="Treść różni się od zatwierdzonej; publikacja wstrzymana.")  # fmt: skip


def _reschedule(card: Card) -> None:
    card.next_scheduled_on = db.session.scalar(
        select(db.func.min(Edition.effective_date)).where(
            Edition.card_id == card.id,
            Edition.status == EditionStatus.APPROVED,
            Edition.publisher_id.is_not(None),
        )
    )


def withdraw_card(card: Card, actor: User, comment: str = "") -> Edition:
    """Take a card off the public pages; its history stays."""
    _require_role(actor, Role.PUBLISHER)
    edition = card.live_edition
    if edition is None:
        raise InvalidTransition("Karta nie ma opublikowanego wydania.")
    edition.status = EditionStatus.WITHDRAWN
    edition.withdrawn_at = now()
    card.live_edition = None
    db.session.flush()
    _log_change(card, "withdrawn")
    record_audit(actor, "withdraw", edition, card=card, edition=edition, comment=comment)
    return edition


def revert_card(card: Card, source: Edition, actor: User) -> Edition:
    """Open a draft with the content of an earlier public edition; it goes live only through review.

    Whoever reverts is a contributor of the new edition, so the four-eyes rule applies to it as to
    any other draft (the old content's approvals were given for another edition, at another time).
    """
    _require_role(actor, Role.EDITOR)
    if source.card_id != card.id:
        raise NotFound("To wydanie nie należy do tej karty.")
    if source.status not in (EditionStatus.SUPERSEDED, EditionStatus.WITHDRAWN, EditionStatus.PUBLISHED):
        raise InvalidTransition("Przywrócić można tylko wydanie, które było opublikowane.")
    _require_no_open_edition(card)
    content = edition_to_content(source)
    content["effective_date"] = None
    edition = _new_edition(card, actor, content)
    edition.contributors[0].kind = "revert"
    edition.reverted_from_id = source.id
    edition.comment = f"Przywrócono treść wydania {source.number:02d}; wymaga zatwierdzenia."
    record_audit(actor, "revert", edition, card=card, edition=edition, source=source.number)
    return edition


def build_imported_edition(card: Card, content: dict, importer: User, refs: References, number: int) -> Edition:
    """An edition from `content/`, approved and released as it is built; the review happened in git.

    Nothing is flushed, so an import of thousands of cards writes in a few batches;
    `record_imported_edition` logs it once ids exist.
    """
    edition = _build_edition(card, importer, content, refs, number)
    # The system account is the edition's only contributor: no person can later sign off their own
    # changes to imported content by pointing at the importer as its author.
    edition.contributors.append(EditionContributor(user=importer, user_id=importer.id, kind="import",
                                                   first_at=now(), last_at=now()))  # fmt: skip
    edition.updated_by = importer
    edition.submitted_at = edition.approved_at = now()
    edition.approver = edition.publisher = importer
    edition.submitted_hash = edition.approved_hash = signoff_hash(edition)
    edition.comment = "Import z repozytorium treści."
    if edition.effective_date and edition.effective_date > today():
        edition.status = EditionStatus.APPROVED
        card.next_scheduled_on = min(filter(None, [card.next_scheduled_on, edition.effective_date]))
    else:
        _mark_live(edition)
    return edition


def record_imported_edition(edition: Edition, importer: User) -> None:
    """The change-log and audit rows of an imported edition (after the batch flush gave it an id)."""
    if edition.status == EditionStatus.PUBLISHED:
        _log_change(edition.card, "published")
    record_audit(importer, "import", edition, card=edition.card, edition=edition)


def editions_awaiting(actor: User, limit: int = 100) -> list[Edition]:
    """The editions waiting for `actor`'s signature: in review (approvers, their departments) and approved
    but not yet scheduled (publishers); never one they contributed to, nor one they approved themselves."""
    statuses = [s for role, s in ((Role.APPROVER, EditionStatus.IN_REVIEW), (Role.PUBLISHER, EditionStatus.APPROVED))
                if actor.has_role(role)]  # fmt: skip
    if not statuses or not actor.active:
        return []
    mine = select(EditionContributor.edition_id).where(EditionContributor.user_id == actor.id)
    query = (
        select(Edition)
        .join(Edition.card)
        .where(
            Edition.status.in_(statuses),
            Edition.id.not_in(mine),
            Edition.author_id.is_distinct_from(actor.id),
            Edition.publisher_id.is_(None),  # a scheduled edition is signed already
            or_(Edition.status != EditionStatus.APPROVED, Edition.approver_id.is_distinct_from(actor.id)),
        )
    )
    departments = [d.id for d in actor.departments]
    if departments:  # an approver with departments approves only their cards
        query = query.where(or_(Edition.status != EditionStatus.IN_REVIEW, Card.owner_department_id.in_(departments)))
    return list(db.session.scalars(query.order_by(Edition.submitted_at, Edition.id).limit(limit)))


def _editions_showing(fact):
    """A query of the ids of editions that show `fact` (a shared legal act, fee, service point, form file or
    department), or None for a kind of fact no edition shows."""
    rows = {LegalAct: EditionLegalAct.legal_act_id, SharedFee: EditionFee.shared_fee_id,
            Location: EditionPoint.location_id, FormFile: EditionForm.form_file_id}  # fmt: skip
    column = rows.get(type(fact))
    if column is not None:
        return select(column.class_.edition_id).where(column == fact.id)
    if isinstance(fact, Department):
        return select(Edition.id).where(Edition.department_id == fact.id)
    return None


def record_shared_fact_change(fact, actor: User) -> list[Edition]:
    """Whoever changes a shared fact changes what every open edition showing it will publish: they become a
    contributor of each, so four eyes refuses them as its approver and publisher. Returns those editions.

    Only the contributor row is added (the edition's own row is untouched), so an editor's open form does not
    turn stale because someone corrected a shared fact."""
    showing = _editions_showing(fact)
    if showing is None or actor is None:
        return []
    editions = list(db.session.scalars(select(Edition).where(Edition.id.in_(showing),
                                                             Edition.status.in_(OPEN_STATUSES))))  # fmt: skip
    for edition in editions:
        if actor.id in _contributors(edition):
            continue
        db.session.add(EditionContributor(edition_id=edition.id, user_id=actor.id, kind="shared_fact",
                                          first_at=now(), last_at=now()))  # fmt: skip
        record_audit(actor, "shared_fact_contributor", edition, card=edition.card, edition=edition,
                     fact=f"{fact.__tablename__}:{getattr(fact, 'slug', None) or fact.id}")  # fmt: skip
    db.session.flush()
    return editions


def changes_against_live(edition: Edition):
    """What `edition` changes against the card's live edition (everything, for a card never published)."""
    live = edition.card.live_edition
    return diff_contents(edition_to_content(live) if live else {}, edition_to_content(edition))


def diff_editions(old: Edition, new: Edition):
    """Field-by-field changes from `old` to `new`."""
    return diff_contents(edition_to_content(old), edition_to_content(new))
