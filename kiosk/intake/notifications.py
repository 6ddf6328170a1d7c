"""Telling the applicant: short notices to the contact given at registration, by e-mail or SMS.

Three notices, at most one of each per case (`CaseNotification`): the document is ready for pickup, the
supplement deadline is 2 working days away (`flask intake remind`, daily), the document was sent. A notice
carries the case number, what to do and where to look (office hours, the status page) and nothing else:
no name, no matter, no code, so a message read by someone else tells them nothing about the applicant.

Transitions only mark the case (`queue_notice`); the notice goes out after the commit, from a fresh
session (in a web request from a background thread, `kiosk.background`, so a hanging gateway never holds up
the counter), and is logged only once the gateway accepted it. A failed send is tried again by the next
`flask intake remind`. E-mail goes through the SMTP server in the settings; SMS through the gateway named by
`INTAKE_SMS_GATEWAY` ("module:factory", called with the app config), by default one that only logs.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from importlib import import_module
from typing import Protocol

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from kiosk.background import defer
from kiosk.clock import now, today
from kiosk.extensions import db, listen_on_session
from kiosk.links import email_origin

from .models import DELIVERY_LABELS, Case, CaseNotification, CaseStatus, Delivery, Notify
from .workdays import working_days_before

log = logging.getLogger(__name__)
READY, REMINDER, SENT = "ready", "reminder", "sent"
REMIND_WORKING_DAYS = 2
PENDING = "intake_notices"


class GatewayError(Exception):
    """The gateway did not accept the message; it is tried again on the next run."""


@dataclass(frozen=True)
class Notice:
    case_id: int
    kind: str
    channel: Notify
    to: str
    subject: str
    body: str
    sms: str


class Gateway(Protocol):
    """Anything that sends a notice or raises GatewayError: the e-mail gateway, an SMS provider's adapter."""

    def send(self, notice: Notice) -> None: ...


class EmailGateway:
    def __init__(self, config):
        self.config = config

    def send(self, notice: Notice) -> None:
        cfg = self.config
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = cfg["SMTP_SENDER"], notice.to, notice.subject
        msg.set_content(notice.body)
        try:
            with smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=20) as smtp:
                smtp.send_message(msg)
        except (smtplib.SMTPException, OSError) as exc:
            raise GatewayError(f"SMTP {cfg['SMTP_HOST']}:{cfg['SMTP_PORT']}: {exc}") from exc


class LoggingSmsGateway:
    """The default SMS gateway: logs that a text would go out (never the number) and accepts it."""

    def __init__(self, config):
        self.config = config

    def send(self, notice: Notice) -> None:
        log.info("SMS for case %s (%s) not sent: no SMS provider configured (INTAKE_SMS_GATEWAY)",
                 notice.case_id, notice.kind)  # fmt: skip


def gateway(channel: Notify) -> Gateway:
    if channel == Notify.EMAIL:
        return EmailGateway(current_app.config)
    module, _, name = current_app.config["INTAKE_SMS_GATEWAY"].partition(":")
    return getattr(import_module(module), name)(current_app.config)


# --- the texts ----------------------------------------------------------------------------------------


def _texts(case: Case, kind: str, base: str) -> tuple[str, str, str]:
    """(subject, e-mail body, SMS) of a notice: the case number, what to do, where to look; nothing personal."""
    status = f"Status sprawy (numer i kod z potwierdzenia): {base}/sprawa" if base else ""
    hours = f"Godziny otwarcia: {base}/punkty/{case.location.slug}" if base else ""
    all_hours = f"Punkty obsługi i godziny otwarcia: {base}/punkty" if base else ""
    if kind == READY:
        subject = f"Sprawa {case.number}: dokument do odbioru"
        lines = [f"Dokument w sprawie {case.number} jest gotowy do odbioru w punkcie: {case.location.display_name}, "
                 f"{case.location.address}.", "Zabierz dokument tożsamości i numer sprawy.", hours]  # fmt: skip
        sms = f"UM Płock: dokument w sprawie {case.number} do odbioru – {case.location.display_name}. {hours}"
    elif kind == REMINDER:
        subject = f"Sprawa {case.number}: uzupełnij braki do {case.deadline_on:%d.%m.%Y}"
        lines = [f"W sprawie {case.number} termin na uzupełnienie braków mija {case.deadline_on:%d.%m.%Y}.",
                 "Brakujące dokumenty złóż w dowolnym punkcie obsługi, podając numer sprawy. Po terminie wniosek "
                 "zostanie pozostawiony bez rozpoznania.", status, all_hours]  # fmt: skip
        sms = f"UM Płock: sprawa {case.number} – uzupełnij braki do {case.deadline_on:%d.%m.%Y}."
    else:
        how = DELIVERY_LABELS[case.delivery]
        subject = f"Sprawa {case.number}: dokument wysłany"
        lines = [f"Dokument w sprawie {case.number} został wysłany {how}.", status]
        sms = f"UM Płock: dokument w sprawie {case.number} wysłany {how}."
    footer = ["", "Wiadomość automatyczna z Urzędu Miasta Płocka – prosimy na nią nie odpowiadać."]
    return subject, "\n".join([line for line in lines if line] + footer), sms.strip()


