"""A published card as the plain document the index stores."""

from collections.abc import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.cards.models import Card
from kiosk.cards.published import card_load_options

BATCH = 200


def card_document(card: Card) -> dict | None:
    """The searchable text of a card's live edition, or None when nothing is published."""
    edition = card.live_edition
    if edition is None:
        return None
    documents = [d.name for d in edition.documents] + [f.what for f in edition.fees]
    context = [edition.category.name if edition.category else ""] + [ls.name for ls in edition.life_situations]
    body = [edition.body, edition.settle_text, edition.online_text, *context, *(d.note for d in edition.documents)]
    return {
        "slug": card.slug,
        "title": edition.title,
        "summary": edition.summary or "",
        "keywords": "\n".join(edition.keywords or []),
        "documents": "\n".join(documents),
        "body": "\n".join(filter(None, body)),
        "category": edition.category.slug if edition.category else "",
        "points": [p.location.slug for p in edition.points],
    }


def load_documents(session: Session, card_ids: Iterable[int]) -> list[dict]:
    """Documents for the given cards that are published now."""
    ids = sorted(set(card_ids))
    return [doc for i in range(0, len(ids), BATCH) for doc in _batch(session, ids[i : i + BATCH])]


def iter_all_documents(session: Session) -> Iterator[dict]:
    """Every published card's document, loaded in batches."""
    ids = list(session.scalars(select(Card.id).where(Card.live_edition_id.is_not(None)).order_by(Card.id)))
    for i in range(0, len(ids), BATCH):
        yield from _batch(session, ids[i : i + BATCH])
        session.expunge_all()


def _batch(session: Session, ids: list[int]) -> list[dict]:
    cards = session.scalars(select(Card).where(Card.id.in_(ids)).options(*card_load_options())).unique()
    return [doc for doc in map(card_document, cards) if doc is not None]
