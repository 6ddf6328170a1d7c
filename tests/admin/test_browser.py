"""The four-eyes workflow in Debian's headless Chromium: edit, submit, approve, publish, then the public page.

axe-core (WCAG 2.1 A/AA) checks the log-in page, the editor, the history and the diff on the way.
"""

import pytest
from playwright.sync_api import expect

from kiosk.accounts.models import Role
from kiosk.cards.models import Edition
from tests.conftest import axe_violations, save_screenshot

from .conftest import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, base, username):
    page.goto(f"{base}/admin/login")
    assert axe_violations(page) == []
    page.get_by_label("Nazwa użytkownika").fill(username)
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dzień dobry")


def test_edit_submit_approve_publish_in_a_real_browser(db, factory, make_user, live_server, page):
    base = live_server.url
    card = factory.published_card("dowod-osobisty")
    make_user("ewa", [Role.EDITOR, Role.APPROVER])  # holds the approver role, yet may not approve her own edition
    make_user("anna", [Role.APPROVER, Role.PUBLISHER])
    make_user("piotr", [Role.PUBLISHER])

    log_in(page, base, "ewa")
    page.goto(f"{base}/admin/cards/{card.id}/")
    page.get_by_role("button", name="Otwórz nowy szkic").click()
    expect(page.get_by_label("Tytuł", exact=True)).to_have_value("Wydanie dowodu osobistego")

    fees = page.locator('fieldset[data-prefix="fees"] tbody tr')
    fees.nth(0).get_by_label("Za co").fill("Opłata ekspresowa")
    fees.nth(0).get_by_label("Kwota (zł)").fill("45,50")
    documents = page.locator('fieldset[data-prefix="documents"][data-ready="true"]')  # editor.js has run
    documents.locator("tbody tr").nth(1).get_by_label("Dokument").fill("Fotografia biometryczna 35 × 45 mm")
    documents.get_by_role("button", name="+ Dodaj wiersz").click()
    documents.locator("tbody tr").nth(2).get_by_label("Dokument").fill("Poprzedni dowód osobisty")
    documents.locator("tbody tr").nth(2).get_by_role("button", name="Przesuń wyżej").click()
    page.get_by_label("Opis (Markdown)").fill("## Kto składa\n\nWniosek składasz **osobiście**.<script>x()</script>")
    expect(page.locator("#body-preview strong")).to_have_text("osobiście")
    expect(page.locator("#body-preview script")).to_have_count(0)
    save_screenshot(page, "admin-editor")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Zapisz szkic").click()
    expect(page.get_by_text("Szkic zapisany.")).to_be_visible()
    names = documents.locator("tbody tr td:first-child input")
    expect(names).to_have_count(3)
    assert names.nth(1).input_value() == "Poprzedni dowód osobisty"

    page.get_by_role("link", name="Karta i obieg").click()
    page.get_by_role("button", name="Przekaż do zatwierdzenia").click()
    expect(page.locator("#edition-status")).to_have_text("do zatwierdzenia")
    expect(page.get_by_role("button", name="Zatwierdź merytorycznie")).to_have_count(0)
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    db.session.expire_all()
    draft = db.session.query(Edition).filter_by(card_id=card.id, number=2).one()
    forged = page.request.post(f"{base}/admin/cards/editions/{draft.id}/approve",
                               form={"csrf_token": token, "comment": "sama sobie"})  # fmt: skip
    assert forged.status == 403
    page.get_by_role("button", name="Wyloguj").click()

    log_in(page, base, "anna")
    page.goto(f"{base}/admin/cards/{card.id}/")
    page.get_by_label("Komentarz (opcjonalnie)").fill("Zgodne z ustawą o dowodach osobistych")
    page.get_by_role("button", name="Zatwierdź merytorycznie").click()
    expect(page.locator("#edition-status")).to_have_text("zatwierdzone")
    expect(page.get_by_role("button", name="Opublikuj")).to_have_count(0)  # she signed on substance already
    page.get_by_role("button", name="Wyloguj").click()

    log_in(page, base, "piotr")
    page.goto(f"{base}/admin/cards/{card.id}/")
    page.get_by_role("button", name="Opublikuj").click()
    expect(page.get_by_text("Wydanie opublikowane")).to_be_visible()

    page.get_by_role("link", name="Historia").click()
    expect(page.get_by_role("cell", name="Zgodne z ustawą o dowodach osobistych")).to_be_visible()
    save_screenshot(page, "admin-history")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Porównaj zaznaczone").click()
    expect(page.locator(".diff ins", has_text="Opłata ekspresowa")).to_be_visible()
    expect(page.locator(".diff")).to_contain_text("45,50 zł")
    save_screenshot(page, "admin-diff")
    assert axe_violations(page) == []

    page.goto(f"{base}/uslugi/dowod-osobisty")
    expect(page.locator("#fees ~ table, section[aria-labelledby=fees] table").first).to_contain_text("45,50")
    expect(page.get_by_text("Opłata ekspresowa")).to_be_visible()
    expect(page.get_by_text("Poprzedni dowód osobisty")).to_be_visible()
    found = page.request.get(f"{base}/api/v1/search?q=ekspresowa").json()
    assert "dowod-osobisty" in str(found)
    page.goto(f"{base}/szukaj?q=ekspresowa")
    expect(page.get_by_role("link", name="Wydanie dowodu osobistego").first).to_be_visible()


