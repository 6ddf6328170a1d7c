"""The results page in a real browser: no accessibility violations, results reachable by keyboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import axe_violations
from tests.web.helpers import PHONE, tap_at


@pytest.mark.browser
def test_results_page_has_no_axe_violations(live_server, page, cards):
    page.goto(f"{live_server.url}/szukaj?q=dowodu")
    assert page.get_by_label("Czego szukasz?").input_value() == "dowodu"
    assert page.locator("ol.results li h3 a").first.inner_text() == "Wydanie dowodu osobistego"
    assert axe_violations(page) == []


@pytest.mark.browser
def test_a_resident_searches_on_a_phone_filters_switches_language_and_opens_a_card(live_server, page, cards):
    """At 390 px, tapping where things are drawn: the results come before the folded filters, nothing scrolls
    sideways, a service point filter is set and shown, Ukrainian keeps the search, and a result opens its card."""
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/szukaj")
    tap_at(page, "#search-q")
    page.keyboard.type("dowodu")
    tap_at(page, ".search-big button[type=submit]")
    page.wait_for_url(re.compile(r"/szukaj\?q=dowodu"))
    results, filters = page.locator("ol.results"), page.locator("details.facets")
    expect(results.locator("li h3 a").first).to_have_text("Wydanie dowodu osobistego")
    assert results.bounding_box()["y"] < filters.bounding_box()["y"]  # results first on a phone
    assert filters.get_attribute("open") is None  # the filters fold away until wanted
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    tap_at(page, "details.facets summary")
    tap_at(page, 'details.facets a[href*="point=bok-test"]')
    page.wait_for_url(re.compile(r"[?&]point=bok-test"))
    expect(page.locator("details.facets strong[aria-current=true]")).to_be_visible()  # the filter set, removable
    expect(results.locator("li h3 a").first).to_have_text("Wydanie dowodu osobistego")
    assert axe_violations(page) == []
    tap_at(page, 'nav.langs a[lang="uk"]')
    page.wait_for_url(re.compile(r"lang=uk"))
    assert page.evaluate("document.documentElement.lang") == "uk"
    assert page.get_by_label(re.compile("Що ви шукаєте")).input_value() == "dowodu"  # the search kept
    expect(page.locator("details.facets strong[aria-current=true]")).to_be_visible()  # and its filter
    tap_at(page, "ol.results li:first-child h3 a")
    page.wait_for_url(re.compile(r"/uslugi/dowod-osobisty-wydanie"))
    expect(page.locator("h1")).to_contain_text("dowodu osobistego")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
