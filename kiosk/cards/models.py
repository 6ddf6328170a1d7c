"""Cards and editions. A card points at its live edition; editions never change once submitted."""

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Column, Enum, ForeignKey, Index, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.accounts.models import User
from kiosk.clock import now
from kiosk.extensions import db
from kiosk.facts.models import Category, Department, FormFile, LegalAct, LifeSituation, Location, SharedFee


class EditionStatus(enum.StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"


class DocumentForm(enum.StrEnum):
    ORIGINAL = "original"
    COPY = "copy"
    ORIGINAL_OR_COPY = "original_or_copy"
    TO_SHOW = "to_show"


class CardKind(enum.StrEnum):
    SERVICE = "service"  # a matter settled at the city hall
    REFERRAL = "referral"  # a matter another institution handles: the card says where to go instead


def _str_enum(cls, length=20):
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


edition_life_situation = Table(
    "edition_life_situation",
    db.metadata,
    Column("edition_id", ForeignKey("edition.id", ondelete="CASCADE"), primary_key=True),
    Column("life_situation_id", ForeignKey("life_situation.id"), primary_key=True, index=True),
)


class Card(db.Model):
    """One matter a resident can settle; its identity (slug) never changes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    owner_department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    owner_name: Mapped[str] = mapped_column(String(120), default="")
    owner_email: Mapped[str] = mapped_column(String(120), default="")
    review_interval_days: Mapped[int] = mapped_column(default=180)
    last_verified_at: Mapped[datetime | None]
    last_verified_by: Mapped[str] = mapped_column(String(120), default="")
    # The edition its owner last confirmed as accurate, and when; "verified" on public pages needs the
    # live edition confirmed and no open unverified fact (kiosk/freshness/verification.py).
    confirmed_edition_id: Mapped[int | None] = mapped_column(
        ForeignKey("edition.id", use_alter=True, ondelete="SET NULL")
    )
    confirmed_at: Mapped[datetime | None]
    confirmed_by: Mapped[str] = mapped_column(String(120), default="")
    live_edition_id: Mapped[int | None] = mapped_column(
        ForeignKey("edition.id", use_alter=True, ondelete="SET NULL"), index=True
    )
    # Earliest effective date of an approved edition waiting to go live; checked on read.
    next_scheduled_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=now)

    owner_department: Mapped[Department | None] = relationship()
    live_edition: Mapped["Edition | None"] = relationship(foreign_keys=[live_edition_id], post_update=True)
    editions: Mapped[list["Edition"]] = relationship(
        back_populates="card", foreign_keys="Edition.card_id", order_by="Edition.number"
    )


class Edition(db.Model):
    """One version of a card. Immutable from submission on."""

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("card.id", ondelete="CASCADE"))
    number: Mapped[int]
    status: Mapped[EditionStatus] = mapped_column(_str_enum(EditionStatus), default=EditionStatus.DRAFT)
    lock_version: Mapped[int] = mapped_column(default=1)

    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default=CardKind.SERVICE.value)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    settle_days: Mapped[int | None]
    settle_text: Mapped[str] = mapped_column(Text, default="")
    online_channel: Mapped[str] = mapped_column(String(40), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    online_text: Mapped[str] = mapped_column(Text, default="")
    # Where a fact comes from (a URL, or a document and its date) or what is still to be confirmed about it.
    settle_source: Mapped[str] = mapped_column(Text, default="")
    settle_unverified: Mapped[str] = mapped_column(Text, default="")
    online_source: Mapped[str] = mapped_column(Text, default="")
    online_unverified: Mapped[str] = mapped_column(Text, default="")
    appeal: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    unverified: Mapped[list] = mapped_column(JSON, default=list)
    effective_date: Mapped[date | None]
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    # Sign-offs are tied to the exact content they were given for (see content.signoff_hash): the
    # content as submitted, and as approved on substance; publishing refuses any other content.
    submitted_hash: Mapped[str] = mapped_column(String(64), default="")
    approved_hash: Mapped[str] = mapped_column(String(64), default="")
    # The rows of a published edition as ids and values, written once at publication (the edition is
    # immutable by then), so a card page loads without a query per kind of row.
    rows_snapshot: Mapped[dict | None] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(Text, default="")
    reverted_from_id: Mapped[int | None] = mapped_column(ForeignKey("edition.id"))

    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Whoever changed the content last (opened, saved or reverted into it): named in a save conflict.
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    published_at: Mapped[datetime | None]
    publisher_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    withdrawn_at: Mapped[datetime | None]

    card: Mapped[Card] = relationship(back_populates="editions", foreign_keys=[card_id])
    category: Mapped[Category | None] = relationship()
    department: Mapped[Department | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    contributors: Mapped[list["EditionContributor"]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (EditionContributor.first_at, EditionContributor.user_id)
    )
    approver: Mapped[User | None] = relationship(foreign_keys=[approver_id])
    publisher: Mapped[User | None] = relationship(foreign_keys=[publisher_id])
    life_situations: Mapped[list[LifeSituation]] = relationship(
        secondary=edition_life_situation, order_by=LifeSituation.position
    )
    documents: Mapped[list["EditionDocument"]] = relationship(
        cascade="all, delete-orphan", order_by="EditionDocument.position"
    )
    fees: Mapped[list["EditionFee"]] = relationship(cascade="all, delete-orphan", order_by="EditionFee.position")
    points: Mapped[list["EditionPoint"]] = relationship(cascade="all, delete-orphan", order_by="EditionPoint.position")
    legal_acts: Mapped[list["EditionLegalAct"]] = relationship(
        cascade="all, delete-orphan", order_by="EditionLegalAct.position"
    )
    forms: Mapped[list["EditionForm"]] = relationship(cascade="all, delete-orphan", order_by="EditionForm.position")

    __mapper_args__ = {"version_id_col": lock_version}
    __table_args__ = (
        UniqueConstraint("card_id", "number", name="uq_edition_card_number"),
        Index("ix_edition_status_effective", "status", "effective_date"),
    )

    @property
    def label(self) -> str:
        """Numbered and dated like the seed: "Wydanie 03 z dnia 12.05.2026"."""
        day = self.effective_date or (self.published_at or self.created_at).date()
        return f"Wydanie {self.number:02d} z dnia {day:%d.%m.%Y}"

    @property
    def is_editable(self) -> bool:
        return self.status == EditionStatus.DRAFT

    @property
    def contributor_ids(self) -> set[int]:
        """Everyone who put content into this edition (the creator included)."""
        return {c.user_id for c in self.contributors} | ({self.author_id} if self.author_id else set())

    @property
    def prepared_by(self) -> list[str]:
        """The metryczka's "prepared by": every contributor, as recorded at publication when there is a snapshot."""
        names = (self.rows_snapshot or {}).get("prepared_by")
        if names is None:
            names = [c.user.display_name for c in self.contributors] or (
                [self.author.display_name] if self.author else []
            )
        return names


class EditionContributor(db.Model):
    """One person who put content into an edition: its creator, every saver, whoever reverted into it.

    One row per person per edition; the four-eyes rule refuses them as approver and publisher.
    """

    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True, index=True)
    # How they first contributed: open (created the draft), save, revert, import.
    kind: Mapped[str] = mapped_column(String(20))
    first_at: Mapped[datetime] = mapped_column(default=now)
    last_at: Mapped[datetime] = mapped_column(default=now)
    user: Mapped[User] = relationship(lazy="joined")


