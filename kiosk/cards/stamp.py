"""Stamps: what a public page of published cards depends on, read in one small query.

A cached page is looked up under its stamp, and every part of a stamp changes in the same transaction as
the data it stands for (docs/architecture.md § Caching). The website, the kiosk and the API all key their
pages on these, so they live here rather than in any one of them.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import and_, bindparam, func, select

from kiosk.extensions import db
from kiosk.facts.models import Category, Department, FormFile, LegalAct, LifeSituation, Location, SharedFee

from .models import Card, CardChange, Edition
from .translation_models import TRANSLATION_LANGUAGES, Translation, TranslationStatus

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # the oldest stamp; fixed, whatever the host's time zone


@dataclass(frozen=True)
class Stamp:
    """What a cached page depends on; any change here changes the page's ETag."""

    parts: tuple
    modified: datetime
    facts: datetime | None = None  # newest change to shared facts (opening hours among them)
    # The published translation in the page's language: (id, behind since, published at, content hash,
    # reviewed), (None,) when there is none, () for Polish.
    translation: tuple = ()

    @property
    def translated(self) -> bool:
        return bool(self.translation and self.translation[0])


def _facts_columns():
    tables = (Location, Department, LegalAct, FormFile, SharedFee)
    return [select(func.max(t.updated_at)).scalar_subquery().label(f"f{i}") for i, t in enumerate(tables)]


def _latest(*moments) -> datetime:
    return max((m for m in moments if m is not None), default=EPOCH)


_TRANSLATION_COLUMNS = (
    Translation.id,
    Translation.behind_since,
    Translation.published_at,
    Translation.content_hash,
    Translation.reviewed,
)


@lru_cache(maxsize=1)
def _card_stamp_query():
    # Built once: the hot path of every card page only binds the slug and the language. The published
    # translation rides along in the same query (an outer join on its index), so a translated page costs
    # no more queries than a Polish one; for Polish the join finds nothing.
    translation = and_(
        Translation.card_id == Card.id,
        Translation.language == bindparam("language"),
        Translation.status == TranslationStatus.PUBLISHED,
    )
    return (
        select(Edition.id, Edition.published_at, Card.last_verified_at, *_facts_columns(), *_TRANSLATION_COLUMNS)
        .select_from(Card)
        .outerjoin(Edition, Card.live_edition_id == Edition.id)
        .outerjoin(Translation, translation)
        .where(Card.slug == bindparam("slug"))
    )


@lru_cache(maxsize=1)
def _site_stamp_query():
    counts = [select(func.count(m.id)).scalar_subquery() for m in (Category, LifeSituation)]
    return select(func.max(CardChange.id), func.max(CardChange.at), *counts, *_facts_columns())


def card_stamp(slug: str, language: str = "pl") -> Stamp | None:
    """The validators of a card's pages in `language`, in one query; None for an unknown slug."""
    row = db.session.connection().execute(_card_stamp_query(), {"slug": slug, "language": language}).first()
    if row is None:
        return None
    facts = _latest(*row[3:8])
    parts = (row[0], row[1], row[2], facts)
    modified = _latest(row[1], row[2], facts)
    if language not in TRANSLATION_LANGUAGES:
        return Stamp(parts, modified, facts)
    translation = tuple(row[8:]) if row[8] is not None else (None,)
    return Stamp((*parts, language, *translation), _latest(modified, *translation[1:3]), facts, translation)


def site_stamp() -> Stamp:
    """The validators of pages that list many cards: the change log, the facts and how many groups exist."""
    row = db.session.connection().execute(_site_stamp_query()).first()
    facts = _latest(*row[4:])
    return Stamp((row[0], facts, row[2], row[3]), _latest(row[1], facts), facts)
