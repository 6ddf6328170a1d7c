"""Card pages in the reader's language: the published translation over the live Polish facts, never a silent mix."""

from flask import g, url_for

from kiosk.cards.translation_view import localize_card, translated_languages, translation_stamp

from .services import Stamp

__all__ = ["alternates_of", "card_page_stamp", "content_language", "localize_card"]


def card_page_stamp(stamp: Stamp, slug: str, lang: str) -> tuple[Stamp, bool]:
    """The card page's stamp extended by its translation (publish, behind) and whether one exists."""
    if lang == "pl":
        return stamp, False
    part = translation_stamp(slug, lang)
    g.translation_stamp = part
    modified = max(filter(None, (stamp.modified, *part[1:3])))
    return Stamp((*stamp.parts, lang, *part), modified, stamp.facts), bool(part and part[0])


def content_language(response, lang: str, translated: bool):
    """`Content-Language`: the reader's language when the text is translated, else Polish (and the labels' language)."""
    response.headers["Content-Language"] = lang if translated or lang == "pl" else f"pl, {lang}"
    return response


def alternates_of(card) -> list[tuple[str, str]]:
    """(hreflang, address) of the card page in Polish and in each language it is translated into."""
    languages = ["pl", *translated_languages([card.id]).get(card.id, [])]
    base = url_for("web.card", slug=card.slug, _external=True)
    return [(code, base if code == "pl" else f"{base}?lang={code}") for code in languages] + [("x-default", base)]
