"""Accounts and roles; the back office adds log-in on top of these."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, Index, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.clock import now
from kiosk.extensions import db
from kiosk.facts.models import Department


class Role(enum.StrEnum):
    EDITOR = "editor"
    APPROVER = "approver"
    PUBLISHER = "publisher"
    FRONT_DESK = "front_desk"
    ADMINISTRATOR = "administrator"


user_department = Table(
    "user_department",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("department.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(200), default="")
    # Comma-separated Role values; a person may hold several.
    roles_csv: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)
    is_system: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=now)
    departments: Mapped[list[Department]] = relationship(secondary=user_department)

    @property
    def roles(self) -> set[Role]:
        return {Role(r) for r in self.roles_csv.split(",") if r}

    @roles.setter
    def roles(self, value) -> None:
        self.roles_csv = ",".join(sorted(Role(r).value for r in value))

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def is_active(self) -> bool:
        """Flask-Login refuses disabled accounts."""
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class LoginAttempt(db.Model):
    """One log-in attempt; kept in the database so the rate limit holds across workers."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now, index=True)
    username: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(64))
    success: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        Index("ix_login_attempt_username_at", "username", "at"),
        Index("ix_login_attempt_address_at", "address", "at"),
    )
