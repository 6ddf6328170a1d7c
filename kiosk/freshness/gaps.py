"""Content gaps: what residents searched for and did not find, read from the search query log.

A gap is a query that found nothing, or found cards none of which was opened. Queries are grouped by
a normalised form (lower case, no diacritics, single spaces) so "Dowód  osobisty" and "dowod osobisty"
count together.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select

from kiosk.accounts.models import User
from kiosk.cards import services as cards
from kiosk.cards.content import edition_to_content
from kiosk.cards.models import Card, Edition, EditionStatus
from kiosk.clock import LOCAL_TZ, now
from kiosk.errors import InvalidTransition, ValidationError
from kiosk.extensions import db
from kiosk.search.models import SearchQuery

FOLD = str.maketrans("ąćęłńóśźż", "acelnoszz")
SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The form gaps are grouped by."""
    return SPACES.sub(" ", (text or "").lower().translate(FOLD)).strip()


@dataclass
class Gap:
    query: str
    zero_results: int
    no_click: int
    last_seen: datetime

    @property
    def count(self) -> int:
        return self.zero_results + self.no_click


def content_gaps(days: int = 90, limit: int | None = 100) -> list[Gap]:
    """Zero-result and no-click queries of the last `days`, grouped, most frequent first."""
    zero = SearchQuery.result_count == 0
    no_click = (SearchQuery.result_count > 0) & SearchQuery.opened_slug.is_(None)
    text = func.lower(SearchQuery.text)
    counts = (func.sum(case((zero, 1), else_=0)), func.sum(case((no_click, 1), else_=0)))
    rows = db.session.execute(
        select(text, *counts, func.max(SearchQuery.at))
        .where(SearchQuery.at >= now() - timedelta(days=days), zero | no_click)
        .group_by(text)
    )  # fmt: skip
    gaps: dict[str, Gap] = {}
    for raw, zeros, clicks, last in rows:
        key = normalise(raw)
        if not key:
            continue
        gap = gaps.setdefault(key, Gap(key, 0, 0, last))
        gap.zero_results += int(zeros or 0)
        gap.no_click += int(clicks or 0)
        gap.last_seen = max(gap.last_seen, last)
    ordered = sorted(gaps.values(), key=lambda g: (-g.count, -g.zero_results, g.query))
    return ordered[:limit] if limit else ordered


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


def synonym_writer():
    """The search module's function that adds a synonym to content/synonyms.yaml, when it offers one."""
    from kiosk.search import services as search

    return getattr(search, "add_synonym", None)


def add_gap_synonym(query: str, words: str, actor: User) -> None:
    """Turn a gap into a synonym: the resident's phrase → the words the cards use (comma-separated)."""
    phrase = normalise(query)[:80]
    targets = [w.strip() for w in (words or "").split(",") if w.strip()][:10]
    if not phrase or not targets:
        raise ValidationError("Podaj zapytanie i co najmniej jedno słowo, którego używają karty.", "words")
    writer = synonym_writer()
    if writer is None:
        raise InvalidTransition("Dodawanie synonimów nie jest jeszcze dostępne w module wyszukiwania.")
    writer(phrase, targets)