# --- what is due, and sending it ----------------------------------------------------------------------


def _kind(case: Case) -> str | None:
    if case.status == CaseStatus.READY and case.delivery == Delivery.PICKUP:
        return READY
    if case.status == CaseStatus.DELIVERED:
        return SENT
    deadline = case.deadline_on
    incomplete = case.status == CaseStatus.INCOMPLETE and deadline is not None
    if incomplete and working_days_before(deadline, REMIND_WORKING_DAYS) <= today() <= deadline:
        return REMINDER
    return None


def due_notices(session: Session, case_ids=None) -> list[Notice]:
    """Notices owed and not yet sent: of the given cases, or (the daily run) of every open or recent case."""
    sent = select(CaseNotification.id).where(CaseNotification.case_id == Case.id)
    query = (select(Case).options(joinedload(Case.location))
             .where(Case.notify != Notify.NONE, Case.purged_at.is_(None), Case.applicant_contact != "",
                    Case.status.in_((CaseStatus.READY, CaseStatus.DELIVERED, CaseStatus.INCOMPLETE))))  # fmt: skip
    if case_ids is not None:
        query = query.where(Case.id.in_(case_ids))
    else:  # a document sent weeks ago is no news: retry failures of the last week only
        query = query.where((Case.closed_at.is_(None)) | (Case.closed_at >= now() - timedelta(days=7)))
    base = email_origin(current_app.config)
    notices = []
    for case in session.scalars(query):
        kind = _kind(case)
        if kind and session.scalar(sent.where(CaseNotification.kind == kind)) is None:
            notices.append(Notice(case.id, kind, case.notify, case.applicant_contact, *_texts(case, kind, base)))
    return notices


def send_notices(session: Session, notices: list[Notice]) -> tuple[int, int]:
    """Send each notice and log it once accepted (committing each); returns (sent, failed)."""
    sent = failed = 0
    for notice in notices:
        try:
            gateway(notice.channel).send(notice)
        except GatewayError as exc:
            log.error("Notice %s for case %s not sent, retried on the next run: %s", notice.kind, notice.case_id, exc)
            failed += 1
            continue
        session.add(CaseNotification(case_id=notice.case_id, kind=notice.kind, channel=notice.channel, sent_at=now()))
        try:
            session.commit()
        except IntegrityError:  # another worker logged it first
            session.rollback()
        sent += 1
    return sent, failed


def send_due(case_ids=None) -> tuple[int, int]:
    """Send what is owed (the daily `flask intake remind`, and after each commit for the cases it touched)."""
    with Session(db.engine) as fresh:
        return send_notices(fresh, due_notices(fresh, case_ids))


# --- the commit hook ----------------------------------------------------------------------------------


def queue_notice(case: Case) -> None:
    """Mark the case for a notice after the commit (if the applicant chose to be told)."""
    if case.notify != Notify.NONE:
        db.session.info.setdefault(PENDING, set()).add(case.id)


def _after_commit(session):
    ids = session.info.pop(PENDING, None)
    if ids and has_app_context():
        defer(_send_due_logged, ids)


def _send_due_logged(ids: set[int]) -> None:
    try:
        send_due(ids)
    except Exception:  # the commit already happened; the daily run retries
        log.exception("notices after commit failed for cases %s", sorted(ids))


def _after_rollback(session, previous_transaction):
    if previous_transaction.parent is None:
        session.info.pop(PENDING, None)


def install_commit_hook() -> None:
    """Listen on the Flask-SQLAlchemy session class (once per process)."""
    listen_on_session(("after_commit", _after_commit), ("after_soft_rollback", _after_rollback))
