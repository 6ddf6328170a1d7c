"""The light intake queue: applications from the counter to the applicant's hands (seed steps 1–7).

A case holds the least personal data that serves (a name and one contact), removed by `purge_personal_data`
after the retention period; everything else stays for anonymous statistics. Transitions are rows
(`CaseEvent`), so the history is a query.
"""

import enum
from datetime import date, datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.accounts.models import User
from kiosk.cards.models import Card
from kiosk.clock import now
from kiosk.extensions import db
from kiosk.facts.models import Department, Location


def _str_enum(cls, length=20):
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class CaseStatus(enum.StrEnum):
    REGISTERED = "registered"
    INCOMPLETE = "incomplete"
    COMPLETE = "complete"
    LEFT_UNPROCESSED = "left_unprocessed"
    AT_DEPARTMENT = "at_department"
    READY = "ready"
    ISSUED = "issued"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


CLOSED_STATUSES = (CaseStatus.LEFT_UNPROCESSED, CaseStatus.ISSUED, CaseStatus.DELIVERED, CaseStatus.CANCELLED)

STATUS_LABELS = {
    CaseStatus.REGISTERED: "przyjęty, w sprawdzaniu",
    CaseStatus.INCOMPLETE: "niekompletny – czeka na uzupełnienie",
    CaseStatus.COMPLETE: "kompletny – czeka na przekazanie do wydziału",
    CaseStatus.LEFT_UNPROCESSED: "pozostawiony bez rozpoznania",
    CaseStatus.AT_DEPARTMENT: "w wydziale – w realizacji",
    CaseStatus.READY: "gotowy do odbioru",
    CaseStatus.ISSUED: "wydany",
    CaseStatus.DELIVERED: "doręczony",
    CaseStatus.CANCELLED: "anulowana",
}


EVENT_LABELS = {"register": "przyjęcie wniosku", "complete": "wniosek kompletny", "incomplete": "braki, wezwanie",
                "supplement": "uzupełnienie", "left_unprocessed": "pozostawienie bez rozpoznania",
                "hand_over": "przekazanie do wydziału (odbiór potwierdzony)", "ready": "dokument gotowy",
                "issue": "wydanie dokumentu", "deliver": "doręczenie", "correct": "poprawienie danych rejestracji",
                "cancel": "anulowanie rejestracji"}  # fmt: skip


class Channel(enum.StrEnum):
    WRITTEN = "written"
    ORAL = "oral"
    POST = "post"
    EPUAP = "epuap"


CHANNEL_LABELS = {Channel.WRITTEN: "pisemnie w okienku", Channel.ORAL: "ustnie do protokołu",
                  Channel.POST: "pocztą", Channel.EPUAP: "przez ePUAP"}  # fmt: skip


class Delivery(enum.StrEnum):
    PICKUP = "pickup"
    POST = "post"
    EPUAP = "epuap"
    EMAIL = "email"


class Notify(enum.StrEnum):
    """Whether and how the applicant is told about the case, to the contact given at registration."""

    NONE = "none"
    EMAIL = "email"
    SMS = "sms"


NOTIFY_LABELS = {Notify.NONE: "nie powiadamiać", Notify.EMAIL: "e-mailem", Notify.SMS: "SMS-em"}


DELIVERY_LABELS = {Delivery.PICKUP: "odbiór osobisty w punkcie obsługi", Delivery.POST: "pocztą",
                   Delivery.EPUAP: "przez ePUAP", Delivery.EMAIL: "e-mailem"}  # fmt: skip


