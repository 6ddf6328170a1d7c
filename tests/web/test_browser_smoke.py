"""The card page in a real browser: renders and passes axe-core."""

import pytest

from tests.conftest import axe_violations

pytestmark = pytest.mark.browser


def test_card_page_in_chromium_has_no_accessibility_violations(db, factory, live_server, page):
    factory.published_card("dowod-test")
    page.goto(f"{live_server.url}/uslugi/dowod-test")
    assert page.locator("h1").inner_text() == "Wydanie dowodu osobistego"
    assert axe_violations(page) == []
