"""Translations of a card into English and Ukrainian: versioned rows like editions, one published per language."""

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.accounts.models import User
from kiosk.clock import now
from kiosk.extensions import db

from .models import Card, Edition, _str_enum

TRANSLATION_LANGUAGES = ("en", "uk")


class TranslationStatus(enum.StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class Translation(db.Model):
    """The English or Ukrainian text of a card's Polish edition.

    Only texts are translated. Every translated text is stored next to the Polish text it translates
    (`pairs`: [field, polish, translated]), so a page shows a translation only while the live Polish
    text is still the one it was written for; numbers, dates, addresses and legal references always
    come from the live Polish edition and shared facts.
    """

    __tablename__ = "card_translation"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("card.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(5))
    number: Mapped[int]
    status: Mapped[TranslationStatus] = mapped_column(_str_enum(TranslationStatus), default=TranslationStatus.DRAFT)
    # The Polish edition it was written against (the live one when it was opened).
    edition_id: Mapped[int | None] = mapped_column(ForeignKey("edition.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    pairs: Mapped[list] = mapped_column(JSON, default=list)
    # The texts as written (rows by position, as in the content file), exported back exactly.
    texts: Mapped[dict] = mapped_column(JSON, default=dict)
    # Fingerprint of the Polish texts translated (as in the content file's `source:`).
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    # False until an owner's reviewer approved it; imported unreviewed files keep it False.
    reviewed: Mapped[bool] = mapped_column(default=False)
    # Set when a Polish edition changing a translated text went live while this one was published.
    behind_since: Mapped[datetime | None]
    contributor_ids: Mapped[list] = mapped_column(JSON, default=list)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    submitted_hash: Mapped[str] = mapped_column(String(64), default="")
    approved_hash: Mapped[str] = mapped_column(String(64), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    publisher_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    submitted_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]

    card: Mapped[Card] = relationship()
    edition: Mapped[Edition | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    approver: Mapped[User | None] = relationship(foreign_keys=[approver_id])
    publisher: Mapped[User | None] = relationship(foreign_keys=[publisher_id])

    __table_args__ = (
        Index("ix_card_translation_card_language", "card_id", "language", "status"),
        Index("ix_card_translation_status", "status"),
    )
