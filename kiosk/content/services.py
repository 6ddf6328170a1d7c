"""Import `content/` into the database and export published editions back."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from kiosk.accounts.models import Role, User
from kiosk.audit import record_audit
from kiosk.cards.content import References, content_hash, edition_to_content
from kiosk.cards.models import Card, Edition, EditionStatus
from kiosk.cards.published import card_load_options
from kiosk.cards.services import build_imported_edition, record_imported_edition
from kiosk.errors import DomainError
from kiosk.extensions import db

from .cardfile import CardFile, read_card_file, render_card_file
from .facts import export_facts, upsert_facts
from .translation_sync import export_translations, import_translations
from .translationfile import is_translation_path

IMPORTER_USERNAME = "import"


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Cards left as they are because a person's edition is open (draft, in review or approved).
    blocked: list[str] = field(default_factory=list)
    facts_changed: dict = field(default_factory=dict)
    # Translation files published by this import ("<slug>.<lang>").
    translations: list[str] = field(default_factory=list)


def importer_user() -> User:
    """The system account that content imports are attributed to."""
    user = db.session.scalar(select(User).where(User.username == IMPORTER_USERNAME))
    if user is not None and (not user.is_system or user.active):
        # A person's account under this name would sign off imported content as if it were the system.
        raise DomainError(f"Konto „{IMPORTER_USERNAME}” nie jest kontem systemowym importu; import wstrzymany.")
    if user is None:
        user = User(
            username=IMPORTER_USERNAME,
            display_name="Biuro Interwencji i Informowania Mieszkańców (import treści)",
            is_system=True,
            active=False,
        )
        user.roles = [Role.EDITOR, Role.APPROVER, Role.PUBLISHER]
        db.session.add(user)
        db.session.flush()
    return user


def card_paths(directory: Path) -> list[Path]:
    return sorted(p for p in (directory / "cards").glob("*.md") if not is_translation_path(p))


def import_content(directory: Path, progress: Callable[[Path], None] = lambda path: None) -> ImportReport:
    """Import facts and cards; raises ContentFileError before anything is kept (the caller rolls back).

    Writes in three batches (new cards and forms, editions with their rows, log rows), not per card.
    """
    importer = importer_user()
    report = ImportReport(facts_changed=upsert_facts(directory, importer))
    db.session.flush()
    refs = References.load()
    files = []
    for path in card_paths(directory):
        files.append(read_card_file(path, refs))
        progress(path)
    changed = _cards_to_import(files, refs, importer, report)
    for card_file in files:
        for form in card_file.content["forms"]:
            refs.form(form["title"], form["url"])
    db.session.flush()
    created = set(report.created)
    for card, _ in changed:
        if card.slug in created:
            record_audit(importer, "create_card", card, card=card)
    numbers = dict(
        db.session.execute(select(Edition.card_id, func.max(Edition.number)).group_by(Edition.card_id)).all()
    )
    with db.session.no_autoflush:
        editions = [
            build_imported_edition(card, card_file.content, importer, refs, numbers.get(card.id, 0) + 1)
            for card, card_file in changed
        ]
    db.session.flush()
    for edition in editions:
        record_imported_edition(edition, importer)
    db.session.flush()
    import_translations(directory, importer, report)
    db.session.flush()
    return report


def _cards_to_import(files: list[CardFile], refs: References, importer: User, report: ImportReport) -> list:
    """(card, file) pairs whose content differs from what is published or scheduled; new cards are added."""
    cards = {c.slug: c for c in db.session.scalars(select(Card))}
    known = set(
        db.session.execute(
            select(Edition.card_id, Edition.content_hash).where(
                Edition.status.in_((EditionStatus.PUBLISHED, EditionStatus.APPROVED))
            )
        ).all()
    )
    in_work = _cards_in_work(importer)
    changed = []
    for card_file in files:
        card = cards.get(card_file.slug)
        if card is not None and card.id in in_work:
            report.blocked.append(card_file.slug)
            continue
        department = refs.departments.get(card_file.content["department"])
        if card is None:
            card = Card(slug=card_file.slug)
            db.session.add(card)
            _update_card_fields(card, card_file, department, None)
            report.created.append(card_file.slug)
        else:
            _update_card_fields(card, card_file, department, importer)
            if (card.id, content_hash(card_file.content)) in known:
                report.unchanged.append(card_file.slug)
                continue
            report.updated.append(card_file.slug)
        changed.append((card, card_file))
    db.session.flush()
    return changed


def _cards_in_work(importer: User) -> set[int]:
    """Cards with an open edition someone is working on: an import never goes around their review.

    Only an edition the importer itself scheduled may be followed by a newer import.
    """
    rows = db.session.execute(
        select(Edition.card_id, Edition.status, Edition.approver_id).where(
            Edition.status.in_((EditionStatus.DRAFT, EditionStatus.IN_REVIEW, EditionStatus.APPROVED))
        )
    )
    return {card_id for card_id, status, approver in rows
            if status != EditionStatus.APPROVED or approver != importer.id}  # fmt: skip


def _update_card_fields(card: Card, card_file: CardFile, department, importer: User | None) -> None:
    """Owner and review rhythm live on the card, not the edition; audited unless the card is new."""
    values = {
        "owner_department": department,
        "owner_name": card_file.owner_name,
        "owner_email": card_file.owner_email,
        "review_interval_days": card_file.review_interval_days,
    }
    changed = [k for k, v in values.items() if getattr(card, k) != v]
    for key in changed:
        setattr(card, key, values[key])
    if changed and importer is not None:
        record_audit(importer, "update_card", card, card=card, fields=changed)


def export_content(directory: Path, progress: Callable[[str], None] = lambda slug: None) -> int:
    """Write facts and every published card to `directory`; returns the number of cards written."""
    (directory / "cards").mkdir(parents=True, exist_ok=True)
    export_facts(directory)
    query = select(Card).where(Card.live_edition_id.is_not(None)).options(*card_load_options()).order_by(Card.slug)
    count = 0
    for card in db.session.scalars(query):
        text = render_card_file(
            CardFile(
                card.slug,
                edition_to_content(card.live_edition),
                card.owner_name,
                card.owner_email,
                card.review_interval_days,
            )
        )
        (directory / "cards" / f"{card.slug}.md").write_text(text, encoding="utf-8")
        progress(card.slug)
        count += 1
    export_translations(directory)
    return count
