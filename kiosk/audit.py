"""The audit trail: who did what to which record, and when. Rows are only ever added."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.clock import now
from kiosk.extensions import db


class AuditRecord(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    actor_name: Mapped[str] = mapped_column(String(120), default="")
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[int | None]
    card_id: Mapped[int | None] = mapped_column(ForeignKey("card.id", ondelete="SET NULL"), index=True)
    edition_id: Mapped[int | None]
    comment: Mapped[str] = mapped_column(String(2000), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_audit_record_object", "object_type", "object_id"),)


def record_audit(actor, action: str, obj, *, card=None, edition=None, comment: str = "", **detail) -> AuditRecord:
    """Add one audit row for `actor` doing `action` to `obj` (flushed, not committed)."""
    row = AuditRecord(
        at=now(),
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "display_name", "") or "",
        action=action,
        object_type=type(obj).__name__.lower(),
        object_id=getattr(obj, "id", None),
        card_id=getattr(card, "id", None),
        edition_id=getattr(edition, "id", None),
        comment=comment,
        detail=detail,
    )
    db.session.add(row)
    return row
