"""The results page in a real browser: no accessibility violations, results reachable by keyboard."""

import pytest

from tests.conftest import axe_violations


@pytest.mark.browser
def test_results_page_has_no_axe_violations(live_server, page, cards):
    page.goto(f"{live_server.url}/szukaj?q=dowodu")
    assert page.get_by_label("Czego szukasz?").input_value() == "dowodu"
    assert page.locator("ol.results li h3 a").first.inner_text() == "Wydanie dowodu osobistego"
    assert axe_violations(page) == []
