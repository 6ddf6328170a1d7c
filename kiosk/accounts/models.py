"""Accounts and roles; the back office adds log-in on top of these."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.clock import now
from kiosk.extensions import db
from kiosk.facts.models import Department


class Role(enum.StrEnum):
    EDITOR = "editor"
    APPROVER = "approver"
    PUBLISHER = "publisher"
    FRONT_DESK = "front_desk"
    # Staff of a department: confirm receipt of its cases and mark them ready; no other back-office module.
    DEPARTMENT_STAFF = "department_staff"
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

    # The token of the session this object was loaded for (see UserSession); not a column.
    session_token = None

    def get_id(self) -> str | None:
        """What Flask-Login keeps in the cookie: the session's token, never the bare account id."""
        return self.session_token

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


class UserSession(db.Model):
    """One logged-in browser. Its cookie carries a random token; the row keeps only the token's hash.

    Deleting the row ends that session at its next request: log-out deletes one, disabling an account,
    changing its password or taking its roles away deletes them all.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
