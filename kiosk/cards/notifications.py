"""Workflow e-mail: approvers hear of a submitted edition, its authors of an edition sent back.

The workflow functions queue a message on the session (`queue_*`); it is sent only after the
transaction commits (a rolled-back step sends nothing), from a background thread when in a web request
(`kiosk.background`: a hanging or refusing SMTP server never slows the step), and a mail failure never
undoes the step: it is logged. Messages carry the card's title, the edition number, a link to the back
office and, when sent back, the reason; nothing else.
"""

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app, has_app_context
from sqlalchemy import select

from kiosk.accounts.models import Role, User, user_department
from kiosk.background import defer
from kiosk.extensions import db, listen_on_session
from kiosk.links import email_origin

from .models import Edition

log = logging.getLogger(__name__)
OUTBOX = "cards_outbox"


@dataclass(frozen=True)
class Notice:
    recipients: tuple[str, ...]
    subject: str
    body: str


def approvers_for(edition: Edition) -> list[User]:
    """Active approvers of the card's department (else approvers with no department, who approve any card),
    without the edition's contributors, who may not approve it."""
    approvers = [u for u in db.session.scalars(select(User).where(User.active.is_(True), User.is_system.is_(False)))
                 if u.has_role(Role.APPROVER)]  # fmt: skip
    owner = edition.card.owner_department_id
    linked = {row.user_id for row in db.session.execute(
        select(user_department.c.user_id).where(user_department.c.department_id == owner))}  # fmt: skip
    chosen = [u for u in approvers if u.id in linked] or [u for u in approvers if not u.departments]
    return [u for u in chosen if u.id not in edition.contributor_ids]


def authors_of(edition: Edition) -> list[User]:
    """Every person who contributed to the edition (the import account excepted)."""
    people = [c.user for c in edition.contributors] or ([edition.author] if edition.author else [])
    return [u for u in people if u is not None and not u.is_system and u.active]


def _link(path: str) -> str:
    return email_origin(current_app.config) + path


def queue_submitted(edition: Edition) -> Notice | None:
    """Tell the approvers that `edition` waits for them (sent after commit)."""
    recipients = tuple(sorted({u.email for u in approvers_for(edition) if u.email}))
    if not recipients:
        return None
    body = (f"Wydanie {edition.number:02d} karty „{edition.title}” czeka na zatwierdzenie merytoryczne.\n\n"
            f"Zmiany i przyciski: {_link(f'/admin/inbox/#wydanie-{edition.id}')}\n\n"
            "Wiadomość wysłana automatycznie przez Okienko.")  # fmt: skip
    return _queue(Notice(recipients, f"Okienko: do zatwierdzenia – {edition.title}", body))


def queue_sent_back(edition: Edition, reason: str) -> Notice | None:
    """Tell the edition's authors it was sent back, and why (sent after commit)."""
    recipients = tuple(sorted({u.email for u in authors_of(edition) if u.email}))
    if not recipients:
        return None
    body = (f"Wydanie {edition.number:02d} karty „{edition.title}” zwrócono do poprawy.\n\n"
            f"Powód: {reason.strip()}\n\n"
            f"Szkic: {_link(f'/admin/cards/{edition.card_id}/edit')}\n\n"
            "Wiadomość wysłana automatycznie przez Okienko.")  # fmt: skip
    return _queue(Notice(recipients, f"Okienko: zwrócono do poprawy – {edition.title}", body))


def _queue(notice: Notice) -> Notice:
    db.session().info.setdefault(OUTBOX, []).append(notice)
    return notice


def send_notices(notices: list[Notice]) -> int:
    """Deliver `notices` through the configured SMTP server; returns how many were accepted."""
    cfg = current_app.config
    sent = 0
    try:
        with smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=10) as smtp:
            for notice in notices:
                msg = EmailMessage()
                msg["From"], msg["Subject"] = cfg["SMTP_SENDER"], notice.subject
                msg["To"] = ", ".join(notice.recipients)
                msg.set_content(notice.body)
                try:
                    smtp.send_message(msg)
                    sent += 1
                except (smtplib.SMTPException, OSError) as exc:
                    log.error("workflow e-mail %r not sent: %s", notice.subject, exc)
    except (smtplib.SMTPException, OSError) as exc:
        log.error("SMTP %s:%s unavailable, %d workflow e-mails not sent: %s", cfg["SMTP_HOST"], cfg["SMTP_PORT"],
                  len(notices) - sent, exc)  # fmt: skip
    return sent


def _after_commit(session):
    notices = session.info.pop(OUTBOX, None)
    if notices and has_app_context():
        defer(send_notices, notices)


def _after_rollback(session, previous_transaction):
    if previous_transaction.parent is None:  # only the outermost rollback discards the step
        session.info.pop(OUTBOX, None)


def install_commit_hook() -> None:
    """Send queued workflow e-mail after each commit (once per process)."""
    listen_on_session(("after_commit", _after_commit), ("after_soft_rollback", _after_rollback))
