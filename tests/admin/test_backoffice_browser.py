"""One back office in Chromium: each role logs in, lands on its work, and walks by clicking links to every
module it may open and back."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from kiosk.accounts.models import Role
from kiosk.cards import services
from tests.conftest import axe_violations, save_screenshot

from .conftest import PASSWORD

pytestmark = pytest.mark.browser

# label in the menu -> (URL path it opens, heading there)
MODULES = {"Do podpisu": ("/admin/inbox/", "Do podpisu"), "Karty usług": ("/admin/cards/", "Karty usług"),
           "Tłumaczenia": ("/admin/translations/", "Tłumaczenia kart"),
           "Świeżość kart": ("/admin/swiezosc/", "Świeżość kart usług"), "BOK": ("/admin/bok/", "Przyjęcie wniosku"),
           "Kioski": ("/admin/kioski/", "Kioski"), "Konta": ("/admin/users/", "Konta"),
           "Dziennik zmian": ("/admin/audit/", "Dziennik zmian")}  # fmt: skip
WALKS = [
    (Role.EDITOR, "/admin/", "Moje szkice", ["Karty usług", "Tłumaczenia", "Świeżość kart"]),
    (Role.APPROVER, "/admin/", "Do podpisu", ["Do podpisu", "Karty usług", "Tłumaczenia"]),
    (Role.PUBLISHER, "/admin/", "Do podpisu", ["Do podpisu", "Karty usług", "Tłumaczenia", "Dziennik zmian"]),
    (Role.ADMINISTRATOR, "/admin/", "Dzień dobry", ["Świeżość kart", "BOK", "Kioski", "Konta", "Dziennik zmian"]),
    (Role.FRONT_DESK, "/admin/bok/", "Przyjęcie wniosku", []),
    (Role.DEPARTMENT_STAFF, "/admin/bok/kolejki/do-przekazania", "do przekazania", []),
]


def log_in(page, base, username):
    page.goto(f"{base}/admin/login")
    page.get_by_label("Nazwa użytkownika").fill(username)
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj").click()


def go_back(page, base, landing):
    """The way back from a module page: the brand of the back-office menu, or the intake screens' own link."""
    menu = page.get_by_role("navigation", name="Menu redakcji")
    if menu.count():
        menu.get_by_role("link", name="Okienko – redakcja").click()
    else:
        page.get_by_role("navigation", name="Przyjmowanie wniosków").get_by_role("link", name="Redakcja").click()
    expect(page).to_have_url(f"{base}{landing}")


@pytest.mark.parametrize(("role", "landing", "heading", "modules"), WALKS, ids=[w[0].value for w in WALKS])
def test_each_role_lands_on_its_work_and_walks_to_every_module_and_back(db, factory, make_user, live_server, page,
                                                                       role, landing, heading, modules):  # fmt: skip
    base = live_server.url
    editor, _, _ = team = factory.team()
    card = factory.published_card("dowod-osobisty", team=team)
    if role == Role.APPROVER:  # something waits in the inbox: a fee raised from 17 to 18 zł
        content = factory.content(effective_date=card.live_edition.effective_date)
        content["fees"][1]["amount"] = Decimal("18.00")
        services.submit_edition(services.open_draft(card, editor, content), editor)
        db.session.commit()
    departments = [factory.facts()["department"]] if role == Role.DEPARTMENT_STAFF else []
    make_user("osoba", [role], departments=departments)
    log_in(page, base, "osoba")
    expect(page).to_have_url(f"{base}{landing}")
    expect(page.get_by_role("heading", name=re.compile(heading)).first).to_be_visible()  # their work
    for label in modules:
        path, title = MODULES[label]
        menu = page.get_by_role("navigation", name="Menu redakcji")
        if label == "Konta":  # in a Bootstrap dropdown: its script must be running before the tap opens it
            page.wait_for_load_state("load")
            menu.get_by_role("link", name="Administracja").click()
            expect(menu.get_by_role("link", name=label, exact=True)).to_be_visible()
        menu.get_by_role("link", name=label, exact=True).click()
        expect(page).to_have_url(re.compile(re.escape(f"{base}{path}")))
        expect(page.get_by_role("heading", name=re.compile(title)).first).to_be_visible()
        if label in ("Świeżość kart", "Kioski"):  # the shared menu outside Flask-Admin
            assert axe_violations(page) == [], label
        go_back(page, base, landing)
    hidden = set(MODULES) - set(modules) - {"BOK" if role == Role.FRONT_DESK else ""}
    menu = page.get_by_role("navigation", name="Menu redakcji")
    for label in hidden:
        expect(menu.get_by_role("link", name=label, exact=True)).to_have_count(0)
    if role == Role.APPROVER:
        expect(page.locator("mark.diff-value")).to_contain_text("17,00 → 18,00 zł")
        assert axe_violations(page) == []
        save_screenshot(page, "admin-inbox")
