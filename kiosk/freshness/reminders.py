"""Reminder e-mails: one digest per owner per day, and escalation of long-overdue cards to department heads.

A reminder is logged only after the SMTP server accepted it, so a failed send is simply tried again on
the next run; a reminder already logged today is never sent twice, however often `remind` runs.
"""

import logging
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from kiosk.clock import today
from kiosk.extensions import db
from kiosk.formatting import count_pl
from kiosk.links import email_origin

from .models import ReminderLog
from .services import DUE_SOON, OVERDUE, STATE_LABELS, CardStatus, card_statuses

log = logging.getLogger(__name__)
DIGEST, ESCALATION = "digest", "escalation"


@dataclass
class Reminder:
    kind: str
    recipient: str
    cards: list[CardStatus] = field(default_factory=list)

    @property
    def subject(self) -> str:
        if self.kind == ESCALATION:
            return f"Okienko: karty usług długo po terminie przeglądu ({len(self.cards)})"
        return f"Okienko: karty usług do przejrzenia ({len(self.cards)})"

    def message(self, sender: str, base_url: str = "") -> EmailMessage:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = sender, self.recipient, self.subject
        msg.set_content(self.body(base_url))
        return msg

    def body(self, base_url: str = "") -> str:
        late = count_pl(current_app.config["FRESHNESS_ESCALATE_AFTER_DAYS"], "dzień", "dni", "dni")
        intro = (f"Poniższe karty są po terminie przeglądu o ponad {late}. Prosimy o przypilnowanie ich weryfikacji."
                 if self.kind == ESCALATION else
                 "Poniższe karty usług wymagają przejrzenia. Jeśli karta jest aktualna, potwierdź to na stronie "
                 f"{base_url}/admin/swiezosc/moje-karty; jeśli nie, przygotuj nowe wydanie.")  # fmt: skip
        lines = [intro, ""]
        for card in self.cards:
            due = f"termin przeglądu {card.due_on:%d.%m.%Y}" if card.due_on else "nigdy nie zweryfikowana"
            flags = f", do przejrzenia po zmianach: {card.flags}" if card.flags else ""
            lines.append(f"- {card.title} ({base_url}/uslugi/{card.slug}): {STATE_LABELS[card.state]}, {due}{flags}")
        lines += ["", "Wiadomość wysłana automatycznie przez Okienko, raz dziennie."]
        return "\n".join(lines)


def needs_attention(card: CardStatus) -> bool:
    return card.state in (DUE_SOON, OVERDUE) or card.flags > 0


def plan_reminders(statuses: list[CardStatus] | None = None) -> tuple[list[Reminder], int]:
    """Reminders not yet sent today, and how many cards needing attention have nobody to remind."""
    statuses = card_statuses() if statuses is None else statuses
    late = current_app.config["FRESHNESS_ESCALATE_AFTER_DAYS"]
    grouped: dict[tuple[str, str], Reminder] = {}
    orphans = 0
    for card in statuses:
        if not needs_attention(card):
            continue
        if card.recipient:
            grouped.setdefault((DIGEST, card.recipient.lower()), Reminder(DIGEST, card.recipient)).cards.append(card)
        else:
            orphans += 1
        if card.state == OVERDUE and card.days_overdue > late and card.head_email:
            key = (ESCALATION, card.head_email.lower())
            grouped.setdefault(key, Reminder(ESCALATION, card.head_email)).cards.append(card)
    sent = set(db.session.execute(select(ReminderLog.kind, ReminderLog.recipient).where(ReminderLog.day == today())))
    return [r for key, r in sorted(grouped.items()) if key not in sent], orphans


def send_reminders(reminders: list[Reminder], commit=lambda: None) -> tuple[int, int]:
    """Send each reminder, logging it once delivered; returns (sent, failed). Failures are retried next run."""
    cfg = current_app.config
    sent = failed = 0
    try:
        smtp = smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=20)
    except OSError as exc:
        log.error("SMTP %s:%s unavailable, %d reminders left for the next run: %s",
                  cfg["SMTP_HOST"], cfg["SMTP_PORT"], len(reminders), exc)  # fmt: skip
        return 0, len(reminders)
    with smtp:
        for reminder in reminders:
            try:
                smtp.send_message(reminder.message(cfg["SMTP_SENDER"], email_origin(cfg)))
            except (smtplib.SMTPException, OSError) as exc:
                log.error("Reminder to %s not sent, retried on the next run: %s", reminder.recipient, exc)
                failed += 1
                continue
            record_reminder(reminder)
            commit()
            sent += 1
    return sent, failed


def record_reminder(reminder: Reminder) -> ReminderLog:
    """Log a delivered reminder (flushed, not committed)."""
    row = ReminderLog(day=today(), kind=reminder.kind, recipient=reminder.recipient.lower(),
                      card_ids=[c.card_id for c in reminder.cards])  # fmt: skip
    db.session.add(row)
    db.session.flush()
    return row