class Case(db.Model):
    """One application received at a service point."""

    __tablename__ = "intake_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    year: Mapped[int]
    seq: Mapped[int]
    # year * 100 + month of receipt (Płock time): the statistics group by it.
    period: Mapped[int]
    code: Mapped[str] = mapped_column(String(16))
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    card_id: Mapped[int] = mapped_column(ForeignKey("card.id"), index=True)
    edition_id: Mapped[int | None] = mapped_column(ForeignKey("edition.id", ondelete="SET NULL"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    card_title: Mapped[str] = mapped_column(String(300))
    handover_to: Mapped[str] = mapped_column(String(300), default="")
    settle_days: Mapped[int | None]
    channel: Mapped[Channel] = mapped_column(_str_enum(Channel))
    delivery: Mapped[Delivery] = mapped_column(_str_enum(Delivery))
    mdok_ref: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[CaseStatus] = mapped_column(_str_enum(CaseStatus), default=CaseStatus.REGISTERED)
    lock_version: Mapped[int] = mapped_column(default=1)

    # Personal data: removed by purge_personal_data after the retention period.
    applicant_name: Mapped[str] = mapped_column(String(200), default="")
    applicant_contact: Mapped[str] = mapped_column(String(200), default="")
    issued_to: Mapped[str] = mapped_column(String(200), default="")
    # The applicant's choice at the counter; messages go to `applicant_contact`.
    notify: Mapped[Notify] = mapped_column(_str_enum(Notify, 10), default=Notify.NONE, server_default="none")
    purged_at: Mapped[datetime | None]

    received_at: Mapped[datetime] = mapped_column(default=now)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    was_incomplete: Mapped[bool] = mapped_column(default=False)
    deadline_on: Mapped[date | None]
    completed_at: Mapped[datetime | None]
    expected_on: Mapped[date | None]
    handed_over_at: Mapped[datetime | None]
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    ready_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    identity_seen: Mapped[bool] = mapped_column(default=False)
    delivery_ref: Mapped[str] = mapped_column(String(120), default="")
    days_to_close: Mapped[int | None]
    late: Mapped[bool] = mapped_column(default=False)

    location: Mapped[Location] = relationship()
    card: Mapped[Card] = relationship()
    department: Mapped[Department | None] = relationship()
    registered_by: Mapped[User | None] = relationship(foreign_keys=[registered_by_id])
    received_by: Mapped[User | None] = relationship(foreign_keys=[received_by_id])
    checklist: Mapped[list["CaseChecklistItem"]] = relationship(
        cascade="all, delete-orphan", order_by="CaseChecklistItem.position", back_populates="case"
    )
    events: Mapped[list["CaseEvent"]] = relationship(
        cascade="all, delete-orphan", order_by="CaseEvent.id", back_populates="case"
    )

    __mapper_args__ = {"version_id_col": lock_version}
    __table_args__ = (
        Index("ix_intake_case_location_received", "location_id", "received_at"),
        Index("ix_intake_case_received", "received_at"),
        Index("ix_intake_case_status_deadline", "status", "deadline_on"),
        Index("ix_intake_case_status_department_expected", "status", "department_id", "expected_on"),
        Index("ix_intake_case_status_ready", "status", "ready_at"),
        Index("ix_intake_case_status_completed", "status", "completed_at"),
        # Covers the statistics: both of its grouped scans read this index only.
        Index(
            "ix_intake_case_stats",
            "period",
            "card_id",
            "department_id",
            "status",
            "was_incomplete",
            "late",
            "days_to_close",
        ),
        Index("ix_intake_case_closed", "closed_at"),
    )

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def missing(self) -> list["CaseChecklistItem"]:
        return [item for item in self.checklist if item.required and not item.handed_in]

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class CaseChecklistItem(db.Model):
    """One document from the card's list: was it handed in (and when, if supplied later)."""

    __tablename__ = "intake_checklist_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("intake_case.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(Text)
    required: Mapped[bool] = mapped_column(default=True)
    handed_in: Mapped[bool] = mapped_column(default=False)
    supplied_at: Mapped[datetime | None]
    case: Mapped[Case] = relationship(back_populates="checklist")


class CaseEvent(db.Model):
    """One transition of a case: the audit row and a point on its timeline. Never holds personal data."""

    __tablename__ = "intake_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("intake_case.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=now)
    action: Mapped[str] = mapped_column(String(40))
    status: Mapped[CaseStatus] = mapped_column(_str_enum(CaseStatus))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    actor_name: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    # The clerk's reason for a correction or a cancellation: free text, so blanked by the purge.
    reason: Mapped[str] = mapped_column(String(500), default="", server_default="")
    case: Mapped[Case] = relationship(back_populates="events")

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.action, self.action)


class CaseNotification(db.Model):
    """A message to the applicant that the gateway accepted: at most one per case and kind (no address kept)."""

    __tablename__ = "intake_notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("intake_case.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    channel: Mapped[Notify] = mapped_column(_str_enum(Notify, 10))
    sent_at: Mapped[datetime] = mapped_column(default=now)

    __table_args__ = (UniqueConstraint("case_id", "kind", name="uq_intake_notification_case_id_kind"),)


class CaseCounter(db.Model):
    """The last number given per year and service point; bumped inside the registering transaction."""

    __tablename__ = "intake_counter"

    year: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"), primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class CardIntakeRule(db.Model):
    """Per-card intake settings: the supplement deadline and where complete applications go."""

    __tablename__ = "intake_card_rule"

    card_id: Mapped[int] = mapped_column(ForeignKey("card.id", ondelete="CASCADE"), primary_key=True)
    supplement_days: Mapped[int | None]
    # E.g. the dedicated post for land-register extracts (seed step 6); empty means the owning department.
    handover_post: Mapped[str] = mapped_column(String(300), default="")
