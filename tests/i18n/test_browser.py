"""Card pages in three languages in headless Chromium: the notices show and axe-core finds nothing (WCAG 2.1 A/AA)."""

import pytest

from tests.conftest import axe_violations, save_screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def site(db, factory, live_server):
    team = factory.team()
    card = factory.published_card("dowod-osobisty-wydanie", team=team)
    factory.published_translation(card, "uk", team)
    return live_server.url


def test_notices_in_the_readers_language_and_no_accessibility_violations(site, page):
    problems = {}
    expected = {
        "/uslugi/dowod-osobisty-wydanie?lang=pl": None,
        "/uslugi/dowod-osobisty-wydanie?lang=en": "This card is available in Polish only",
        "/uslugi/dowod-osobisty-wydanie?lang=uk": "Ще не перекладені фрагменти показано польською",
        "/uslugi/dowod-osobisty-wydanie/druk?lang=uk": "Ще не перекладені фрагменти показано польською",
        "/kiosk/uslugi/dowod-osobisty-wydanie?lang=en": "This card is available in Polish only",
        "/kiosk/uslugi/dowod-osobisty-wydanie?lang=uk": "Ще не перекладені фрагменти показано польською",
    }
    for path, notice in expected.items():
        response = page.goto(site + path)
        assert response.status == 200, path
        if notice is None:
            assert page.locator(".translation-notice").count() == 0, path
        else:
            assert notice in page.locator(".translation-notice").first.inner_text(), path
        violations = axe_violations(page)
        if violations:
            problems[path] = violations
    save_screenshot(page, "i18n-card-uk")
    assert problems == {}
