"""Front-desk screens: log-in, registration at the counter, the receipt, queues, CSV, statistics."""

from sqlalchemy import func, select

from kiosk.accounts import services as accounts
from kiosk.accounts.models import Role
from kiosk.intake import services
from kiosk.intake.models import Case, CaseStatus

from .conftest import PASSWORD, csrf_token, login


def _form(points, **overrides) -> dict:
    return {"card": "dowod-osobisty", "point": str(points["bok-stary-rynek"].id), "channel": "written",
            "delivery": "pickup", "applicant_name": "Jan Kowalski", "applicant_contact": "600 100 200",
            "doc": ["0", "1"], **overrides}  # fmt: skip


def test_logged_out_people_go_to_log_in_and_others_get_403(app, db, client, card):
    assert client.get("/admin/bok/").status_code == 302
    assert "/admin/login" in client.get("/admin/bok/kolejki/dzisiaj").headers["Location"]
    accounts.create_user("redaktor", "Redaktor", PASSWORD, [Role.EDITOR])
    db.session.commit()
    assert login(app, "redaktor").get("/admin/bok/").status_code == 403


def test_register_at_the_counter_and_print_the_receipt(app, db, points, card, desk_user, wednesday):
    client = login(app, "okienko")
    page = client.get("/admin/bok/?card=dowod-osobisty").get_data(as_text=True)
    assert 'role="combobox"' in page and "Fotografia 35 × 45 mm" in page
    assert 'value="Wydanie dowodu osobistego"' in page and "dowod-osobisty" not in page  # titles, never slugs
    token = csrf_token(client, "/admin/bok/")
    response = client.post("/admin/bok/", data={**_form(points, doc=["0"]), "csrf_token": token})
    assert response.status_code == 302
    case = db.session.scalar(select(Case))
    assert case.status == CaseStatus.INCOMPLETE
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert case.number in receipt and case.code in receipt and "<svg" in receipt
    assert "art. 64 § 2" in receipt and "12.11.2026" in receipt and "Fotografia" in receipt
    assert "odbiór osobisty" in receipt
    printer = client.get(f"/admin/bok/sprawy/{case.id}/potwierdzenie?format=paragon").get_data(as_text=True)
    assert "80mm" in printer


def test_registration_errors_are_clear_and_save_nothing(app, db, points, card, desk_user):
    client = login(app, "okienko")
    token = csrf_token(client, "/admin/bok/")
    response = client.post("/admin/bok/", data={**_form(points, applicant_name="x" * 10_240), "csrf_token": token})
    assert response.status_code == 400
    assert "najwyżej 200 znaków" in response.get_data(as_text=True)
    response = client.post("/admin/bok/", data={**_form(points, card="nie-ma"), "csrf_token": token})
    assert response.status_code == 400 and "z listy" in response.get_data(as_text=True)
    assert client.post("/admin/bok/", data=_form(points)).status_code == 400  # no CSRF token
    assert db.session.scalar(select(func.count(Case.id))) == 0


def test_script_in_fields_is_shown_as_text(app, db, points, card, desk_user):
    client = login(app, "okienko")
    token = csrf_token(client, "/admin/bok/")
    script = "<script>alert(1)</script>"
    client.post("/admin/bok/", data={**_form(points, applicant_name=script, mdok_ref=script), "csrf_token": token})
    case = db.session.scalar(select(Case))
    html = client.get(f"/admin/bok/sprawy/{case.id}").get_data(as_text=True)
    assert script not in html and "&lt;script&gt;" in html


