"""`flask freshness remind` against a real SMTP server on loopback."""

import logging
from datetime import timedelta

from sqlalchemy import func, select

from kiosk.clock import frozen
from kiosk.extensions import db
from kiosk.freshness.models import ReminderLog

from .conftest import free_port


def owned_card(factory, slug, owner="anna@plock.test", interval=180):
    card = factory.published_card(slug)
    card.owner_email, card.review_interval_days = owner, interval
    department = card.owner_department
    department.cards_contact_email, department.head_email = "wydzial@plock.test", "naczelnik@plock.test"
    db.session.commit()
    return card


def test_one_digest_per_owner_per_day(app, runner, factory, smtp_server, at_now):
    app.config["BASE_URL"] = "https://okienko.test"
    owned_card(factory, "dowod")
    owned_card(factory, "paszport")
    owned_card(factory, "bez-wlasciciela", owner="")
    with frozen(at_now + timedelta(days=170)):  # due soon, not yet to be escalated
        first = runner.invoke(args=["freshness", "remind"])
        second = runner.invoke(args=["freshness", "remind"])
    assert first.exit_code == 0, first.output
    assert "Wysłano 2" in first.output and "Brak przypomnień" in second.output
    by_rcpt = {rcpt[0]: (subject, body) for rcpt, subject, body in smtp_server.messages}
    assert sorted(by_rcpt) == ["anna@plock.test", "wydzial@plock.test"]
    subject, body = by_rcpt["anna@plock.test"]
    assert subject == "Okienko: karty usług do przejrzenia (2)"
    assert "https://okienko.test/uslugi/dowod" in body and "/uslugi/paszport" in body
    assert "https://okienko.test/admin/swiezosc/moje-karty" in body
    with frozen(at_now + timedelta(days=171)):
        assert "Wysłano 2" in runner.invoke(args=["freshness", "remind"]).output


def test_overdue_by_more_than_30_days_escalates_to_the_head(runner, factory, smtp_server, at_now):
    owned_card(factory, "dowod")
    with frozen(at_now + timedelta(days=180 + 31)):
        result = runner.invoke(args=["freshness", "remind"])
    assert result.exit_code == 0, result.output
    by_rcpt = {rcpt[0]: body for rcpt, _, body in smtp_server.messages}
    assert set(by_rcpt) == {"anna@plock.test", "naczelnik@plock.test"}
    assert "po terminie przeglądu o ponad 30 dni" in by_rcpt["naczelnik@plock.test"]


def test_the_escalation_names_the_configured_delay(app, runner, factory, smtp_server, at_now):
    app.config["FRESHNESS_ESCALATE_AFTER_DAYS"] = 1
    owned_card(factory, "dowod")
    with frozen(at_now + timedelta(days=180 + 2)):
        assert runner.invoke(args=["freshness", "remind"]).exit_code == 0
    body = {rcpt[0]: body for rcpt, _, body in smtp_server.messages}["naczelnik@plock.test"]
    assert "po terminie przeglądu o ponad 1 dzień." in body and "30 dni" not in body


def test_smtp_down_is_logged_and_retried_next_run(app, runner, factory, at_now, caplog, smtp_server):
    # migrations/env.py's fileConfig() disables loggers that existed before the test database was migrated
    logging.getLogger("kiosk.freshness.reminders").disabled = False
    owned_card(factory, "dowod", interval=10)
    port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = free_port()  # nothing listens there
    with frozen(at_now + timedelta(days=20)), caplog.at_level(logging.ERROR, logger="kiosk.freshness.reminders"):
        down = runner.invoke(args=["freshness", "remind"])
        assert down.exit_code == 1 and "nieudane 1" in down.output
        assert "unavailable" in caplog.text
        assert db.session.scalar(select(func.count(ReminderLog.id))) == 0
        app.config["SMTP_PORT"] = port
        up = runner.invoke(args=["freshness", "remind"])
    assert up.exit_code == 0 and "Wysłano 1" in up.output
    assert len(smtp_server.messages) == 1


def test_nothing_due_sends_nothing(runner, factory, smtp_server, at_now):
    owned_card(factory, "dowod")
    result = runner.invoke(args=["freshness", "remind"])
    assert result.exit_code == 0 and smtp_server.messages == []
