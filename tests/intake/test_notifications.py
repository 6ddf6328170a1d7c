"""Telling the applicant: e-mails through a real SMTP server on loopback (aiosmtpd), the SMS gateway behind the
same interface, the 2-working-days reminder on a frozen clock, one notice per case and kind."""

import logging
import time
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from kiosk.background import wait_for_background
from kiosk.clock import frozen
from kiosk.errors import ValidationError
from kiosk.intake import notifications, services
from kiosk.intake.models import CaseNotification, Notify
from tests.freshness.conftest import free_port, hanging_smtp

from .conftest import csrf_token, login

EMAIL = {"applicant_contact": "jan.kowalski@example.pl", "notify": "email"}
SENT_SMS = []


class RecordingSms:
    """A provider adapter as an operator would plug one in (INTAKE_SMS_GATEWAY = "module:factory")."""

    def __init__(self, config):
        self.config = config

    def send(self, notice):
        SENT_SMS.append((notice.to, notice.sms))


def _logged(kind=None) -> int:
    query = select(func.count(CaseNotification.id))
    return notifications.db.session.scalar(query if kind is None else query.where(CaseNotification.kind == kind))


def test_ready_for_pickup_mails_after_the_commit_once_and_without_personal_data(
    app, db, register, dept_user, smtp_server, wednesday
):
    case = register(**EMAIL)
    services.hand_over(case, dept_user)
    db.session.commit()
    client = login(app, "wydzial")
    url = f"/admin/bok/sprawy/{case.id}"
    assert client.post(f"{url}/gotowe", data={"csrf_token": csrf_token(client, url)}).status_code == 302
    wait_for_background()  # sent after the response, from a background thread
    [(rcpt, subject, body)] = smtp_server.messages
    assert rcpt == ["jan.kowalski@example.pl"]
    assert subject == f"Sprawa {case.number}: dokument do odbioru"
    assert "gotowy do odbioru w punkcie: BOK Stary Rynek" in body and "dokument tożsamości" in body
    assert "https://okienko.test/punkty/bok-stary-rynek" in body
    for personal in ("Jan", "Kowalski", "dowodu", "Wydanie", case.code):  # no name, no matter, no code
        assert personal not in subject + body
    assert _logged("ready") == 1
    assert "Wysłano powiadomień: 0." in app.test_cli_runner().invoke(args=["intake", "remind"]).output
    assert len(smtp_server.messages) == 1


def test_sent_by_post_mails_and_no_choice_mails_nothing(db, register, desk_user, dept_user, smtp_server, wednesday):
    told, silent = register(delivery="post", **EMAIL), register(applicant_contact="jan@example.pl")
    for case in (told, silent):
        services.hand_over(case, dept_user)
        services.mark_ready(case, dept_user)  # delivery by post: "ready" is no news to the applicant
        db.session.commit()
        services.deliver(case, desk_user, "post", "RR123456789PL")
        db.session.commit()
    [(_, subject, body)] = smtp_server.messages
    assert subject == f"Sprawa {told.number}: dokument wysłany" and "wysłany pocztą" in body
    assert "RR123456789PL" not in body and "https://okienko.test/sprawa" in body


def test_reminder_two_working_days_before_the_deadline_across_a_holiday(app, db, register, smtp_server):
    runner = app.test_cli_runner()
    with frozen(datetime(2026, 11, 4, 9, 30)):  # deadline Thursday 12.11; Wednesday 11.11 is a holiday
        case = register(handed_in=[0], deadline=date(2026, 11, 12), **EMAIL)
        other = register(handed_in=[0], deadline=date(2026, 11, 20), **EMAIL)
    with frozen(datetime(2026, 11, 6, 7)):  # Friday: 3 working days before
        assert "Wysłano powiadomień: 0." in runner.invoke(args=["intake", "remind"]).output
    with frozen(datetime(2026, 11, 9, 7)):  # Monday: Tuesday and Thursday left
        first = runner.invoke(args=["intake", "remind"])
        again = runner.invoke(args=["intake", "remind"])
    with frozen(datetime(2026, 11, 10, 7)):
        later = runner.invoke(args=["intake", "remind"])
    assert first.exit_code == 0 and "Wysłano powiadomień: 1." in first.output
    assert "Wysłano powiadomień: 0." in again.output and "Wysłano powiadomień: 0." in later.output
    [(_, subject, body)] = smtp_server.messages
    assert subject == f"Sprawa {case.number}: uzupełnij braki do 12.11.2026"
    assert "pozostawiony bez rozpoznania" in body and "Fotografia" not in body and other.number not in body


