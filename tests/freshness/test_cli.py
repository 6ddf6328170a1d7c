"""`flask freshness check|report|snapshot`."""

from datetime import timedelta

from sqlalchemy import select

from kiosk.clock import frozen
from kiosk.extensions import db
from kiosk.freshness.models import Feedback, FreshnessSnapshot, ReviewFlag


def test_check_stores_findings_and_a_snapshot(runner, factory, at_now):
    factory.published_card("dowod", legal_acts=[])
    result = runner.invoke(args=["freshness", "check"])
    assert result.exit_code == 0, result.output
    assert "nowe problemy 1" in result.output
    assert db.session.scalar(select(ReviewFlag.code)) == "no_legal_basis"
    snapshot = db.session.scalar(select(FreshnessSnapshot))
    assert (snapshot.total, snapshot.fresh, snapshot.flagged) == (1, 1, 1)


def test_check_purges_old_resolved_feedback_with_its_contact(runner, factory, at_now):
    card = factory.published_card("dowod")
    db.session.add(Feedback(card=card, message="stare", contact="jan@example.com", resolved_at=at_now,
                            address_hash="x" * 64, created_at=at_now))  # fmt: skip
    db.session.add(Feedback(card=card, message="nowe", contact="", address_hash="y" * 64, created_at=at_now))
    db.session.commit()
    with frozen(at_now + timedelta(days=181)):
        assert runner.invoke(args=["freshness", "check"]).exit_code == 0
    rows = db.session.execute(select(Feedback.message, Feedback.contact, Feedback.address_hash)).all()
    assert rows == [("nowe", "", None)]


def test_a_report_nobody_resolves_still_loses_its_contact_after_the_retention_period(runner, factory, at_now):
    """A report left open forever must not keep a resident's e-mail forever; the report itself stays to be handled."""
    card = factory.published_card("dowod")
    db.session.add(Feedback(card=card, message="stare", contact="jan@example.com", created_at=at_now))
    db.session.add(Feedback(card=card, message="młodsze", contact="ola@example.com",
                            created_at=at_now + timedelta(days=10)))  # fmt: skip
    db.session.commit()
    with frozen(at_now + timedelta(days=181)):
        assert runner.invoke(args=["freshness", "check"]).exit_code == 0
    rows = db.session.execute(select(Feedback.message, Feedback.contact).order_by(Feedback.id)).all()
    assert rows == [("stare", ""), ("młodsze", "ola@example.com")]


def test_report_prints_a_table_per_department(runner, factory, at_now):
    factory.published_card("dowod")
    with frozen(at_now + timedelta(days=200)):
        result = runner.invoke(args=["freshness", "report"])
    assert result.exit_code == 0
    line = next(row for row in result.output.splitlines() if row.startswith("Wydział Testowy"))
    assert line.split()[-6:] == ["1", "0", "0", "0", "1", "0"]
    assert "Kontrola treści jeszcze się nie odbyła" in result.output


def test_snapshot_is_one_row_per_day(runner, factory, at_now):
    factory.published_card("dowod")
    runner.invoke(args=["freshness", "snapshot"])
    runner.invoke(args=["freshness", "snapshot"])
    with frozen(at_now + timedelta(days=1)):
        result = runner.invoke(args=["freshness", "snapshot"])
    assert "Zapisano stan z 13.05.2026" in result.output
    assert len(db.session.scalars(select(FreshnessSnapshot)).all()) == 2
