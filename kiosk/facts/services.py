"""Shared facts for the public pages and the kiosk: service points, opening hours, categories.

Opening hours are stored per weekday as "GG:MM-GG:MM" spans (or [start, end] pairs); a missing day
means closed, and Polish public holidays are closed days whatever the weekly hours say.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache

import holidays
from sqlalchemy import select

from kiosk.clock import LOCAL_TZ, local_now
from kiosk.errors import NotFound, ValidationError
from kiosk.extensions import db

from .models import WEEKDAYS, Category, LifeSituation, Location


@dataclass(frozen=True)
class PointStatus:
    """Where a service point stands at a moment: today's spans and whether it is open."""

    today: tuple[tuple[str, str], ...]
    open_now: bool
    holiday: str
    closes_at: str | None


@lru_cache(maxsize=8)
def _polish_holidays(year: int) -> dict:
    return dict(holidays.Poland(years=year, language="pl"))


def holiday_name(day: date) -> str:
    """The name of a Polish public holiday falling on `day`, or ""."""
    return _polish_holidays(day.year).get(day, "")


def _spans(raw) -> tuple[tuple[str, str], ...]:
    spans = []
    for span in raw or ():
        start, end = span.split("-", 1) if isinstance(span, str) else span
        spans.append((start.strip(), end.strip()))
    return tuple(spans)


def weekly_hours(location: Location) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """(weekday key, spans) for every day of the week, Monday first; closed days have no spans."""
    hours = location.opening_hours or {}
    return [(day, _spans(hours.get(day))) for day in WEEKDAYS]


def hours_on(location: Location, day: date) -> tuple[tuple[str, str], ...]:
    """The spans a location is open on a given date (none on public holidays)."""
    if holiday_name(day):
        return ()
    return _spans((location.opening_hours or {}).get(WEEKDAYS[day.weekday()]))


def point_status(location: Location, at: datetime | None = None) -> PointStatus:
    """Today's hours and whether the location is open at `at` (default: now in Płock)."""
    at = (at or local_now()).astimezone(LOCAL_TZ)
    spans = hours_on(location, at.date())
    clock = at.strftime("%H:%M")
    current = next((span for span in spans if span[0] <= clock < span[1]), None)
    return PointStatus(spans, current is not None, holiday_name(at.date()), current[1] if current else None)


def last_status_change(locations: list[Location], at: datetime | None = None) -> datetime:
    """The latest opening or closing of any location today before `at` (local midnight if none).

    Pages that show "open now" use it as a floor for Last-Modified, so a conditional request made
    before a point opened or closed is not answered with a stale 304.
    """
    at = (at or local_now()).astimezone(LOCAL_TZ)
    clock = at.strftime("%H:%M")
    latest = time(0, 0)
    for location in locations:
        for start, end in hours_on(location, at.date()):
            for edge in (start, end):
                if edge <= clock:
                    latest = max(latest, time.fromisoformat(edge))
    return datetime.combine(at.date(), latest, tzinfo=LOCAL_TZ)


def list_service_points() -> list[Location]:
    """The city hall's service points in their display order."""
    return list(
        db.session.scalars(select(Location).where(Location.is_service_point).order_by(Location.position, Location.id))
    )


def list_locations() -> list[Location]:
    """Every place residents are sent to: service points first."""
    order = (Location.is_service_point.desc(), Location.position, Location.id)
    return list(db.session.scalars(select(Location).order_by(*order)))


def _by_slug(model, slug: str, missing: str):
    found = db.session.scalar(select(model).where(model.slug == slug))
    if found is None:
        raise NotFound(missing)
    return found


def get_location(slug: str) -> Location:
    """A location by slug, or NotFound."""
    return _by_slug(Location, slug, "Nie ma takiego miejsca obsługi.")


def list_categories() -> list[Category]:
    """All categories in display order."""
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))


def get_category(slug: str) -> Category:
    """A category by slug, or NotFound."""
    return _by_slug(Category, slug, "Nie ma takiej kategorii.")


def list_life_situations() -> list[LifeSituation]:
    """All life situations in display order."""
    return list(db.session.scalars(select(LifeSituation).order_by(LifeSituation.position, LifeSituation.name)))


MAX_ORDER = 200
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def parse_card_order(text: str) -> list[str]:
    """ "rejestracja-urodzenia\nbecikowe" (one slug a line; commas and spaces also separate) → a slug list."""
    return [part for part in re.split(r"[\s,]+", text or "") if part]


def set_life_situation_order(situation: LifeSituation, slugs: list[str], known: set[str] | None = None) -> None:
    """Order the situation's cards: the slugs in the order a person goes through them; others follow by title.

    Refuses a malformed or repeated slug, and, when `known` card slugs are given (the back office), a slug
    that names no card. Content files are imported before their cards, so import checks the form only.
    """
    slugs = [str(slug).strip() for slug in slugs]
    if len(slugs) > MAX_ORDER:
        raise ValidationError(f"Kolejność może wymienić najwyżej {MAX_ORDER} kart.", "order")
    seen = set()
    for slug in slugs:
        if not SLUG_RE.match(slug) or len(slug) > 120:
            raise ValidationError(f"„{slug[:60]}” nie jest identyfikatorem karty (małe litery, cyfry, myślniki).",
                                  "order")  # fmt: skip
        if slug in seen:
            raise ValidationError(f"Karta „{slug}” występuje w kolejności dwa razy.", "order")
        if known is not None and slug not in known:
            raise ValidationError(f"Nie ma karty „{slug}”.", "order")
        seen.add(slug)
    situation.order = slugs


def get_life_situation(slug: str) -> LifeSituation:
    """A life situation by slug, or NotFound."""
    return _by_slug(LifeSituation, slug, "Nie ma takiej sytuacji życiowej.")