def test_actions_through_the_screens(app, db, register, dept_user, desk_user):
    case = register()
    dept = login(app, "wydzial")
    path = f"/admin/bok/sprawy/{case.id}"
    response = dept.post(f"{path}/przekazanie", data={"csrf_token": csrf_token(dept, path)})
    assert response.status_code == 302
    response = dept.post(f"{path}/wydanie", data={"csrf_token": csrf_token(dept, path), "to_whom": "Jan"})
    assert response.status_code == 403  # issuing is the front desk's
    dept.post(f"{path}/gotowe", data={"csrf_token": csrf_token(dept, path)})
    desk = login(app, "okienko")
    response = desk.post(f"{path}/wydanie", data={"csrf_token": csrf_token(desk, path), "to_whom": "Jan"})
    assert response.status_code == 400 and "tożsamości" in response.get_data(as_text=True)
    response = desk.post(f"{path}/wydanie", data={"csrf_token": csrf_token(desk, path), "to_whom": "Jan",
                                                  "identity_seen": "1"})  # fmt: skip
    assert response.status_code == 302
    html = desk.get(path).get_data(as_text=True)
    assert "wydany" in html and "odbiór potwierdzony" in html and "Pan z wydziału" in html
    response = desk.post(f"{path}/wydanie", data={"csrf_token": csrf_token(desk, path), "to_whom": "Jan",
                                                  "identity_seen": "1"})  # fmt: skip
    assert response.status_code == 409 and "przed jego przygotowaniem" in response.get_data(as_text=True)


def test_another_departments_case_is_not_found(app, db, register, factory, other_department):
    case = register()
    accounts.create_user("obcy", "Obcy", PASSWORD, [Role.DEPARTMENT_STAFF], departments=[other_department])
    db.session.commit()
    client = login(app, "obcy")
    assert client.get(f"/admin/bok/sprawy/{case.id}").status_code == 404
    assert client.get(f"/admin/bok/sprawy/{case.id}/potwierdzenie").status_code == 404
    assert client.get(f"/admin/bok/sprawy/{case.id + 1000}").status_code == 404
    token = csrf_token(client, "/admin/bok/kolejki/dzisiaj")
    assert client.post(f"/admin/bok/sprawy/{case.id}/przekazanie", data={"csrf_token": token}).status_code == 404
    assert case.number not in client.get("/admin/bok/kolejki/do-przekazania").get_data(as_text=True)


def test_queues_filters_pagination_and_csv(app, db, register, dept_user, points):
    cases = [register(handed_in=[0]) for _ in range(3)] + [register(point="pilsudskiego-6")]
    client = login(app, "okienko")
    html = client.get("/admin/bok/kolejki/braki").get_data(as_text=True)
    assert all(c.number in html for c in cases[:3]) and cases[3].number not in html
    html = client.get(f"/admin/bok/kolejki/dzisiaj?point={points['pilsudskiego-6'].id}").get_data(as_text=True)
    assert cases[3].number in html and cases[0].number not in html
    assert client.get("/admin/bok/kolejki/dzisiaj?page=0").status_code == 400
    assert client.get("/admin/bok/kolejki/nie-ma").status_code == 404
    response = client.get("/admin/bok/kolejki/braki?format=csv")
    assert response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert cases[0].number in body and "Kowalski" not in body and "600 100 200" not in body
    services.hand_over(cases[3], dept_user)
    db.session.commit()
    html = client.get("/admin/bok/kolejki/w-wydzialach").get_data(as_text=True)
    assert "Spóźnienia wydziałów" in html and "Wydział Testowy" in html


def test_department_staff_see_their_queue_and_statistics(app, db, register, dept_user):
    register()
    client = login(app, "wydzial")
    assert client.get("/admin/bok/").status_code == 302
    assert client.get("/admin/bok/kolejki/do-przekazania").status_code == 200
    token = csrf_token(client, "/admin/bok/kolejki/dzisiaj")
    assert client.post("/admin/bok/", data={"csrf_token": token, "card": "dowod-osobisty"}).status_code == 403


def test_statistics_render_with_a_chart(app, db, register, desk_user, dept_user):
    for handed in ([0, 1], [0], [0, 1]):
        case = register(handed_in=handed)
    services.hand_over(case, dept_user)
    services.mark_ready(case, dept_user)
    services.issue_document(case, desk_user, "Jan", True)
    db.session.commit()
    client = login(app, "okienko")
    html = client.get("/admin/bok/statystyki").get_data(as_text=True)
    assert '<svg class="chart"' in html and "Wydanie dowodu osobistego" in html and "33%" in html
    assert client.get("/admin/bok/statystyki?miesiace=99").status_code == 400