def test_save_conflict_lists_yours_and_theirs_and_needs_a_choice(db, factory, make_user, live_server, browser):
    base = live_server.url
    card = factory.published_card("dowod-osobisty")
    make_user("ewa", [Role.EDITOR])
    make_user("adam", [Role.EDITOR])
    pages = {}
    for name in ("ewa", "adam"):
        context = browser.new_context(locale="pl-PL", viewport={"width": 1280, "height": 900})
        pages[name] = context.new_page()
        log_in(pages[name], base, name)
    ewa, adam = pages["ewa"], pages["adam"]
    ewa.goto(f"{base}/admin/cards/{card.id}/")
    ewa.get_by_role("button", name="Otwórz nowy szkic").click()
    adam.goto(f"{base}/admin/cards/{card.id}/edit")

    ewa.locator('fieldset[data-prefix="fees"] tbody tr').nth(0).get_by_label("Kwota (zł)").fill("40,00")
    ewa.get_by_role("button", name="Zapisz szkic").click()
    expect(ewa.get_by_text("Szkic zapisany.")).to_be_visible()

    adam.get_by_label("Tytuł", exact=True).fill("Tytuł Adama")
    adam.get_by_role("button", name="Zapisz szkic").click()
    expect(adam.locator("#problem")).to_contain_text("ostatnio: Ewa")
    conflict = adam.locator("#conflict")
    expect(conflict.get_by_role("columnheader", name="Wersja zapisana (Ewa)")).to_be_visible()
    expect(conflict.get_by_role("rowheader")).to_have_text(["Tytuł", "Opłaty"])
    save_screenshot(adam, "admin-conflict")
    assert axe_violations(adam) == []

    adam.get_by_role("button", name="Zapisz szkic").click()  # no choice made: refused, nothing reverted
    expect(adam.locator("#problem")).to_contain_text("Wybierz, którą wersję zachować")
    adam.locator("#resolve-title-mine").check()
    adam.locator("#resolve-fees-theirs").check()
    adam.get_by_role("button", name="Zapisz szkic").click()
    expect(adam.get_by_text("Szkic zapisany.")).to_be_visible()
    db.session.expire_all()
    draft = db.session.query(Edition).filter_by(card_id=card.id, number=2).one()
    assert draft.title == "Tytuł Adama" and str(draft.fees[0].amount) == "40.00"
    for p in pages.values():
        p.context.close()
