"""Correcting and cancelling a registration; optional documents; the expected date after a late completion."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from kiosk.clock import frozen
from kiosk.errors import InvalidTransition, PermissionDenied, ValidationError
from kiosk.intake import lookup, queues, services
from kiosk.intake.models import Case, CaseEvent, CaseStatus, Notify

from .conftest import csrf_token, login


def test_correction_is_audited_with_clerk_and_reason_and_no_values(db, register, desk_user, wednesday):
    case = register()
    services.correct_registration(case, desk_user, "literówka w nazwisku", applicant_name="Jan Kowalsky",
                                  applicant_contact="jan@example.pl", notify="email", delivery="post")  # fmt: skip
    db.session.commit()
    event = case.events[-1]
    assert (event.action, event.actor_name, event.reason) == ("correct", "Pani z okienka", "literówka w nazwisku")
    assert event.note == "poprawiono: imię i nazwisko, kontakt, sposób odbioru, powiadomienia"
    assert "Kowalsk" not in event.note and "example" not in event.note
    assert (case.applicant_name, case.notify, case.status) == ("Jan Kowalsky", Notify.EMAIL, CaseStatus.COMPLETE)


@pytest.mark.parametrize(("reason", "changes", "message"), [
    ("", {"applicant_name": "Jan Nowak"}, "Podaj powód"),
    ("   ", {"applicant_name": "Jan Nowak"}, "Podaj powód"),
    ("r" * 301, {"applicant_name": "Jan Nowak"}, "najwyżej 300"),
    ("pomyłka", {"applicant_name": ""}, "Podaj imię i nazwisko"),
    ("pomyłka", {"applicant_name": "Jan Kowalski"}, "Nic się nie zmieniło"),
    ("pomyłka", {"notify": "email"}, "adres e-mail"),
    ("pomyłka", {"notify": "sms", "applicant_contact": "ul. Tumska 1"}, "numer telefonu"),
    ("pomyłka", {"notify": "gołębie"}, "sposób powiadamiania"),
    ("pomyłka", {"status": "issued"}, "nie można poprawić"),
])  # fmt: skip
def test_bad_corrections_are_clear_and_change_nothing(db, register, desk_user, reason, changes, message):
    case = register()
    with pytest.raises(ValidationError, match=message):
        services.correct_registration(case, desk_user, reason, **changes)
    db.session.rollback()
    assert db.session.get(Case, case.id).applicant_name == "Jan Kowalski" and len(case.events) == 2


def test_only_the_desk_corrects_or_cancels_and_never_a_closed_case(db, register, desk_user, dept_user):
    case = register()
    with pytest.raises(PermissionDenied):
        services.cancel_registration(case, dept_user, "pomyłka")
    with pytest.raises(PermissionDenied):
        services.correct_registration(case, dept_user, "pomyłka", applicant_name="X Y")
    services.cancel_registration(case, desk_user, "zarejestrowano dwa razy")
    with pytest.raises(InvalidTransition, match="już zamknięta"):
        services.cancel_registration(case, desk_user, "jeszcze raz")
    with pytest.raises(InvalidTransition, match="zamknięta"):
        services.correct_registration(case, desk_user, "pomyłka", applicant_name="X Y")
    with pytest.raises(InvalidTransition):
        services.hand_over(case, dept_user)


def test_cancelled_case_leaves_queues_and_statistics_and_shows_anulowana(app, db, register, desk_user, wednesday):
    kept, incomplete, cancelled = register(), register(handed_in=[0]), register()
    services.cancel_registration(cancelled, desk_user, "wnioskodawca wycofał wniosek")
    services.cancel_registration(incomplete, desk_user, "pomyłka w sprawie")
    db.session.commit()
    today = queues.queue_page("dzisiaj", desk_user, {})
    assert [c.id for c in today.items] == [kept.id] and today.total == 1
    assert queues.queue_page("braki", desk_user, {}).total == 0
    stats = queues.statistics(desk_user, 1)
    assert stats["by_card"][0]["count"] == 1 and stats["by_card"][0]["incomplete"] == 0
    public = lookup.lookup_status(cancelled.number, cancelled.code, "10.0.0.1")
    assert public.status_label == "Sprawa anulowana." and public.expected_on is None and public.missing == []
    db.session.commit()  # the lookup records its attempt
    page = app.test_client().get(f"/sprawa?nr={incomplete.number}&kod={incomplete.code}").get_data(as_text=True)
    assert "anulowana" in page and "Jan Kowalski" not in page and "600 100 200" not in page
    assert "pomyłka" not in page and "Pani z okienka" not in page


def test_correct_and_cancel_from_the_case_screen(app, db, register, desk_user, wednesday):
    case = register()
    client = login(app, "okienko")
    url = f"/admin/bok/sprawy/{case.id}"
    token = csrf_token(client, url)
    response = client.post(f"{url}/poprawienie", data={"csrf_token": token, "applicant_name": "Jan Nowak",
                                                      "applicant_contact": "600 100 200", "reason": ""})  # fmt: skip
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "Podaj powód" in body and 'value="Jan Nowak"' in body  # typed data kept
    response = client.post(f"{url}/poprawienie", data={"csrf_token": token, "applicant_name": "Jan Nowak",
                                                      "reason": "zmiana nazwiska"})  # fmt: skip
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "poprawienie danych rejestracji" in page and "powód: zmiana nazwiska" in page
    assert client.post(f"{url}/anulowanie", data={"csrf_token": token, "reason": ""}).status_code == 400
    assert client.post(f"{url}/anulowanie", data={"csrf_token": token, "reason": "dubel"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).status == CaseStatus.CANCELLED
    assert "anulowana" in client.get(url).get_data(as_text=True)


def test_purge_forgets_reasons_and_the_notice_choice(db, register, desk_user):
    with frozen(datetime(2024, 1, 10, 9)):
        old = register(applicant_contact="jan@example.pl", notify="email")
        services.correct_registration(old, desk_user, "nazwisko Kowalska, nie Kowalski", applicant_name="Anna K")
        services.cancel_registration(old, desk_user, "Anna Kowalska zrezygnowała")
    with frozen(datetime(2026, 10, 1, 9)):
        fresh = register()
        services.cancel_registration(fresh, desk_user, "powód świeży")
    db.session.commit()
    with frozen(datetime(2026, 11, 4, 9)):
        services.purge_personal_data()
    db.session.commit()
    db.session.expire_all()
    old = db.session.get(Case, old.id)
    assert (old.applicant_contact, old.notify) == ("", Notify.NONE)
    assert [e.reason for e in old.events] == ["", "", "", ""]
    assert [e.note for e in old.events][2] == "poprawiono: imię i nazwisko"  # the audit trail stays
    reasons = db.session.scalars(select(CaseEvent.reason).where(CaseEvent.case_id == fresh.id)).all()
    assert "powód świeży" in reasons  # not yet past retention


def test_optional_documents_are_never_missing(app, db, factory, points, desk_user, wednesday):
    documents = [{"name": "Wniosek", "form": "original", "required": True, "note": ""},
                 {"name": "Pełnomocnictwo", "form": "original", "required": False, "note": ""}]  # fmt: skip
    factory.published_card("z-pelnomocnictwem", documents=documents)
    client = login(app, "okienko")
    token = csrf_token(client, "/admin/bok/")
    response = client.post("/admin/bok/", data={
        "csrf_token": token, "card": "z-pelnomocnictwem", "point": str(points["bok-stary-rynek"].id),
        "channel": "written", "delivery": "pickup", "applicant_name": "Jan Kowalski", "applicant_contact": "600",
        "doc": ["0"]})  # fmt: skip
    assert response.status_code == 302
    case = db.session.scalar(select(Case))
    assert case.status == CaseStatus.COMPLETE and not case.was_incomplete and case.missing == []
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Wniosek jest kompletny" in receipt and "Pełnomocnictwo" not in receipt
    screen = client.get(f"/admin/bok/sprawy/{case.id}").get_data(as_text=True)
    assert "✘" not in screen and "nie złożono – to nie brak" in screen
    assert queues.statistics(desk_user, 1)["by_card"][0]["incomplete_share"] == 0.0


def test_expected_date_counts_from_the_late_completion_past_holidays(db, register, desk_user):
    with frozen(datetime(2026, 11, 4, 9, 30)):
        case = register(handed_in=[0], deadline=date(2026, 11, 30))
        assert case.expected_on is None
    with frozen(datetime(2026, 11, 25, 10)):  # 30 days on: Christmas Day, then a weekend
        services.record_supplement(case, [1], desk_user)
    assert case.status == CaseStatus.COMPLETE and case.expected_on == date(2026, 12, 28)
    public = lookup.lookup_status(case.number, case.code, "10.0.0.2")
    assert public.expected_on == date(2026, 12, 28)
