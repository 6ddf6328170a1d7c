"""Opening hours: today's spans, open now, public holidays (kiosk.facts.services, reused by the kiosk)."""

from datetime import datetime

import pytest

from kiosk.clock import LOCAL_TZ
from kiosk.facts.models import Location
from kiosk.facts.services import hours_on, last_status_change, point_status, weekly_hours

pytestmark = pytest.mark.db_independent  # no database: the SQLite leg runs it, the PostgreSQL leg need not

HOURS = {"mon": ["08:00-15:30"], "thu": ["08:00-12:00", "13:00-16:30"], "fri": [["08:00", "14:30"]]}
BOK = Location(slug="bok", name="BOK", address="Stary Rynek 1", opening_hours=HOURS)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)


def test_open_inside_a_span_and_closed_at_its_end():
    assert point_status(BOK, at("2026-05-11 08:00")).open_now  # Monday
    assert point_status(BOK, at("2026-05-11 15:29")).closes_at == "15:30"
    assert not point_status(BOK, at("2026-05-11 15:30")).open_now
    assert not point_status(BOK, at("2026-05-11 07:59")).open_now


def test_a_lunch_break_and_a_closed_day():
    assert not point_status(BOK, at("2026-05-14 12:30")).open_now  # Thursday break
    assert point_status(BOK, at("2026-05-14 16:00")).open_now
    status = point_status(BOK, at("2026-05-13 10:00"))  # Wednesday: no hours
    assert status.today == () and not status.open_now


def test_public_holidays_are_closed_days():
    status = point_status(BOK, at("2026-05-01 10:00"))  # Friday, Labour Day
    assert not status.open_now and status.holiday
    assert hours_on(BOK, at("2026-05-08 10:00").date()) == (("08:00", "14:30"),)


def test_a_utc_moment_is_read_in_plock_time():
    utc = datetime.fromisoformat("2026-05-11T13:45:00+00:00")  # 15:45 in Płock
    assert not point_status(BOK, utc).open_now


def test_weekly_hours_cover_every_day():
    week = dict(weekly_hours(BOK))
    assert list(week) == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] and week["sun"] == ()


def test_last_status_change_is_the_latest_edge_passed_today():
    assert last_status_change([BOK], at("2026-05-14 12:30")).strftime("%H:%M") == "12:00"
    assert last_status_change([BOK], at("2026-05-14 07:00")).strftime("%H:%M") == "00:00"
