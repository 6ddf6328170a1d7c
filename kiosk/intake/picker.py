"""Picking the matter at the counter by its title: suggestions while typing, and the typed title back to a card.

Suggestions come from the search engine (`kiosk.search.services`): completions of the words typed so far,
topped up by the full search, which forgives typos and missing diacritics ("dowud" finds "dowód").
The clerk sees titles only; a title that matches no published card is a clear message, never a 400 page.
"""

from kiosk.cards.models import Card
from kiosk.errors import ValidationError
from kiosk.search import services as search
from kiosk.search.polish import fold

from .services import card_choices, find_card

MAX_TYPED = 200


def suggest_cards(text: str | None, limit: int = 8) -> list[str]:
    """Titles of published cards for what the clerk typed, best first, without repeats."""
    text = search.clean_query(text)
    if len(text) < 2:
        return []
    titles = [c["text"] for c in search.suggest(text, limit)]
    if len(titles) < limit:
        found = search.search(text, limit=limit)  # never logged: a clerk's typing is not a resident's query
        titles += [hit.title for hit in found.results] if found.total else []
    folded = fold(text)
    titles += [title for _, title in card_choices() if folded in fold(title)]
    return list(dict.fromkeys(titles))[:limit]


def resolve_card(typed: str | None) -> Card:
    """The published card whose title (or, for old links, slug) the clerk chose; a readable error otherwise."""
    text = " ".join((typed or "").split())[:MAX_TYPED]
    if not text:
        raise ValidationError("Wybierz sprawę: wpisz część nazwy i wybierz ją z listy podpowiedzi.", "card")
    wanted = fold(text)
    for slug, title in card_choices():
        if fold(title) == wanted or slug == text:
            return find_card(slug)
    raise ValidationError(f"Nie znaleziono sprawy „{text}”. Wpisz część nazwy i wybierz sprawę z listy "
                          "podpowiedzi.", "card")  # fmt: skip
