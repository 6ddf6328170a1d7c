"""Shared facts that cards reference; each is edited once and shown on every card naming it."""

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Enum, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.clock import now
from kiosk.extensions import db

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Location(db.Model):
    """A place residents are sent to: one of the three service points, or an office outside them."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    short_name: Mapped[str] = mapped_column(String(80), default="")
    address: Mapped[str] = mapped_column(String(300))
    is_service_point: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    # {"mon": [["08:00", "15:30"]], ...}; a missing day means closed.
    opening_hours: Mapped[dict] = mapped_column(JSON, default=dict)
    hours_note: Mapped[str] = mapped_column(Text, default="")
    # [{"name": "stanowisko 2", "note": "..."}]
    rooms: Mapped[list] = mapped_column(JSON, default=list)
    handles: Mapped[list] = mapped_column(JSON, default=list)
    accessibility: Mapped[str] = mapped_column(Text, default="")
    payment: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(80), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    unverified: Mapped[list] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Department(db.Model):
    """An organisational unit that owns matters (wydział / biuro)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(80), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    head_name: Mapped[str] = mapped_column(String(120), default="")
    head_email: Mapped[str] = mapped_column(String(120), default="")
    cards_contact_name: Mapped[str] = mapped_column(String(120), default="")
    cards_contact_email: Mapped[str] = mapped_column(String(120), default="")
    unverified: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class Category(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    name_uk: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class LifeSituation(db.Model):
    """A moment in life that groups matters across categories ("I am moving")."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    name_uk: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    # Card slugs in the order a person goes through them (birth: registration first); unlisted cards follow
    # by title. `order:` in content/life-situations.yaml; set with `facts.set_life_situation_order`.
    order: Mapped[list] = mapped_column("card_order", JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class LegalActStatus(enum.StrEnum):
    IN_FORCE = "in_force"
    AMENDED = "amended"
    REPEALED = "repealed"


class LegalAct(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(Text)
    reference: Mapped[str] = mapped_column(String(120), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[LegalActStatus] = mapped_column(
        Enum(LegalActStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=LegalActStatus.IN_FORCE,
    )
    source: Mapped[str] = mapped_column(Text, default="")
    unverified: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class FormFile(db.Model):
    """A form or attachment residents download; shared so replacing it flags every card using it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(500), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class SharedFee(db.Model):
    """A fee item used by many cards (e.g. stamp duty for a power of attorney)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    what: Mapped[str] = mapped_column(String(300))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    how_to_pay: Mapped[str] = mapped_column(Text, default="")
    exemptions: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    unverified: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class Setting(db.Model):
    """A setting editors change at run time; defaults live in code."""

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


__all__ = [
    "WEEKDAYS",
    "Category",
    "Department",
    "FormFile",
    "LegalAct",
    "LegalActStatus",
    "LifeSituation",
    "Location",
    "Setting",
    "SharedFee",
]
