"""Card pages in the reader's language: the published translation over the live Polish facts, never a silent mix."""

from flask import g, url_for

from kiosk.cards.stamp import Stamp
from kiosk.cards.translation_view import localize_card, translated_languages

__all__ = ["alternates_of", "card_page_stamp", "content_language", "localize_card"]


def card_page_stamp(stamp: Stamp) -> Stamp:
    """The card page's stamp, which already holds its translation (read in the same query as the card's);
    the translation part is also what the rendering keeps the published translation under."""
    g.translation_stamp = stamp.translation or None
    return stamp


def content_language(response, lang: str, translated: bool):
    """`Content-Language`: the reader's language when the text is translated, else Polish (and the labels' language)."""
    response.headers["Content-Language"] = lang if translated or lang == "pl" else f"pl, {lang}"
    return response


def alternates_of(card) -> list[tuple[str, str]]:
    """(hreflang, address) of the card page in Polish and in each language it is translated into."""
    languages = ["pl", *translated_languages([card.id]).get(card.id, [])]
    base = url_for("web.card", slug=card.slug, _external=True)
    return [(code, base if code == "pl" else f"{base}?lang={code}") for code in languages] + [("x-default", base)]
