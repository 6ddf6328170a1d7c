"""The counter flow in headless Chromium: type the card, tick documents with number keys, print the receipt;
the public status page passes axe-core."""

import pytest
from sqlalchemy import select

from kiosk.intake.models import Case, CaseStatus
from tests.conftest import axe_violations, save_screenshot

from .conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_register_with_the_keyboard_and_look_up_the_status(db, points, card, desk_user, live_server, page):
    site = live_server.url
    page.goto(f"{site}/admin/login?next=/admin/bok/")
    page.fill("input[name=username]", "okienko")
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/admin/bok/")
    page.locator("#card").press_sequentially("dowod")  # part of the title, without diacritics
    option = page.get_by_role("option", name="Wydanie dowodu osobistego")
    option.wait_for()
    assert page.locator("#card").get_attribute("aria-expanded") == "true"
    save_screenshot(page, "intake-register-suggestions")  # docs/img/ comes from bench/screenshots_admin.py
    box = option.bounding_box()  # tap the suggestion where a person sees it
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#checklist")
    assert page.locator("#card").input_value() == "Wydanie dowodu osobistego"
    assert "dowod-osobisty" not in page.locator("main").inner_text()
    page.keyboard.press("2")  # the first box has focus; 2 ticks the second, then 1 the first
    page.keyboard.press("1")
    assert page.locator("#checklist input:checked").count() == 2
    page.fill("input[name=applicant_name]", "Jan Kowalski")
    page.fill("input[name=applicant_contact]", "600 100 200")
    page.select_option("select[name=notify]", "sms")
    page.keyboard.press("Enter")
    page.wait_for_selector(".number")
    case = db.session.scalar(select(Case))
    assert case.status == CaseStatus.COMPLETE and case.notify == "sms"
    assert page.locator(".number").inner_text() == case.number
    assert page.locator(".qr svg").count() == 1

    page.goto(f"{site}/sprawa?nr={case.number}&kod={case.code}")
    assert "kompletny" in page.locator("h2").inner_text()
    violations = axe_violations(page)
    if violations:
        save_screenshot(page, "axe-intake-status")
    assert violations == []


def test_choose_a_suggestion_with_the_keyboard_after_a_typo(db, points, card, desk_user, live_server, page):
    site = live_server.url
    page.goto(f"{site}/admin/login?next=/admin/bok/")
    page.fill("input[name=username]", "okienko")
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/admin/bok/")
    page.fill("input[name=applicant_name]", "Jan Kowalski")  # typed before the matter: kept through the pick
    page.locator("#card").press_sequentially("paszport")  # no such card: the server says so, nothing lost
    page.keyboard.press("Enter")
    page.wait_for_selector("#card-error")
    page.wait_for_load_state()  # the answer's deferred script listens for typing only from its load on
    assert "Nie znaleziono sprawy „paszport”" in page.locator("#card-error").inner_text()
    assert page.locator("input[name=applicant_name]").input_value() == "Jan Kowalski"
    page.locator("#card").fill("")
    page.locator("#card").press_sequentially("osobistego")
    page.get_by_role("option").first.wait_for()
    page.keyboard.press("ArrowDown")
    assert page.locator("#card").get_attribute("aria-activedescendant") == "card-option-0"
    page.keyboard.press("Enter")
    page.wait_for_selector("#checklist")
    assert page.locator("input[name=applicant_name]").input_value() == "Jan Kowalski"
    violations = axe_violations(page)
    if violations:
        save_screenshot(page, "axe-intake-register")
    assert violations == []
