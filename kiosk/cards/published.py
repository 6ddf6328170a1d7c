"""The read model of published cards, shared by the website, the API and the kiosk.

Reads only: nothing here adds, flushes or commits. A scheduled edition goes live through `publish_due`
(the `cards publish-due` job, or an explicit publish step), never as a side effect of a page being read;
until then readers see the card's previous live edition.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, case, exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from kiosk.errors import NotFound
from kiosk.extensions import db
from kiosk.facts.cache import facts_cache, facts_version_column
from kiosk.facts.models import Category, LifeSituation, Location
from kiosk.markdown_render import markdown_text

from .diff import word_diff
from .models import (
    Card,
    Edition,
    EditionFee,
    EditionForm,
    EditionLegalAct,
    EditionPoint,
    EditionStatus,
    edition_life_situation,
)
from .services import diff_editions
from .snapshot import hydrate_card

PUBLIC_STATUSES = (EditionStatus.PUBLISHED, EditionStatus.SUPERSEDED, EditionStatus.WITHDRAWN)


def card_load_options():
    """Eager loading for a card page: a fixed number of queries however many rows a card has."""
    live = joinedload(Card.live_edition)
    return (
        joinedload(Card.owner_department),
        live.joinedload(Edition.category),
        live.joinedload(Edition.department),
        live.joinedload(Edition.author),
        live.joinedload(Edition.approver),
        live.joinedload(Edition.publisher),
        live.selectinload(Edition.life_situations),
        live.selectinload(Edition.documents),
        live.selectinload(Edition.fees).joinedload(EditionFee.shared_fee),
        live.selectinload(Edition.points).joinedload(EditionPoint.location),
        live.selectinload(Edition.legal_acts).joinedload(EditionLegalAct.legal_act),
        live.selectinload(Edition.forms).joinedload(EditionForm.form_file),
    )


def get_published_card(slug: str) -> Card:
    """The card with its live edition and all relations (NotFound when it has none); writes nothing.

    One query: the card, its live edition, the people on it and the facts version; the rows come from
    the edition's snapshot and the shared facts from the per-process cache. Returned objects are for
    reading (pages, API); edit through the workflow functions.
    """
    row = _load_card_row(slug)
    if row is None:
        raise NotFound("Nie ma takiej karty.")
    card, facts_version = row
    if card.live_edition is None:
        raise NotFound("Ta karta nie jest obecnie opublikowana.")
    if card.live_edition.rows_snapshot is None:  # published before snapshots existed: load the stored rows
        db.session.expire(card)
        return db.session.scalar(select(Card).where(Card.slug == slug).options(*card_load_options()))
    hydrate_card(card, facts_cache().facts(facts_version))
    return card


def _load_card_row(slug: str):
    live = joinedload(Card.live_edition)
    options = (live.joinedload(Edition.author), live.joinedload(Edition.approver), live.joinedload(Edition.publisher))
    query = select(Card, facts_version_column()).where(Card.slug == slug).options(*options)
    return db.session.execute(query).unique().first()


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


def edition_label(number: int, effective: date | None, published: datetime | None) -> str:
    """The seed's numbering, like Edition.label: "Wydanie 03 z dnia 12.05.2026"."""
    day = effective or (published.date() if published else None)
    return f"Wydanie {number:02d} z dnia {day:%d.%m.%Y}" if day else f"Wydanie {number:02d}"


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
