"""Read-only queries behind the public pages and the open-data API."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import Select, bindparam, case, exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from kiosk.accounts.models import User
from kiosk.cards.diff import word_diff
from kiosk.cards.models import (
    Card,
    CardChange,
    Edition,
    EditionFee,
    EditionForm,
    EditionLegalAct,
    EditionPoint,
    EditionStatus,
    edition_life_situation,
)
from kiosk.cards.services import diff_editions
from kiosk.errors import NotFound
from kiosk.extensions import db
from kiosk.facts.models import Category, Department, FormFile, LegalAct, LifeSituation, Location, SharedFee
from kiosk.markdown_render import markdown_text

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # the oldest stamp; fixed, whatever the host's time zone
PUBLIC_STATUSES = (EditionStatus.PUBLISHED, EditionStatus.SUPERSEDED, EditionStatus.WITHDRAWN)


@dataclass
class Page:
    """One page of results with what a pager needs."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(query: Select, page: int, per_page: int, scalars: bool = False) -> Page:
    """Run one page of `query`; a page past the end is NotFound (page 1 of nothing is fine)."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    if page > 1 and (page - 1) * per_page >= total:
        raise NotFound("Nie ma takiej strony wyników.")
    result = db.session.execute(query.limit(per_page).offset((page - 1) * per_page))
    items = list(result.scalars() if scalars else result)
    return Page(items, page, per_page, total)


def live_cards_query(category: Category | None = None, situation: LifeSituation | None = None,
                     point: Location | None = None) -> Select:  # fmt: skip
    """Rows for card lists: slug, title, summary, edition number and dates, category."""
    query = (
        select(Card.slug, Edition.title, Edition.summary, Edition.kind, Edition.number, Edition.effective_date,
               Edition.published_at, Category.slug.label("category_slug"), Category.name.label("category_name"))
        .join(Edition, Card.live_edition_id == Edition.id)
        .outerjoin(Category, Edition.category_id == Category.id)
        .order_by(Edition.title, Card.slug)
    )  # fmt: skip
    if category is not None:
        query = query.where(Edition.category_id == category.id)
    if situation is not None:
        link = edition_life_situation.c
        query = query.where(exists().where(link.edition_id == Edition.id, link.life_situation_id == situation.id))
        if situation.order:  # the order a person goes through the matters, then the rest by title
            rank = case(
                {slug: i for i, slug in enumerate(situation.order)}, value=Card.slug, else_=len(situation.order)
            )
            query = query.order_by(None).order_by(rank, Edition.title, Card.slug)
    if point is not None:
        query = query.where(exists().where(EditionPoint.edition_id == Edition.id, EditionPoint.location_id == point.id))
    return query


def list_live_cards(page: int = 1, per_page: int = 50, **filters) -> Page:
    """A page of published cards, optionally in a category, life situation or service point."""
    return paginate(live_cards_query(**filters), page, per_page)


def count_cards_by_category() -> dict[int, int]:
    """Published cards per category id."""
    rows = db.session.execute(
        select(Edition.category_id, func.count())
        .join(Card, Card.live_edition_id == Edition.id)
        .group_by(Edition.category_id)
    )
    return {category_id: count for category_id, count in rows}


@dataclass
class Change:
    """One entry of the public change log: a card published (with the edition) or withdrawn."""

    at: datetime
    kind: str
    slug: str
    edition: Edition | None


def _change_rows():
    # The change log is narrow and ordered by its primary key, so the newest entries are cheap even with
    # thousands of cards (edition rows are wide and published_at has no index).
    return (
        select(CardChange.at, CardChange.kind, CardChange.card_id, Card.slug)
        .join(Card, Card.id == CardChange.card_id)
        .where(CardChange.kind.in_(("published", "withdrawn")))
        .order_by(CardChange.id.desc())
    )


def recent_changes(page: int = 1, per_page: int = 30) -> Page:
    """Published and withdrawn cards, newest first, each with the edition it concerns."""
    result = paginate(_change_rows(), page, per_page)
    card_ids = {row.card_id for row in result.items}
    editions: dict[int, list[Edition]] = {}
    query = (
        select(Edition)
        .options(joinedload(Edition.category))
        .where(Edition.card_id.in_(card_ids), Edition.published_at.is_not(None))
        .order_by(Edition.published_at)
    )
    for edition in db.session.scalars(query):
        editions.setdefault(edition.card_id, []).append(edition)
    result.items = [_change(row, editions.get(row.card_id, [])) for row in result.items]
    return result


def latest_changes(limit: int = 5) -> list[tuple[str, str, str, datetime]]:
    """(kind, slug, title, at) of the newest changes, as plain values that can outlive the session."""
    return [(c.kind, c.slug, c.edition.title, c.at) for c in recent_changes(1, limit).items if c.edition]


def _change(row, editions: list[Edition]) -> Change:
    # The edition that went live at (or, for a withdrawal, was live until) the moment of the change.
    margin = timedelta(seconds=2)
    live = [e for e in editions if e.published_at <= row.at + margin]
    return Change(row.at, row.kind, row.slug, live[-1] if live else None)


def _edition_load_options():
    return (
        joinedload(Edition.category), joinedload(Edition.department), joinedload(Edition.author),
        joinedload(Edition.approver), joinedload(Edition.publisher), selectinload(Edition.life_situations),
        selectinload(Edition.documents), selectinload(Edition.fees).joinedload(EditionFee.shared_fee),
        selectinload(Edition.points).joinedload(EditionPoint.location),
        selectinload(Edition.legal_acts).joinedload(EditionLegalAct.legal_act),
        selectinload(Edition.forms).joinedload(EditionForm.form_file),
    )  # fmt: skip


def published_editions(card: Card, limit: int = 50) -> list[Edition]:
    """The card's editions that have been public, newest first (the register of changes)."""
    query = (
        select(Edition)
        .options(*_edition_load_options())
        .where(Edition.card_id == card.id, Edition.published_at.is_not(None), Edition.status.in_(PUBLIC_STATUSES))
        .order_by(Edition.number.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class RegisterEntry:
    """One line of a card's register of changes."""

    label: str
    published_at: datetime
    publisher: str


def register_of_changes(card: Card, limit: int = 10) -> list[RegisterEntry]:
    """The card's public editions with who published them, newest first (columns only: it is on every card)."""
    rows = db.session.execute(
        select(Edition.number, Edition.effective_date, Edition.published_at, User.display_name)
        .outerjoin(User, Edition.publisher_id == User.id)
        .where(Edition.card_id == card.id, Edition.published_at.is_not(None), Edition.status.in_(PUBLIC_STATUSES))
        .order_by(Edition.number.desc())
        .limit(limit)
    )
    return [RegisterEntry(edition_label(n, day, at), at, who or "") for n, day, at, who in rows]


def edition_label(number: int, effective: date | None, published: datetime | None) -> str:
    """The seed's numbering, like Edition.label: "Wydanie 03 z dnia 12.05.2026"."""
    day = effective or (published.date() if published else None)
    return f"Wydanie {number:02d} z dnia {day:%d.%m.%Y}" if day else f"Wydanie {number:02d}"


def public_diff(old: Edition, new: Edition) -> list:
    """The changes a resident reads: the body compared as rendered text (no `##`, `**`), word by word."""
    changes = diff_editions(old, new)
    for change in changes:
        if change.field == "body":
            change.words = word_diff(markdown_text(change.old), markdown_text(change.new))
    return changes


def edition_history(card: Card) -> list[tuple[Edition, list]]:
    """Each published edition with the changes from the one before it (none for the first)."""
    editions = published_editions(card)
    return [
        (edition, public_diff(editions[i + 1], edition) if i + 1 < len(editions) else [])
        for i, edition in enumerate(editions)
    ]


@dataclass(frozen=True)
class Stamp:
    """What a cached page depends on; any change here changes the page's ETag."""

    parts: tuple
    modified: datetime
    facts: datetime | None = None  # newest change to shared facts (opening hours among them)


def _facts_columns():
    tables = (Location, Department, LegalAct, FormFile, SharedFee)
    return [select(func.max(t.updated_at)).scalar_subquery().label(f"f{i}") for i, t in enumerate(tables)]


def _latest(*moments) -> datetime:
    return max((m for m in moments if m is not None), default=EPOCH)


@lru_cache(maxsize=1)
def _card_stamp_query():
    # Built once: the hot path of every card page only binds the slug.
    return (
        select(Edition.id, Edition.published_at, Card.last_verified_at, Card.next_scheduled_on, *_facts_columns())
        .select_from(Card)
        .outerjoin(Edition, Card.live_edition_id == Edition.id)
        .where(Card.slug == bindparam("slug"))
    )


@lru_cache(maxsize=1)
def _site_stamp_query():
    counts = [select(func.count(m.id)).scalar_subquery() for m in (Category, LifeSituation)]
    return select(func.max(CardChange.id), func.max(CardChange.at), *counts, *_facts_columns())


def card_stamp(slug: str) -> tuple[Stamp, object] | None:
    """The validators of a card page, in one query; None for an unknown slug."""
    row = db.session.connection().execute(_card_stamp_query(), {"slug": slug}).first()
    if row is None:
        return None
    facts = _latest(*row[4:])
    stamp = Stamp((row.id, row.published_at, row.last_verified_at, facts), _latest(row[1], row[2], facts), facts)
    return stamp, row.next_scheduled_on


def site_stamp() -> Stamp:
    """The validators of pages that list many cards: the change log, the facts and how many groups exist."""
    row = db.session.connection().execute(_site_stamp_query()).first()
    facts = _latest(*row[4:])
    return Stamp((row[0], facts, row[2], row[3]), _latest(row[1], facts), facts)


def sitemap_entries() -> list:
    """Slug and date of every published card, for sitemap.xml."""
    return list(
        db.session.execute(
            select(Card.slug, Edition.published_at)
            .join(Edition, Card.live_edition_id == Edition.id)
            .order_by(Card.slug)
        )
    )
