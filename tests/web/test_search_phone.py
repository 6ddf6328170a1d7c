"""On a phone the search results come before the filters, which are folded away until wanted; a resident's whole
search there, by taps at measured spots."""

import re
from datetime import datetime

import pytest
from playwright.sync_api import expect

from kiosk import clock
from kiosk.search import services as search
from tests.conftest import axe_violations, docs_shot
from tests.web.helpers import PHONE, tap_at

pytestmark = pytest.mark.browser


@pytest.fixture
def site(db, factory, live_server):
    search.rebuild()  # a real index in the test's directory; published cards flow in on commit
    with clock.frozen(datetime(2026, 5, 13, 8, 0)):
        factory.published_card("dowod-test")
        factory.published_card("dowod-duplikat", title="Duplikat dowodu osobistego")
    return live_server.url


def test_results_come_before_collapsed_filters_at_390_px(site, page):
    page.set_viewport_size(PHONE)
    page.goto(f"{site}/szukaj?q=dowodu")
    first = page.locator("ol.results li").first.bounding_box()
    facets = page.locator("details.facets")
    assert facets.count() == 1
    assert first["y"] + first["height"] <= facets.bounding_box()["y"]
    assert not page.locator("details.facets nav").is_visible()
    docs_shot(page, "web-search-phone", full_page=False)
    page.locator("details.facets summary").click()
    assert page.locator("details.facets nav").is_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []


def test_an_active_filter_keeps_the_filters_open_and_beside_results_on_desktop(site, page):
    page.goto(f"{site}/szukaj?q=dowodu&category=dokumenty")
    assert page.locator("details.facets nav").is_visible()
    results, facets = page.locator("ol.results").bounding_box(), page.locator("details.facets").bounding_box()
    assert facets["x"] > results["x"] + results["width"] - 1
    assert axe_violations(page) == []


def test_a_resident_searches_on_a_phone_filters_switches_language_and_opens_a_card(site, page):
    """A resident's whole search at 390 px, tapping where things are drawn: type, search, open the filters, set
    one, switch to Ukrainian (the search and its filter kept), open a card; nothing scrolls sideways."""
    page.set_viewport_size(PHONE)
    page.goto(f"{site}/szukaj")
    tap_at(page, "#search-q")
    page.keyboard.type("dowodu")
    tap_at(page, ".search-big button[type=submit]")
    page.wait_for_url(re.compile(r"/szukaj\?q=dowodu"))
    results = page.locator("ol.results")
    expect(results.locator("li h3 a").first).to_contain_text("dowodu osobistego")
    tap_at(page, "details.facets summary")
    tap_at(page, 'details.facets a[href*="point=bok-test"]')
    page.wait_for_url(re.compile(r"[?&]point=bok-test"))
    expect(page.locator("details.facets strong[aria-current=true]")).to_be_visible()  # the filter set, removable
    expect(results.locator("li h3 a").first).to_contain_text("dowodu osobistego")
    assert axe_violations(page) == []
    tap_at(page, 'nav.langs a[lang="uk"]')
    page.wait_for_url(re.compile(r"lang=uk"))
    assert page.evaluate("document.documentElement.lang") == "uk"
    assert page.get_by_label(re.compile("Що ви шукаєте")).input_value() == "dowodu"  # the search kept
    expect(page.locator("details.facets strong[aria-current=true]")).to_be_visible()  # and its filter
    tap_at(page, "ol.results li:first-child h3 a")
    page.wait_for_url(re.compile(r"/uslugi/dowod-"))
    expect(page.locator("h1")).to_contain_text("dowodu")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
