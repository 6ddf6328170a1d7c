"""The lifecycle as plain functions: each transition, each illegal one, deadlines and numbers."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from kiosk.accounts.models import Role
from kiosk.clock import frozen
from kiosk.errors import InvalidTransition, PermissionDenied, ValidationError
from kiosk.intake import services
from kiosk.intake.models import Case, CaseCounter, CaseEvent, CaseStatus
from kiosk.intake.workdays import deadline_after, next_working_day


def test_complete_application_goes_all_the_way_with_a_timeline(db, register, desk_user, dept_user, wednesday):
    case = register()
    assert case.number == f"BOK/{wednesday.year}/000001"
    assert len(case.code) == services.CODE_LENGTH and set(case.code) <= set(services.CODE_ALPHABET)
    assert case.status == CaseStatus.COMPLETE
    assert case.expected_on == date(2026, 12, 4)  # 30 days, a Friday
    services.hand_over(case, dept_user)
    services.mark_ready(case, dept_user)
    services.issue_document(case, desk_user, "Jan Kowalski", identity_seen=True)
    db.session.commit()
    assert case.status == CaseStatus.ISSUED and case.closed_at is not None and case.days_to_close == 0
    assert case.received_by == dept_user and not case.late
    assert [e.action for e in case.events] == ["register", "complete", "hand_over", "ready", "issue"]
    assert all("Kowalski" not in e.note for e in case.events)


def test_incomplete_gets_seven_days_and_supplements_complete_it(db, register, desk_user, wednesday):
    case = register(handed_in=[0])
    assert case.status == CaseStatus.INCOMPLETE and case.was_incomplete
    assert case.deadline_on == date(2026, 11, 12)  # 4 Nov + 7 = 11 Nov, Independence Day → 12 Nov
    assert [i.name for i in case.missing] == ["Fotografia 35 × 45 mm"]
    assert case.expected_on is None
    services.record_supplement(case, [1], desk_user)
    assert case.status == CaseStatus.COMPLETE and case.expected_on is not None
    assert case.checklist[1].supplied_at is not None


def test_deadlines_skip_weekends_and_polish_holidays():
    assert next_working_day(date(2026, 12, 25)) == date(2026, 12, 28)  # Christmas Fri, Sat, Sun
    assert next_working_day(date(2026, 11, 14)) == date(2026, 11, 16)  # Saturday
    assert next_working_day(date(2026, 5, 1)) == date(2026, 5, 4)  # Labour Day Fri, 3 May Sunday
    assert deadline_after(date(2026, 11, 4), 7) == date(2026, 11, 12)


def test_per_card_supplement_days_and_handover_post(db, register, card, wednesday):
    services.set_card_rule(card, None, 14, "Samodzielne stanowisko ds. wypisów z rejestru gruntów")
    case = register(handed_in=[])
    assert case.deadline_on == date(2026, 11, 18)
    assert case.handover_to.startswith("Samodzielne stanowisko")


def test_explicit_deadline_must_be_in_the_future_and_moves_past_days_off(db, card, points, desk_user, wednesday):
    case = services.register_application(card, points["pom-miodowa"], desk_user, channel="oral", delivery="post",
                                         applicant_name="Anna Nowak", applicant_contact="anna@example.pl")  # fmt: skip
    with pytest.raises(ValidationError, match="po dzisiejszym"):
        services.record_completeness(case, [], desk_user, date(2026, 11, 3))
    services.record_completeness(case, [], desk_user, date(2026, 11, 8))  # a Sunday
    assert case.deadline_on == date(2026, 11, 9)
    assert case.number.startswith("MIO/2026/")


@pytest.mark.parametrize(
    ("setup", "call", "message"),
    [
        ("ready", lambda c, u, d: services.issue_document(c, u, "X", True), "przed jego przygotowaniem"),
        ("complete", lambda c, u, d: services.record_supplement(c, [0], u), "nie ma czego uzupełniać"),
        ("complete", lambda c, u, d: services.mark_ready(c, d), "gotowego"),
        ("complete", lambda c, u, d: services.record_completeness(c, [0, 1], u), "kompletności"),
        ("at_department", lambda c, u, d: services.hand_over(c, d), "przekazać"),
    ],
)
def test_illegal_transitions_are_errors_and_change_nothing(db, register, desk_user, dept_user, setup, call, message):
    case = register()
    if setup in ("ready", "at_department"):
        services.hand_over(case, dept_user)
        db.session.commit()
    events = len(case.events)
    with pytest.raises(InvalidTransition, match=message):
        call(case, desk_user, dept_user)
    db.session.rollback()
    assert len(db.session.get(Case, case.id).events) == events


def test_issue_needs_identity_and_a_name(db, register, desk_user, dept_user):
    case = register()
    services.hand_over(case, dept_user)
    services.mark_ready(case, dept_user)
    with pytest.raises(ValidationError, match="tożsamości"):
        services.issue_document(case, desk_user, "Jan Kowalski", identity_seen=False)
    with pytest.raises(ValidationError, match="komu wydano"):
        services.issue_document(case, desk_user, "  ", identity_seen=True)
    services.deliver(case, desk_user, "post", "RR123456789PL")
    assert case.status == CaseStatus.DELIVERED and case.delivery_ref == "RR123456789PL"


def test_only_the_owning_department_confirms_receipt(db, register, factory, other_department):
    case = register()
    stranger = factory.user("obcy", roles=[Role.DEPARTMENT_STAFF], departments=[other_department])
    desk = factory.user("bok2", roles=[Role.FRONT_DESK])
    for user in (stranger, desk):
        with pytest.raises(PermissionDenied, match="na własnym koncie"):
            services.hand_over(case, user)
    with pytest.raises(PermissionDenied):
        services.mark_ready(case, stranger)


def test_late_department_is_recorded(db, register, dept_user):
    with frozen(datetime(2026, 11, 4, 9)):
        case = register()
        services.hand_over(case, dept_user)
    with frozen(datetime(2026, 12, 10, 9)):
        services.mark_ready(case, dept_user)
    assert case.late and case.events[-1].note == "po terminie"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("applicant_name", "x" * 10_240, "najwyżej 200 znaków"),
        ("applicant_name", "   ", "Podaj imię i nazwisko"),
        ("applicant_contact", "", "Podaj kontakt"),
        ("channel", "fax", "sposób złożenia"),
        ("delivery", "gołąb", "sposób odbioru"),
    ],
)
def test_bad_registration_saves_nothing_and_leaves_no_gap(db, register, card, points, desk_user, field, value,
                                                         message):  # fmt: skip
    first = register()
    values = {"channel": "written", "delivery": "pickup", "applicant_name": "Jan", "applicant_contact": "tel",
              field: value}  # fmt: skip
    with pytest.raises(ValidationError, match=message):
        services.register_application(card, points["bok-stary-rynek"], desk_user, **values)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Case.id))) == 1
    assert register().seq == first.seq + 1


def test_a_rolled_back_registration_returns_its_number(db, register, card, points, desk_user):
    register()
    services.register_application(card, points["bok-stary-rynek"], desk_user, channel="written", delivery="pickup",
                                  applicant_name="Jan", applicant_contact="tel")  # fmt: skip
    db.session.rollback()
    assert register().number.endswith("/000002")
    counter = db.session.get(CaseCounter, (register().year, points["bok-stary-rynek"].id))
    assert counter.last_number == 3


def test_numbers_are_per_point_and_per_year(db, register):
    with frozen(datetime(2026, 12, 31, 12)):
        a, b = register(), register(point="pilsudskiego-6")
    with frozen(datetime(2027, 1, 4, 9)):
        c = register()
    assert (a.number, b.number, c.number) == ("BOK/2026/000001", "PIL/2026/000001", "BOK/2027/000001")


def test_front_desk_role_is_required_to_register(db, card, points, dept_user):
    with pytest.raises(PermissionDenied):
        services.register_application(card, points["bok-stary-rynek"], dept_user, channel="written",
                                      delivery="pickup", applicant_name="Jan", applicant_contact="tel")  # fmt: skip


def test_expiry_leaves_unprocessed_and_keeps_the_case(db, register, desk_user):
    with frozen(datetime(2026, 11, 4, 9)):
        late, on_time = register(handed_in=[0]), register(handed_in=[0])
    with frozen(datetime(2026, 11, 12, 20)):
        assert services.expire_deadlines() == []  # the deadline day itself still counts
        services.record_supplement(on_time, [1], desk_user)
    with frozen(datetime(2026, 11, 13, 8)):
        with pytest.raises(InvalidTransition, match="minął"):
            services.record_supplement(late, [1], desk_user)
        assert services.expire_deadlines() == [late]
    db.session.commit()
    assert db.session.get(Case, late.id).status == CaseStatus.LEFT_UNPROCESSED
    assert late.closed_at is not None and late.events[-1].action == "left_unprocessed"


def test_purge_removes_names_after_retention_and_keeps_statistics(app, db, register, desk_user, dept_user):
    with frozen(datetime(2024, 1, 10, 9)):
        old = register()
        services.hand_over(old, dept_user)
        services.mark_ready(old, dept_user)
        services.issue_document(old, desk_user, "Jan Kowalski", True)
        open_case = register(handed_in=[0])
    fresh = register()
    db.session.commit()
    with frozen(datetime(2026, 11, 4, 9)):
        assert services.purge_personal_data() == 2  # the closed case, and the open one nobody touched since 2024
    db.session.commit()
    db.session.expire_all()
    old, open_case, fresh = (db.session.get(Case, c.id) for c in (old, open_case, fresh))
    assert (old.applicant_name, old.applicant_contact, old.issued_to) == ("", "", "")
    assert old.purged_at is not None and old.days_to_close == 0 and old.card_title
    assert open_case.applicant_name == "" and open_case.status == CaseStatus.INCOMPLETE
    assert fresh.applicant_name == "Jan Kowalski"
    assert db.session.scalar(select(func.count(CaseEvent.id)).where(CaseEvent.case_id == old.id)) == 5


def test_retention_is_configurable(app, db, register, desk_user, dept_user):
    app.config["INTAKE_RETENTION_DAYS"] = 10
    case = register()
    services.hand_over(case, dept_user)
    services.mark_ready(case, dept_user)
    services.deliver(case, desk_user, "epuap")
    db.session.commit()
    with frozen(case.closed_at + timedelta(days=11)):
        assert services.purge_personal_data() == 1
