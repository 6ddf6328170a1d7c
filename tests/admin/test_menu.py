"""One back office: each role lands on its work, and sees (and may open) exactly its modules."""

import re

import pytest

from kiosk.accounts.models import Role

MODULES = {"Pulpit": "/admin/", "Do podpisu": "/admin/inbox/", "Karty usług": "/admin/cards/",
           "Tłumaczenia": "/admin/translations/", "Świeżość kart": "/admin/swiezosc/", "BOK": "/admin/bok/",
           "Kioski": "/admin/kioski/",
           "Konta": "/admin/users/", "Dziennik zmian": "/admin/audit/"}  # fmt: skip
PERMITTED = {
    Role.EDITOR: {"Pulpit", "Karty usług", "Tłumaczenia", "Świeżość kart"},
    Role.APPROVER: {"Pulpit", "Do podpisu", "Karty usług", "Tłumaczenia"},
    Role.PUBLISHER: {"Pulpit", "Do podpisu", "Karty usług", "Tłumaczenia", "Dziennik zmian"},
    Role.FRONT_DESK: {"BOK"},
    Role.DEPARTMENT_STAFF: {"BOK"},
    Role.ADMINISTRATOR: {"Pulpit", "Świeżość kart", "BOK", "Kioski", "Konta", "Dziennik zmian"},
}
LANDING = {Role.EDITOR: "/admin/", Role.APPROVER: "/admin/", Role.PUBLISHER: "/admin/", Role.ADMINISTRATOR: "/admin/",
           Role.FRONT_DESK: "/admin/bok/", Role.DEPARTMENT_STAFF: "/admin/bok/kolejki/do-przekazania"}  # fmt: skip


def menu_of(html: str) -> set[str]:
    nav = html[html.index('aria-label="Menu redakcji"') :].split("</nav>", 1)[0]
    return {label for label, url in MODULES.items() if f'href="{url}"' in nav}


@pytest.mark.parametrize("role", list(PERMITTED))
def test_each_role_lands_on_its_work_and_sees_exactly_its_modules(db, factory, as_user, role):
    departments = [factory.facts()["department"]] if role == Role.DEPARTMENT_STAFF else []
    client = as_user(f"u-{role.value.replace('_', '-')}", [role], departments=departments)
    response = client.get("/admin/")
    landing = response.headers.get("Location", "/admin/") if response.status_code == 302 else "/admin/"
    assert landing == LANDING[role]
    for label, url in MODULES.items():
        if label == "Pulpit" and label not in PERMITTED[role]:
            continue  # the start page sends them on to their work (checked above)
        status = client.get(url).status_code
        if label in PERMITTED[role]:
            assert status in (200, 302), (label, status)  # the intake desk sends department staff to their queue
        else:
            assert status == 403, (label, status)
    pages = ["/admin/cards/", "/admin/translations/", "/admin/swiezosc/", "/admin/kioski/", "/admin/inbox/"]
    for url in pages:
        response = client.get(url)
        if response.status_code == 200:
            html = response.get_data(as_text=True)
            menu = menu_of(html)
            assert menu == PERMITTED[role] | {"Pulpit"}, (url, menu)  # the brand links to the start page
            assert re.search(r'href="/admin/"', html), url  # a way back to the start page


def test_module_pages_outside_flask_admin_share_the_menu(db, as_user):
    admin = as_user("admin", [Role.ADMINISTRATOR, Role.EDITOR])
    for url in ("/admin/swiezosc/", "/admin/swiezosc/moje-karty", "/admin/kioski/"):
        html = admin.get(url).get_data(as_text=True)
        assert menu_of(html) == {"Pulpit", "Karty usług", "Tłumaczenia", "Świeżość kart", "BOK", "Kioski", "Konta",
                                 "Dziennik zmian"}, url  # fmt: skip
        assert 'aria-current="page"' in html


@pytest.mark.parametrize(
    ("roles", "shown"),
    [
        ([Role.FRONT_DESK], False),
        ([Role.DEPARTMENT_STAFF], False),
        ([Role.FRONT_DESK, Role.EDITOR], True),
        ([Role.ADMINISTRATOR], True),
    ],
)
def test_the_counter_links_to_the_dashboard_only_for_those_whose_work_is_there(db, factory, as_user, roles, shown):
    departments = [factory.facts()["department"]] if Role.DEPARTMENT_STAFF in roles else []
    client = as_user("osoba", roles, departments=departments)
    html = client.get("/admin/bok/statystyki").get_data(as_text=True)
    assert ('href="/admin/">Redakcja</a>' in html) is shown  # a front-desk clerk's /admin/ is this very desk


@pytest.mark.parametrize("role", [Role.EDITOR, Role.APPROVER, Role.PUBLISHER, Role.ADMINISTRATOR])
def test_the_dashboard_offers_every_permitted_module_one_click_away(db, as_user, role):
    html = as_user("osoba", [role]).get("/admin/").get_data(as_text=True)
    tiles = html[html.index('aria-label="Moduły"') :].split("</nav>", 1)[0]
    assert {label for label, url in MODULES.items() if f'href="{url}"' in tiles} == PERMITTED[role] - {"Pulpit"}
