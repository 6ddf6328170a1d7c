"""Content gaps: what residents searched for and did not find, read from the search query log.

A gap is a query that found nothing, or found cards none of which was opened. Queries are grouped by
a normalised form (lower case, no diacritics, single spaces) so "Dowód  osobisty" and "dowod osobisty"
count together.
"""

from datetime import datetime

from sqlalchemy import select

from kiosk.accounts.models import User
from kiosk.cards import services as cards
from kiosk.cards.content import edition_to_content
from kiosk.cards.models import Card, Edition, EditionStatus
from kiosk.clock import LOCAL_TZ
from kiosk.errors import InvalidTransition, ValidationError
from kiosk.extensions import db
from kiosk.search import services as search

normalise = search.normalise_query
Gap = search.QueryGap


def content_gaps(days: int = 90, limit: int | None = 100) -> list[Gap]:
    """Zero-result and no-click queries of the last `days`, grouped, most frequent first (the search log's)."""
    return search.query_gaps(days=days, limit=limit)


def local_day(value: datetime) -> str:
    return f"{value.astimezone(LOCAL_TZ):%d.%m.%Y}"


def attach_gap_to_card(query: str, card: Card, actor: User) -> Edition:
    """Add a searched phrase to a card's keywords, as a draft for the usual review (one step for the editor)."""
    phrase = normalise(query)[:80]
    if not phrase:
        raise ValidationError("Puste zapytanie.", "query")
    draft = db.session.scalar(
        select(Edition).where(Edition.card_id == card.id, Edition.status.in_(cards.OPEN_STATUSES))
    )
    if draft is not None and draft.status != EditionStatus.DRAFT:
        raise InvalidTransition(f"Karta ma wydanie {draft.number:02d} w obiegu; dodaj słowo po jego publikacji.")
    if draft is None:
        draft = cards.open_draft(card, actor)
    content = edition_to_content(draft)
    if phrase not in [normalise(k) for k in content["keywords"]]:
        content["keywords"] = [*content["keywords"], phrase]
        cards.save_draft(draft, content, actor, draft.lock_version)
    return draft


def add_gap_synonym(query: str, words: str, actor: User) -> None:
    """Turn a gap into a synonym: the resident's phrase → the words the cards use (comma-separated)."""
    phrase = normalise(query)[:80]
    targets = [w.strip() for w in (words or "").split(",") if w.strip()][:10]
    if not phrase or not targets:
        raise ValidationError("Podaj zapytanie i co najmniej jedno słowo, którego używają karty.", "words")
    search.add_synonym(phrase, targets)
