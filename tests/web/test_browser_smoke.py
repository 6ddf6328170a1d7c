"""The public pages in headless Chromium: axe-core finds no WCAG 2.1 A/AA violation in any language."""

import re
from datetime import datetime

import pytest

from kiosk import clock
from tests.conftest import axe_violations, save_screenshot

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "category": "/kategorie/dokumenty",
    "card": "/uslugi/dowod-test",
    "point": "/punkty/bok-test",
    "search": "/szukaj?q=dowod",
}


@pytest.fixture
def site(db, factory, live_server):
    with clock.frozen(datetime(2026, 5, 13, 8, 0)):
        factory.facts()["location"].opening_hours = {"wed": ["08:00-15:30"], "thu": ["08:00-16:30"]}
        factory.published_card("dowod-test")
        team = factory.team()
        factory.published_card("prawo-jazdy", team=team, title="Prawo jazdy", life_situations=[])
    return live_server.url


@pytest.mark.parametrize("lang", ["pl", "en", "uk"])
def test_public_pages_have_no_accessibility_violations(site, page, lang):
    page.goto(f"{site}/?lang={lang}")
    problems = {}
    for name, path in PAGES.items():
        response = page.goto(f"{site}{path}")
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == lang
        violations = axe_violations(page)
        if violations:
            save_screenshot(page, f"axe-{name}-{lang}")
            problems[name] = violations
    assert problems == {}


def test_card_page_reflows_at_320_px_and_has_a_working_skip_link(site, page):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{site}/uslugi/dowod-test")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_print_view_fits_two_a4_pages(site, page):
    page.goto(f"{site}/uslugi/dowod-test/druk")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    assert 1 <= len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 2
    assert axe_violations(page) == []


def test_secondary_pages_have_no_accessibility_violations(site, page):
    problems = {}
    for path in ("/uslugi", "/zmiany", "/uslugi/dowod-test/historia", "/punkty", "/deklaracja-dostepnosci",
                 "/sytuacje/przeprowadzka", "/uslugi/nie-ma"):  # fmt: skip
        page.goto(f"{site}{path}")
        if violations := axe_violations(page):
            problems[path] = violations
    assert problems == {}
