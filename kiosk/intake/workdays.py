"""Working days in Poland: deadlines falling on a Saturday, Sunday or public holiday move forward (KPA art. 57 §4)."""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _polish_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("PL", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _polish_holidays(day.year)


def next_working_day(day: date) -> date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def deadline_after(start: date, days: int) -> date:
    """The end of a period of `days` calendar days counted from `start`, moved past days off."""
    return next_working_day(start + timedelta(days=days))


def working_days_before(day: date, count: int) -> date:
    """The working day `count` working days before `day` (Friday is 2 working days before a Tuesday)."""
    while count > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day
