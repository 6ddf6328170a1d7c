"""The kiosk registry: each touchscreen knows its service point and reports a heartbeat."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.clock import now
from kiosk.extensions import db
from kiosk.facts.models import Location


class KioskDevice(db.Model):
    """One touchscreen; `code` is the id in its start URL (/kiosk/?k=<code>)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"), index=True)
    has_printer: Mapped[bool] = mapped_column(default=False)
    # sha256 of the device token the heartbeat carries; the token itself is shown once, at registration.
    token_hash: Mapped[str] = mapped_column(String(64), default="")
    registered_at: Mapped[datetime] = mapped_column(default=now)
    last_heartbeat_at: Mapped[datetime | None]
    # The newest change-log id (CardChange.id) the kiosk had when it last reported.
    content_version: Mapped[int | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    # A retired kiosk stays in the list for the record; its screens and heartbeats are no longer accepted.
    retired_at: Mapped[datetime | None]

    location: Mapped[Location | None] = relationship()

    def __repr__(self) -> str:
        return f"<KioskDevice {self.code}>"
