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
    page.locator("#card").press_sequentially("dowod-osobisty")
    page.wait_for_selector("#checklist")
    page.keyboard.press("2")  # the first box has focus; 2 ticks the second, then 1 the first
    page.keyboard.press("1")
    assert page.locator("#checklist input:checked").count() == 2
    page.fill("input[name=applicant_name]", "Jan Kowalski")
    page.fill("input[name=applicant_contact]", "600 100 200")
    page.keyboard.press("Enter")
    page.wait_for_selector(".number")
    case = db.session.scalar(select(Case))
    assert case.status == CaseStatus.COMPLETE
    assert page.locator(".number").inner_text() == case.number
    assert page.locator(".qr svg").count() == 1

    page.goto(f"{site}/sprawa?nr={case.number}&kod={case.code}")
    assert "kompletny" in page.locator("h2").inner_text()
    violations = axe_violations(page)
    if violations:
        save_screenshot(page, "axe-intake-status")
    assert violations == []