class EditionDocument(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(Text)
    form: Mapped[DocumentForm] = mapped_column(_str_enum(DocumentForm), default=DocumentForm.ORIGINAL)
    required: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(Text, default="")


class EditionFee(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    what: Mapped[str] = mapped_column(Text)
    # None means the amount varies or is set case by case.
    amount: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    how_to_pay: Mapped[str] = mapped_column(Text, default="")
    exemptions: Mapped[str] = mapped_column(Text, default="")
    shared_fee_id: Mapped[int | None] = mapped_column(ForeignKey("shared_fee.id"), index=True)
    shared_fee: Mapped[SharedFee | None] = relationship()
    source: Mapped[str] = mapped_column(Text, default="")
    unverified: Mapped[str] = mapped_column(Text, default="")


class EditionPoint(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    room: Mapped[str] = mapped_column(String(120), default="")
    window: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[Location] = relationship()


class EditionLegalAct(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"), index=True)
    legal_act_id: Mapped[int] = mapped_column(ForeignKey("legal_act.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    detail: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    unverified: Mapped[str] = mapped_column(Text, default="")
    legal_act: Mapped[LegalAct] = relationship()


class EditionForm(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"), index=True)
    form_file_id: Mapped[int] = mapped_column(ForeignKey("form_file.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    # The edition's own link text: a draft never rewrites the shared file's title other cards show.
    title: Mapped[str] = mapped_column(String(300), default="")
    form_file: Mapped[FormFile] = relationship()
    source: Mapped[str] = mapped_column(Text, default="")
    unverified: Mapped[str] = mapped_column(Text, default="")

    @property
    def link_text(self) -> str:
        return self.title or self.form_file.title


class CardChange(db.Model):
    """The change log: one row per change to public content, in order. Search indexes follow it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("card.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(default=now)