def test_a_supplemented_case_gets_no_reminder(app, db, register, desk_user, smtp_server):
    with frozen(datetime(2026, 11, 4, 9, 30)):
        case = register(handed_in=[0], deadline=date(2026, 11, 12), **EMAIL)
        services.record_supplement(case, [1], desk_user)
        db.session.commit()
    with frozen(datetime(2026, 11, 9, 7)):
        assert "Wysłano powiadomień: 0." in app.test_cli_runner().invoke(args=["intake", "remind"]).output
    assert smtp_server.messages == []


def test_smtp_down_is_logged_and_retried_by_remind(app, db, register, dept_user, smtp_server, caplog, wednesday):
    logging.getLogger("kiosk.intake.notifications").disabled = False  # see tests/freshness/test_reminders.py
    case = register(**EMAIL)
    services.hand_over(case, dept_user)
    port, app.config["SMTP_PORT"] = app.config["SMTP_PORT"], free_port()  # nothing listens there
    with caplog.at_level(logging.ERROR, logger="kiosk.intake.notifications"):
        services.mark_ready(case, dept_user)
        db.session.commit()  # the commit stands; the notice waits
    assert "not sent" in caplog.text and "jan.kowalski" not in caplog.text and _logged() == 0
    down = app.test_cli_runner().invoke(args=["intake", "remind"])
    assert down.exit_code == 1 and "nieudane 1" in down.output
    app.config["SMTP_PORT"] = port
    assert "Wysłano powiadomień: 1." in app.test_cli_runner().invoke(args=["intake", "remind"]).output
    assert len(smtp_server.messages) == 1 and _logged("ready") == 1


def test_a_hanging_mail_server_never_holds_up_the_counter(app, db, register, dept_user, smtp_server, wednesday):
    case = register(**EMAIL)
    services.hand_over(case, dept_user)
    db.session.commit()
    client = login(app, "wydzial")
    url = f"/admin/bok/sprawy/{case.id}"
    token, port = csrf_token(client, url), app.config["SMTP_PORT"]
    with hanging_smtp() as hanging:
        app.config["SMTP_PORT"] = hanging  # accepts the connection, never greets: smtplib would wait 20 s
        started = time.monotonic()
        assert client.post(f"{url}/gotowe", data={"csrf_token": token}).status_code == 302
        assert time.monotonic() - started < 8  # "ready" is recorded without waiting for the mail server
    wait_for_background()  # the port is closed: the waiting connection is reset, nothing logged as sent
    assert _logged() == 0 and smtp_server.messages == []
    app.config["SMTP_PORT"] = port
    assert "Wysłano powiadomień: 1." in app.test_cli_runner().invoke(args=["intake", "remind"]).output
    assert len(smtp_server.messages) == 1 and _logged("ready") == 1


def test_sms_goes_through_the_configured_gateway(app, db, register, dept_user, smtp_server, wednesday):
    app.config["INTAKE_SMS_GATEWAY"] = f"{__name__}:RecordingSms"
    SENT_SMS.clear()
    case = register(applicant_contact="+48 600 100 200", notify="sms")
    services.hand_over(case, dept_user)
    services.mark_ready(case, dept_user)
    db.session.commit()
    [(to, text)] = SENT_SMS
    assert to == "+48 600 100 200" and text.startswith(f"UM Płock: dokument w sprawie {case.number} do odbioru")
    assert len(text) <= 160 and smtp_server.messages == [] and _logged("ready") == 1


def test_default_sms_gateway_only_logs_and_never_the_number(app, db, register, dept_user, caplog, wednesday):
    logging.getLogger("kiosk.intake.notifications").disabled = False
    case = register(applicant_contact="600-100-200", notify="sms")
    services.hand_over(case, dept_user)
    with caplog.at_level(logging.INFO, logger="kiosk.intake.notifications"):
        services.mark_ready(case, dept_user)
        db.session.commit()
    assert "no SMS provider configured" in caplog.text and "600" not in caplog.text


@pytest.mark.parametrize(("contact", "notify", "message"), [
    ("600 100 200", "email", "adres e-mail"), ("jan@", "email", "adres e-mail"), ("a@b.pl x@y.pl", "email", "e-mail"),
    ("jan@example.pl", "sms", "numer telefonu"), ("12 34", "sms", "numer telefonu"), ("600 100 200", "fax", "z listy"),
])  # fmt: skip
def test_the_contact_must_fit_the_chosen_notices(db, register, contact, notify, message):
    with pytest.raises(ValidationError, match=message):
        register(applicant_contact=contact, notify=notify)


def test_purged_cases_are_never_told(db, register, desk_user, dept_user, smtp_server):
    with frozen(datetime(2024, 1, 10, 9)):
        case = register(**EMAIL)
        services.cancel_registration(case, desk_user, "pomyłka")
        db.session.commit()
    with frozen(datetime(2026, 11, 4, 9)):
        services.purge_personal_data()
        db.session.commit()
    db.session.refresh(case)
    assert (case.notify, case.applicant_contact) == (Notify.NONE, "")
    assert notifications.due_notices(db.session) == []
