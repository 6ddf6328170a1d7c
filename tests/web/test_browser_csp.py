"""Under the Content-Security-Policy every page still works in Chromium: no violation is reported, the
back office's scripts run, and confirmations moved out of inline handlers still ask first."""

import pytest
from playwright.sync_api import expect

from kiosk.accounts import services as accounts
from kiosk.accounts.models import Role
from kiosk.cards.models import Card
from kiosk.kiosk_ui import services as kiosks
from tests.backoffice import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def site(db, factory, live_server):
    card = factory.published_card("dowod-test")
    accounts.create_user("admin", "Admin", PASSWORD, [Role.ADMINISTRATOR, Role.EDITOR, Role.PUBLISHER])
    kiosks.register_kiosk("bok-1", "BOK", factory.facts()["location"])
    db.session.commit()
    live_server.card = card
    return live_server


def watch_csp(page) -> list[str]:
    problems = []
    page.on("console", lambda m: "Content Security Policy" in m.text and problems.append(f"{page.url}: {m.text}"))
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


def test_public_and_kiosk_pages_report_no_csp_violation(site, browser):
    context = browser.new_context(locale="pl-PL")  # its own context: the kiosk's service worker keeps working
    page = context.new_page()
    problems = watch_csp(page)
    for path in ("/", "/uslugi/dowod-test", "/uslugi/dowod-test/druk", "/kiosk/?k=bok-1", "/kiosk/uslugi/dowod-test"):
        assert page.goto(site.url + path).status == 200, path
    page.wait_for_timeout(500)
    context.close()
    assert problems == []


def test_back_office_pages_report_no_csp_violation(site, page, db):
    problems = watch_csp(page)
    base, card = site.url, site.card
    assert page.goto(base + "/admin/login").status == 200
    page.get_by_label("Nazwa użytkownika").fill("admin")
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dzień dobry")
    for path in ("/admin/locations/", "/admin/audit/", "/admin/kioski/", f"/admin/cards/{card.id}/edit"):
        assert page.goto(base + path).status == 200, path
    # Flask-Admin's scripts carry the request's nonce and run: the category menu opens.
    page.goto(f"{base}/admin/cards/{card.id}/")
    assert page.evaluate("typeof window.jQuery") == "function"

    withdraw = page.get_by_role("button", name="Wycofaj kartę")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    withdraw.click()
    expect(withdraw).to_be_visible()
    assert asked == ["Wycofać kartę ze stron publicznych?"]
    db.session.expire_all()
    assert db.session.get(Card, card.id).live_edition_id is not None  # "Cancel" kept the card public
    page.once("dialog", lambda dialog: dialog.accept())
    withdraw.click()
    expect(page.get_by_role("button", name="Wycofaj kartę")).to_have_count(0, timeout=20_000)
    assert problems == []
