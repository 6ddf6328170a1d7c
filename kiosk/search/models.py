"""The query log: what residents searched for, how many cards it found, which card they opened.

No personal data: no address, session or user; numbers that look like identifiers are masked.
"""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.clock import now
from kiosk.extensions import db


class SearchQuery(db.Model):
    """One search as typed; `opened_slug` is set when the resident then opens a result."""

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(200), index=True)
    # None: a card opened without a logged search before it (e.g. a shared link)
    result_count: Mapped[int | None]
    opened_slug: Mapped[str | None] = mapped_column(String(120), index=True)
    at: Mapped[datetime] = mapped_column(default=now)
