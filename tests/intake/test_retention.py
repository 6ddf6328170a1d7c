"""Retention is complete: every personal field, closed and never-closing cases, the audit rows about them."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from kiosk.audit import AuditRecord
from kiosk.clock import frozen
from kiosk.intake import services
from kiosk.intake.models import Case, CaseStatus
from kiosk.settings import load_settings

T0 = datetime(2025, 3, 5, 9, 30)  # a Wednesday
DAY = timedelta(days=1)
PERSONAL = ("applicant_name", "applicant_contact", "issued_to", "delivery_ref", "mdok_ref")


def reload(db, case) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case.id)


def purge(db, at: datetime) -> int:
    with frozen(at):
        count = services.purge_personal_data()
    db.session.commit()
    return count


def assert_purged(case: Case) -> None:
    assert case.purged_at is not None
    assert {name: getattr(case, name) for name in PERSONAL} == dict.fromkeys(PERSONAL, "")


def test_delivered_case_loses_the_delivery_reference_and_mdok_text_too(app, db, register, desk_user, dept_user):
    with frozen(T0):
        case = register(applicant_contact="jan.kowalski@example.com, ul. Miodowa 4", mdok_ref="jan@example.com")
        services.hand_over(case, dept_user)
        services.mark_ready(case, dept_user)
        services.deliver(case, desk_user, "email", "jan.kowalski@example.com")
        db.session.commit()
    assert reload(db, case).delivery_ref == "jan.kowalski@example.com"
    assert purge(db, T0 + 729 * DAY) == 0
    assert purge(db, T0 + 731 * DAY) == 1
    case = reload(db, case)
    assert_purged(case)
    assert case.status == CaseStatus.DELIVERED and case.delivery.value == "email" and case.days_to_close == 0
    assert all("example.com" not in (e.note + e.actor_name) for e in case.events)


@pytest.mark.parametrize("stage", ["registered", "incomplete", "complete", "at_department", "ready"])
def test_a_case_that_never_closes_loses_personal_data_after_the_stalled_period(app, db, register, dept_user, stage):
    with frozen(T0):
        handed_in = {"registered": None, "incomplete": [0]}.get(stage, (0, 1))
        case = register(handed_in=handed_in)
        if stage in ("at_department", "ready"):
            services.hand_over(case, dept_user)
        if stage == "ready":
            services.mark_ready(case, dept_user)
        db.session.commit()
    status = reload(db, case).status
    assert purge(db, T0 + 364 * DAY) == 0
    assert reload(db, case).applicant_name == "Jan Kowalski"
    assert purge(db, T0 + 366 * DAY) == 1
    case = reload(db, case)
    assert_purged(case)
    assert case.status == status and not case.is_closed  # the state stays; only the person is gone


def test_the_stalled_period_counts_from_the_last_step(app, db, register, dept_user):
    with frozen(T0):
        case = register()
        db.session.commit()
    with frozen(T0 + 300 * DAY):
        services.hand_over(reload(db, case), dept_user)
        db.session.commit()
    assert purge(db, T0 + 400 * DAY) == 0  # received over a year ago, but moved 100 days ago
    assert purge(db, T0 + 666 * DAY) == 1


def test_left_unprocessed_case_follows_the_closed_retention(app, db, register):
    with frozen(T0):
        case = register(handed_in=[0])
        db.session.commit()
    with frozen(T0 + 30 * DAY):
        services.expire_deadlines()
        db.session.commit()
    assert reload(db, case).status == CaseStatus.LEFT_UNPROCESSED
    assert purge(db, T0 + 30 * DAY + 729 * DAY) == 0
    assert purge(db, T0 + 30 * DAY + 731 * DAY) == 1
    assert_purged(reload(db, case))


def test_audit_rows_about_a_purged_case_lose_what_they_copied(app, db, register):
    with frozen(T0):
        case = register()
        other = register(applicant_name="Anna Nowak")
        for target in (case, other):
            db.session.add(AuditRecord(actor_name="Pani z okienka", action="note", object_type="case",
                                       object_id=target.id, comment=target.applicant_name,
                                       detail={"contact": target.applicant_contact}))  # fmt: skip
        db.session.commit()
    app.config["INTAKE_STALLED_RETENTION_DAYS"] = 100
    assert purge(db, T0 + 101 * DAY) == 2
    rows = db.session.scalars(select(AuditRecord).where(AuditRecord.object_type == "case")).all()
    assert [(r.comment, r.detail) for r in rows] == [("", {}), ("", {})]
    assert all(r.actor_name == "Pani z okienka" for r in rows)  # who acted stays (staff accountability)


def test_purge_is_idempotent_and_the_cli_reports_it(app, db, runner, register):
    with frozen(T0):
        register(handed_in=[0])
        db.session.commit()
    with frozen(T0 + 400 * DAY):
        first = runner.invoke(args=["intake", "purge"])
        second = runner.invoke(args=["intake", "purge"])
    assert first.exit_code == 0 and "z 1 zamkniętych lub porzuconych" in first.output
    assert "z 0 " in second.output


def test_retention_periods_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_INTAKE_RETENTION_DAYS", "400")
    monkeypatch.setenv("KIOSK_INTAKE_STALLED_RETENTION_DAYS", "90")
    monkeypatch.setenv("KIOSK_SEARCH_LOG_RETENTION_DAYS", "30")
    settings = load_settings(tmp_path)
    assert settings["INTAKE_RETENTION_DAYS"] == 400
    assert settings["INTAKE_STALLED_RETENTION_DAYS"] == 90
    assert settings["SEARCH_LOG_RETENTION_DAYS"] == 30
    monkeypatch.delenv("KIOSK_INTAKE_STALLED_RETENTION_DAYS")
    monkeypatch.delenv("KIOSK_SEARCH_LOG_RETENTION_DAYS")
    defaults = load_settings(tmp_path)
    assert defaults["INTAKE_STALLED_RETENTION_DAYS"] == 365 and defaults["SEARCH_LOG_RETENTION_DAYS"] == 365
