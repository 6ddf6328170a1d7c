"""Summary and facts agree: when a draft changes a fee, the deadline or a service point, find text that
still states the old value ("kosztuje 17 zł" after the fee became 18 zł).

The check warns, it does not refuse: the old value may be right in context (another fee of 17 zł), and the
editor decides. The back office shows each warning after saving a draft.
"""

import re
from decimal import Decimal

from sqlalchemy import select

from kiosk.extensions import db
from kiosk.facts.models import Location

from .content import edition_to_content
from .models import Edition, EditionStatus

TEXTS = {"summary": "Streszczenie", "body": "Opis", "settle_text": "Czas załatwienia"}
SPACE = r"[\s\u00a0]*"


def amount_pattern(amount: Decimal) -> re.Pattern:
    """17 -> "17 zł", "17,00 zł", "17.00 zł", "17 złotych", "17zł"; 1234 also as "1 234 zł"."""
    whole, cents = divmod(amount.quantize(Decimal("0.01")) * 100, 100)
    digits = f"{int(whole):,}".replace(",", r"[\s\u00a0.]?")
    fraction = r"(?:[,.]00?)?" if cents == 0 else rf"[,.]{int(cents):02d}"
    return re.compile(rf"(?<![\d,.]){digits}{fraction}{SPACE}(?:zł(?!\w)|złot\w*|zl\b|PLN\b)", re.IGNORECASE)


def days_pattern(days: int) -> re.Pattern:
    return re.compile(rf"(?<![\d,.])\b{days}{SPACE}(?:-{SPACE})?(?:dni|dnia|dzień|dniow\w*)\b", re.IGNORECASE)


def place_pattern(location: Location) -> re.Pattern | None:
    names = {n.strip() for n in (location.short_name, location.name, location.address.split(",")[0]) if n}
    names = sorted((n for n in names if len(n) >= 4), key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE)


def _pln(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",") + " zł"


def stale_statements(before: dict, after: dict, locations: dict[str, Location]) -> list[str]:
    """Warnings for text in `after` that still states a fee, deadline or service point `before` had."""
    checks = []  # (pattern, what changed)
    now_amounts = {f["amount"] for f in after["fees"] if f["amount"] is not None}
    for i, old in enumerate(before["fees"]):
        if old["amount"] is None or old["amount"] in now_amounts:
            continue
        new = next((f for f in after["fees"] if f["what"] == old["what"]), None)
        if new is None and i < len(after["fees"]):
            new = after["fees"][i]
        now = f"wynosi teraz {_pln(new['amount'])}" if new and new["amount"] is not None else "zmieniła się"
        checks.append((amount_pattern(old["amount"]), f"opłata „{(new or old)['what']}” {now}"))
    if before["settle_days"] is not None and before["settle_days"] != after["settle_days"]:
        now = f"{after['settle_days']} dni" if after["settle_days"] is not None else "nie jest podany"
        checks.append((days_pattern(before["settle_days"]), f"termin załatwienia to teraz {now}"))
    kept = {p["point"] for p in after["service_points"]}
    for point in before["service_points"]:
        location = locations.get(point["point"])
        pattern = place_pattern(location) if location and point["point"] not in kept else None
        if pattern:
            checks.append((pattern, f"karta nie kieruje już do punktu „{location.display_name}”"))
    return [
        f"{label} nadal podaje dawną wartość: „{_snippet(after[field], match)}” – {change}. Sprawdź tekst."
        for pattern, change in checks
        for field, label in TEXTS.items()
        if (match := pattern.search(after[field] or ""))
    ]


def _snippet(text: str, match: re.Match, width: int = 30) -> str:
    start, end = max(0, match.start() - width), min(len(text), match.end() + width)
    snippet = " ".join(text[start:end].split())
    return ("…" if start else "") + snippet + ("…" if end < len(text) else "")


def find_stale_statements(edition: Edition) -> list[str]:
    """What a draft's text still says about facts it changed since the card's live (or last public) edition."""
    card = edition.card
    base = card.live_edition if card.live_edition is not edition else None
    if base is None:
        public = (EditionStatus.PUBLISHED, EditionStatus.SUPERSEDED, EditionStatus.WITHDRAWN)
        base = next((e for e in reversed(card.editions) if e is not edition and e.status in public), None)
    if base is None:
        return []
    before, after = edition_to_content(base), edition_to_content(edition)
    slugs = [p["point"] for p in before["service_points"]]
    locations = {loc.slug: loc for loc in db.session.scalars(select(Location).where(Location.slug.in_(slugs)))}
    return stale_statements(before, after, locations)
