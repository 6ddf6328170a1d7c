"""Polish formatting of amounts, dates and counted nouns for templates and messages."""

from datetime import date, datetime
from decimal import Decimal

from babel import Locale
from babel.dates import format_date as babel_format_date
from flask import Flask
from flask_babel import get_locale

from kiosk.clock import LOCAL_TZ

POLISH = Locale("pl")


def format_pln(amount: Decimal | None) -> str:
    """17 → "17,00 zł"; 1234.5 → "1 234,50 zł"; None → "zmienna"."""
    if amount is None:
        return "kwota zmienna"
    if amount == 0:
        return "bezpłatnie"
    whole, _, cents = f"{amount:.2f}".partition(".")
    groups = f"{int(whole):,}".replace(",", "\u00a0")
    return f"{groups},{cents}\u00a0zł"


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL_TZ).date()
    return f"{value:%d.%m.%Y}"


def format_long_date(value: date | datetime | None, locale: str | None = None) -> str:
    """A date written out in the reader's language: "12 maja 2026", "May 12, 2026", "12 травня 2026 р."."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL_TZ).date()
    if locale is None:
        current = get_locale()
        locale = str(current) if current is not None else "pl"
    return babel_format_date(value, format="long", locale=locale)


def format_datetime(value: datetime | None) -> str:
    return "" if value is None else f"{value.astimezone(LOCAL_TZ):%d.%m.%Y %H:%M}"


def count_pl(number: int, one: str, few: str, many: str) -> str:
    """A number with the Polish noun form it takes (CLDR's rule): "1 minutę", "22 minuty", "5 minut"."""
    form = {"one": one, "few": few}.get(POLISH.plural_form(number), many)
    return f"{number} {form}"


def register_filters(app: Flask) -> None:
    app.jinja_env.filters.update(pln=format_pln, day=format_date, moment=format_datetime,
                           longday=format_long_date)  # fmt: skip
    app.jinja_env.globals["count_pl"] = count_pl
