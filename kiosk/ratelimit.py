"""One attempt limiter for every door that can be knocked on: log-in, the case-status lookup, feedback.

Attempts are rows in the database, so a limit holds across gunicorn workers and processes. The client's
address is stored only as a keyed hash (`kiosk.addresses.address_key`). Limits count per *source* — an
address, or an address together with what it tried (an account, a case number) — and never per target
alone: someone failing on purpose locks out only themselves, never the real person trying from elsewhere.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Index, String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.addresses import address_key
from kiosk.clock import now
from kiosk.errors import DomainError
from kiosk.extensions import db
from kiosk.formatting import count_pl

KEEP = timedelta(days=1)  # longer than any window; older rows are deleted


class Attempt(db.Model):
    """One attempt at a limited action; `subject` is what was tried (an account, a case number) or empty."""

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(default=now, index=True)
    source: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(80), default="")
    success: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        Index("ix_attempt_scope_source_at", "scope", "source", "at"),
        Index("ix_attempt_scope_subject_at", "scope", "subject", "at"),
    )


class Locked(DomainError):
    """Too many attempts from this source; the message names the window after which it may try again."""

    status_code = 429


@dataclass(frozen=True)
class Limiter:
    """At most `per_source` counted attempts from one address, and `per_pair` from one address against one
    subject, within the window. The limits are names of settings, read at each check.

    Only failures count unless `count_successes`; a success of the same (address, subject) pair clears that
    pair's failures (the right person got in), never the address's own count.
    """

    scope: str
    window: str
    per_source: str
    message: str
    per_pair: str | None = None
    count_successes: bool = False

    def _since(self) -> datetime:
        return now() - timedelta(minutes=current_app.config[self.window])

    def _count(self, since: datetime, source: str, subject: str | None = None) -> int:
        where = [Attempt.scope == self.scope, Attempt.source == source, Attempt.at >= since]
        if not self.count_successes:
            where.append(Attempt.success.is_(False))
        if subject is not None:
            where.append(Attempt.subject == subject)
            last_ok = db.session.scalar(select(func.max(Attempt.at)).where(
                Attempt.scope == self.scope, Attempt.source == source, Attempt.subject == subject,
                Attempt.success.is_(True)))  # fmt: skip
            if last_ok is not None and not self.count_successes:
                where.append(Attempt.at > last_ok)
        return db.session.scalar(select(func.count(Attempt.id)).where(*where)) or 0

    def check(self, address: str | None, subject: str = "") -> None:
        """Raise `Locked` when this address (or this address for `subject`) used up its attempts."""
        cfg, since, source = current_app.config, self._since(), address_key(address)
        over = self._count(since, source) >= cfg[self.per_source]
        if not over and self.per_pair:
            over = self._count(since, source, subject[:80]) >= cfg[self.per_pair]
        if over:
            raise Locked(self.message.format(minutes=count_pl(cfg[self.window], "minutę", "minuty", "minut")))

    def record(self, address: str | None, subject: str = "", success: bool = False) -> None:
        """Store one attempt (the caller commits, also when the attempt failed) and drop day-old rows."""
        db.session.execute(delete(Attempt).where(Attempt.scope == self.scope, Attempt.at < now() - KEEP))
        db.session.add(Attempt(scope=self.scope, at=now(), source=address_key(address), subject=subject[:80],
                               success=success))  # fmt: skip
        db.session.flush()

    def clear(self, *, subject: str | None = None, address: str | None = None) -> int:
        """Forget the failures of one subject and/or one address: the staff's unlock. Returns rows removed."""
        if subject is None and address is None:
            raise ValueError("clear() needs a subject or an address")
        where = [Attempt.scope == self.scope, Attempt.success.is_(False)]
        if subject is not None:
            where.append(Attempt.subject == subject[:80])
        if address is not None:
            where.append(Attempt.source == address_key(address))
        return db.session.execute(delete(Attempt).where(*where)).rowcount or 0


def forget_attempts(moment: datetime | None = None) -> int:
    """Delete attempts older than a day (every window is shorter): the daily purge calls this."""
    cutoff = (moment or now()) - KEEP
    return db.session.execute(delete(Attempt).where(Attempt.at < cutoff)).rowcount or 0


LOGIN = Limiter(
    "login", window="LOGIN_WINDOW_MINUTES", per_source="LOGIN_MAX_FAILURES_PER_ADDRESS",
    per_pair="LOGIN_MAX_FAILURES_PER_ACCOUNT",
    message="Zbyt wiele nieudanych prób logowania z tego miejsca. Spróbuj ponownie za {minutes} "
            "albo poproś administratora o odblokowanie.",
)  # fmt: skip

STATUS_LOOKUP = Limiter(
    "status", window="INTAKE_LOOKUP_WINDOW_MINUTES", per_source="INTAKE_LOOKUP_MAX_PER_ADDRESS",
    per_pair="INTAKE_LOOKUP_MAX_PER_NUMBER",
    message="Zbyt wiele nieudanych prób. Spróbuj ponownie za {minutes} albo zapytaj w punkcie obsługi.",
)  # fmt: skip

FEEDBACK = Limiter(
    "feedback", window="FEEDBACK_WINDOW_MINUTES", per_source="FEEDBACK_MAX_PER_WINDOW", count_successes=True,
    message="Wysłano już kilka zgłoszeń. Spróbuj ponownie za {minutes}.",
)  # fmt: skip
