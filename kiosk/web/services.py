"""The website's own queries: the change log, a card's register of changes, the sitemap.

The read model of a published card (the card, card lists, editions and their diffs) is shared with the API
and the kiosk and lives in `kiosk.cards.published`; page validators (stamps) in `kiosk.cards.stamp`.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from kiosk.accounts.models import User
from kiosk.cards.models import Card, CardChange, Edition
from kiosk.cards.published import PUBLIC_STATUSES, Page, edition_label, paginate
from kiosk.cards.stamp import EPOCH, Stamp, card_stamp, site_stamp  # noqa: F401  (the kiosk and API share them)
from kiosk.extensions import db


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


def sitemap_entries() -> list:
    """Slug and date of every published card, for sitemap.xml."""
    return list(
        db.session.execute(
            select(Card.slug, Edition.published_at)
            .join(Edition, Card.live_edition_id == Edition.id)
            .order_by(Card.slug)
        )
    )
