"""Who sees intake personal data: the role decides, never a department link alone (issues 11.4 and 13.22).

Every intake URL is enumerated from the URL map, so a new screen is covered without editing this file.
"""

import re

import pytest
from sqlalchemy import select

from kiosk.accounts import services as accounts
from kiosk.accounts.models import Role, User
from kiosk.errors import NotFound, PermissionDenied
from kiosk.intake import queues, services
from kiosk.intake.models import CaseStatus

from .conftest import PASSWORD, csrf_token, login

PUBLIC = {"intake.status", "intake.static"}


def intake_urls(app, case_id: int):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.endpoint.startswith("intake.") or rule.endpoint in PUBLIC:
            continue
        url = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: str(case_id) if m.group(2) == "case_id" else "x", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url
    for slug in queues.QUEUES:  # every queue, on screen and as CSV
        yield "intake.queue", "GET", f"/admin/bok/kolejki/{slug}"
        yield "intake.queue", "GET", f"/admin/bok/kolejki/{slug}?format=csv"
    for action in ("kompletnosc", "uzupelnienie", "przekazanie", "gotowe", "wydanie", "doreczenie"):
        yield "intake.case_action", "POST", f"/admin/bok/sprawy/{case_id}/{action}"
    yield "intake.receipt", "GET", f"/admin/bok/sprawy/{case_id}/potwierdzenie?format=paragon"


@pytest.mark.parametrize("roles", [[], [Role.EDITOR], [Role.APPROVER], [Role.PUBLISHER]], ids=str)
def test_a_department_link_without_the_role_opens_no_intake_screen(app, db, register, card, desk_user, roles):
    case = register(applicant_name="Jan Tajny", applicant_contact="tajny@example.pl")
    services.hand_over(case, accounts.create_user("odbior", "Odbiór", PASSWORD, [Role.DEPARTMENT_STAFF],
                                                  departments=[card.owner_department]))  # fmt: skip
    db.session.commit()
    accounts.create_user("linked", "Linked", PASSWORD, roles, departments=[card.owner_department])
    db.session.commit()
    client = login(app, "linked")
    token = csrf_token(client, "/admin/password")
    checked = 0
    for endpoint, method, url in intake_urls(app, case.id):
        response = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
        body = response.get_data(as_text=True)
        assert response.status_code == 403, (endpoint, method, url, response.status_code)
        assert "Tajny" not in body and "tajny@example.pl" not in body and case.code not in body
        checked += 1
    assert checked >= 20
    db.session.expire_all()
    assert case.status == CaseStatus.AT_DEPARTMENT  # no forbidden request changed anything


def test_domain_functions_give_a_linked_account_without_the_role_nothing(db, register, card, factory):
    case = register()
    for roles in ([], [Role.EDITOR, Role.APPROVER, Role.PUBLISHER]):
        linked = factory.user(roles=roles, departments=[card.owner_department])
        with pytest.raises(NotFound):
            services.get_case(case.id, linked)
        assert all(queues.queue_page(slug, linked, {}).total == 0 for slug in queues.QUEUES)
        assert all(queues.queue_rows(slug, linked, {}) == [] for slug in queues.QUEUES)
        assert queues.statistics(linked, 3)["by_card"] == []
        with pytest.raises(PermissionDenied):
            services.hand_over(case, linked)
    services.hand_over(case, factory.user(roles=[Role.DEPARTMENT_STAFF], departments=[card.owner_department]))
    for roles in ([], [Role.EDITOR, Role.APPROVER]):
        with pytest.raises(PermissionDenied):
            services.mark_ready(case, factory.user(roles=roles, departments=[card.owner_department]))


def test_a_disabled_department_worker_can_do_nothing(db, register, dept_user):
    case = register()
    accounts.disable_user(dept_user)
    with pytest.raises(PermissionDenied):
        services.hand_over(case, dept_user)
    with pytest.raises(NotFound):
        services.get_case(case.id, dept_user)


