"""Referral cards in headless Chromium: the badge and institution box pass axe-core (WCAG 2.1 A/AA)."""

from datetime import datetime

import pytest

from kiosk import clock
from kiosk.cards import services
from kiosk.facts.models import Location
from kiosk.search import services as search
from tests.conftest import axe_violations

from .test_referral import referral_content

pytestmark = pytest.mark.browser


@pytest.fixture
def site(db, factory, live_server):
    db.session.add(Location(slug="zus-test", name="ZUS, Oddział w Płocku", address="al. Jachowicza 1, Płock",
                            opening_hours={"wed": [["08:00", "15:00"]]}))  # fmt: skip
    with clock.frozen(datetime(2026, 5, 13, 8, 0)):
        editor, approver, publisher = factory.team()
        edition = services.open_draft(factory.card("emerytura-test", editor), editor, referral_content(factory))
        services.submit_edition(edition, editor)
        services.approve_edition(edition, approver)
        services.publish_edition(edition, publisher)
        db.session.commit()
        search.rebuild()
    return live_server.url


def test_referral_pages_have_no_accessibility_violations(site, page):
    problems = {}
    paths = [
        "/uslugi/emerytura-test",
        "/uslugi/emerytura-test?lang=en",
        "/uslugi/emerytura-test/druk",
        "/szukaj?q=emerytura&lang=pl",
        "/kiosk/uslugi/emerytura-test",
        "/kiosk/szukaj?q=emerytura",
    ]
    for path in paths:
        response = page.goto(site + path)
        assert response.status == 200, path
        assert page.locator(".referral-badge, .referral-note").count() >= 1, path
        violations = axe_violations(page)
        if violations:
            problems[path] = violations
    assert problems == {}
