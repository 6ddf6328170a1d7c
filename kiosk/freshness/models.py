"""Freshness: review flags, resident feedback, the daily snapshot and the reminder log."""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.cards.models import Card
from kiosk.clock import now
from kiosk.extensions import db


class FlagSource:
    DEPENDENCY = "dependency"  # a shared fact the card links to changed; open until the card is reviewed
    CHECK = "check"  # a content check found a problem; open until a check no longer finds it


class ReviewFlag(db.Model):
    """A reason a card needs review, with a pointer to what changed; resolved rows stay as history."""

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("card.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    # What changed (dependency flags) or where the problem is (check findings): a kind and an id.
    subject_type: Mapped[str] = mapped_column(String(40), default="")
    subject_id: Mapped[int | None]
    detail: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str] = mapped_column(String(120), default="")
    resolution: Mapped[str] = mapped_column(String(20), default="")

    card: Mapped[Card] = relationship()

    __table_args__ = (Index("ix_review_flag_card_resolved", "card_id", "resolved_at"),)

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class Feedback(db.Model):
    """A resident's report that something on a card is wrong; no personal data is asked for."""

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("card.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text)
    # Optional; deleted together with the feedback when it is purged.
    contact: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[str] = mapped_column(String(10), default="web")
    # A keyed hash of the sender's address, kept only for the rate limit window.
    address_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=now)
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    card: Mapped[Card] = relationship()

    __table_args__ = (
        Index("ix_feedback_address_created", "address_hash", "created_at"),
        Index("ix_feedback_resolved_at", "resolved_at"),
    )


class FreshnessSnapshot(db.Model):
    """Counts by state, one row per day, for the trend chart."""

    day: Mapped[date] = mapped_column(primary_key=True)
    total: Mapped[int] = mapped_column(default=0)
    fresh: Mapped[int] = mapped_column(default=0)
    due_soon: Mapped[int] = mapped_column(default=0)
    overdue: Mapped[int] = mapped_column(default=0)
    flagged: Mapped[int] = mapped_column(default=0)
    taken_at: Mapped[datetime] = mapped_column(default=now)


class ReminderLog(db.Model):
    """A reminder e-mail that was delivered; written only after the SMTP server accepted it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    kind: Mapped[str] = mapped_column(String(20))  # digest | escalation
    recipient: Mapped[str] = mapped_column(String(120))
    card_ids: Mapped[list] = mapped_column(JSON, default=list)
    sent_at: Mapped[datetime] = mapped_column(default=now)

    __table_args__ = (UniqueConstraint("day", "kind", "recipient", name="uq_reminder_log_day_kind_recipient"),)