def test_department_staff_confirm_receipt_and_mark_ready_for_their_department_only(
    db, register, card, dept_user, factory, other_department
):
    ours, theirs = register(), register()
    theirs.department = other_department
    db.session.commit()
    outsider = factory.user(roles=[Role.DEPARTMENT_STAFF], departments=[other_department])
    with pytest.raises(PermissionDenied):
        services.hand_over(ours, outsider)
    services.hand_over(ours, dept_user)
    with pytest.raises(PermissionDenied):
        services.mark_ready(ours, outsider)
    services.mark_ready(ours, dept_user)
    assert ours.status == CaseStatus.READY and ours.received_by == dept_user
    with pytest.raises(PermissionDenied):
        services.hand_over(theirs, dept_user)
    with pytest.raises(NotFound):
        services.get_case(theirs.id, dept_user)
    with pytest.raises(PermissionDenied, match="BOK"):  # registering and issuing stay with the front desk
        services.issue_document(ours, dept_user, "Jan", True)


def test_department_staff_work_their_cases_through_the_screens(app, db, register, dept_user):
    case = register()
    client = login(app, "wydzial")
    home = client.get("/admin/")
    assert home.status_code == 302 and home.headers["Location"].endswith("/admin/bok/kolejki/do-przekazania")
    queue = client.get("/admin/bok/kolejki/do-przekazania").get_data(as_text=True)
    assert case.number in queue and "Redakcja" not in queue and "Nowy wniosek" not in queue
    path = f"/admin/bok/sprawy/{case.id}"
    assert client.post(f"{path}/przekazanie", data={"csrf_token": csrf_token(client, path)}).status_code == 302
    assert client.post(f"{path}/gotowe", data={"csrf_token": csrf_token(client, path)}).status_code == 302
    db.session.expire_all()
    assert case.status == CaseStatus.READY
    assert client.get("/admin/bok/").status_code == 302  # the counter screen is not theirs: back to the queue
    token = csrf_token(client, path)
    assert client.post("/admin/bok/", data={"csrf_token": token}).status_code == 403


def test_department_staff_see_no_other_back_office_module(app, db, register, dept_user, factory):
    factory.published_card("inna-karta")
    db.session.commit()
    client = login(app, "wydzial")
    token = csrf_token(client, "/admin/password")
    open_to_all = {"admin_auth.logout", "admin_auth.password", "admin_auth.login", "freshness.my_cards",
                   "freshness.confirm", "admin.index"}  # fmt: skip
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin") or rule.endpoint.startswith("intake.") or rule.endpoint in open_to_all:
            continue
        if rule.endpoint.endswith(".static"):
            continue
        url = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: "1" if m.group(1) == "int" else "x", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
            assert response.status_code == 403, (rule.endpoint, method, url, response.status_code)
            checked += 1
    assert checked > 50
    mine = client.get("/admin/swiezosc/moje-karty").get_data(as_text=True)
    assert "/uslugi/inna-karta" not in mine  # a department link is for cases, not for answering for cards


def test_cli_creates_and_sets_department_staff(app, db, runner, card):
    slug = card.owner_department.slug
    result = runner.invoke(args=["users", "create", "kasia", "--role", "department_staff", "--department", slug,
                                 "--password", "bardzo-tajne-1"])  # fmt: skip
    assert result.exit_code == 0 and "department_staff" in result.output, result.output
    user = db.session.scalar(select(User).where(User.username == "kasia"))
    assert services.department_ids(user) == {card.owner_department_id}
    assert runner.invoke(args=["users", "set-roles", "kasia"]).exit_code == 0
    db.session.expire_all()
    assert user.roles == set() and services.department_ids(user) == set() and not services.may_use_intake(user)


def test_search_and_the_api_never_carry_case_data(app, db, client, register):
    case = register(applicant_name="Zenobiusz Tajny", applicant_contact="tajny@example.pl")
    secrets = ("Zenobiusz", "tajny@example.pl", case.code)
    for query in (*secrets, "Tajny", case.number):
        for path in ("/api/v1/search", "/api/v1/suggest", "/api/v1/cards", "/szukaj", "/kiosk/szukaj"):
            response = client.get(path, query_string={"q": query})
            body = response.get_data(as_text=True).replace(query, "")  # the query itself is echoed
            assert response.status_code < 500, (path, query)
            assert not [s for s in secrets if s in body], (path, query)
