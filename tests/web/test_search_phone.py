"""On a phone the search results come before the filters, which are folded away until wanted."""

from datetime import datetime

import pytest

from kiosk import clock
from kiosk.search import services as search
from tests.conftest import axe_violations, docs_shot

pytestmark = pytest.mark.browser


@pytest.fixture
def site(db, factory, live_server):
    search.rebuild()  # a real index in the test's directory; published cards flow in on commit
    with clock.frozen(datetime(2026, 5, 13, 8, 0)):
        factory.published_card("dowod-test")
        factory.published_card("dowod-duplikat", title="Duplikat dowodu osobistego")
    return live_server.url


def test_results_come_before_collapsed_filters_at_390_px(site, page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site}/szukaj?q=dowodu")
    first = page.locator("ol.results li").first.bounding_box()
    facets = page.locator("details.facets")
    assert facets.count() == 1
    assert first["y"] + first["height"] <= facets.bounding_box()["y"]
    assert not page.locator("details.facets nav").is_visible()
    docs_shot(page, "web-search-phone", full_page=False)
    page.locator("details.facets summary").click()
    assert page.locator("details.facets nav").is_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert axe_violations(page) == []


def test_an_active_filter_keeps_the_filters_open_and_beside_results_on_desktop(site, page):
    page.goto(f"{site}/szukaj?q=dowodu&category=dokumenty")
    assert page.locator("details.facets nav").is_visible()
    results, facets = page.locator("ol.results").bounding_box(), page.locator("details.facets").bounding_box()
    assert facets["x"] > results["x"] + results["width"] - 1
    assert axe_violations(page) == []
