"""The one clock of the application; tests freeze it with `frozen`."""

from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Warsaw")
_frozen: datetime | None = None


def now() -> datetime:
    """Current time, timezone-aware UTC."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def local_now() -> datetime:
    """Current time in Płock."""
    return now().astimezone(LOCAL_TZ)


def today() -> date:
    """Today's date in Płock."""
    return local_now().date()


@contextmanager
def frozen(at: datetime):
    """Freeze `now()` at a given moment (naive means UTC)."""
    global _frozen
    previous = _frozen
    _frozen = at if at.tzinfo else at.replace(tzinfo=UTC)
    try:
        yield
    finally:
        _frozen = previous
