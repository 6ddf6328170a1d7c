"""A resident on a 390 px phone: case status in the site's look, telling a posted case the truth; the public
history read as text with Polish dates. Taps go to coordinates measured on the screen, as a finger does."""

import re
from datetime import datetime

import pytest
from playwright.sync_api import expect

from kiosk import clock
from kiosk.cards import services as cards
from kiosk.intake import services as intake
from tests.conftest import axe_violations, docs_shot
from tests.intake.conftest import card, dept_user, desk_user, points, register  # noqa: F401 (fixtures)
from tests.web.helpers import PHONE, tap_at

pytestmark = pytest.mark.browser


def test_posted_case_status_on_a_phone(db, register, desk_user, dept_user, live_server, page):  # noqa: F811
    case = register(delivery="post")
    intake.hand_over(case, dept_user)
    intake.mark_ready(case, dept_user)
    intake.deliver(case, desk_user, "post", "RR123456789PL")
    db.session.commit()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/sprawa")
    expect(page.locator("header.site-header")).to_be_visible()  # the site's header, menu and stylesheet
    assert page.evaluate("[...document.styleSheets].some((s) => (s.href || '').includes('site.css'))")
    boxes = {sel: page.locator(sel).bounding_box() for sel in ("#nr", "#kod", ".status-form button")}
    assert all(box["height"] >= 40 for box in boxes.values()), boxes  # the site's form, sized for a thumb
    assert boxes["#nr"]["y"] + boxes["#nr"]["height"] < boxes["#kod"]["y"], "the fields stack on a phone"
    tap_at(page, "#nr")
    page.keyboard.type(case.number)
    tap_at(page, "#kod")
    page.keyboard.type(case.code)
    tap_at(page, ".status-form button[type=submit]")
    page.wait_for_url(re.compile(r"/sprawa\?nr="))
    expect(page.locator("#result-title")).to_have_text(f"{case.number}: Dokument wysłany pocztą.")
    result = page.locator("section[aria-labelledby=result-title]")
    expect(result).to_contain_text("Numer nadania")
    expect(result).to_contain_text("RR123456789PL")
    assert "do odbioru" not in page.inner_text("main") and "Kowalski" not in page.content()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []
    docs_shot(page, "web-status-phone")
    page.goto(f"{live_server.url}/sprawa?nr={case.number}&kod={case.code}&lang=uk")
    expect(page.locator("#result-title")).to_have_text(f"{case.number}: Документ надіслано поштою.")
    expect(result).to_contain_text("Номер відправлення")
    assert page.evaluate("document.documentElement.lang") == "uk"


def test_history_on_a_phone_reads_as_text_with_polish_dates(db, factory, live_server, page):
    with clock.frozen(datetime(2026, 5, 13, 8, 0)):
        editor, approver, publisher = team = factory.team()
        card = factory.published_card("dowod-test", team=team)
        body = "## Kto składa\n\nWniosek składasz **osobiście** albo przez pełnomocnika."
        edition = cards.open_draft(card, editor, factory.content(body=body))
        cards.submit_edition(edition, editor)
        cards.approve_edition(edition, approver, comment="Uwaga wewnętrzna dla zespołu")
        cards.publish_edition(edition, publisher)
        db.session.commit()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/uslugi/dowod-test/historia")
    text = page.inner_text("main")
    assert "Wydanie 02 z dnia 13 maja 2026" in text
    assert "##" not in text and "**" not in text and "Uwaga wewnętrzna" not in page.content()
    expect(page.locator("section[aria-labelledby=e2] ins").first).to_be_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []
    docs_shot(page, "web-history-phone")
