"""The translation screen in Debian's headless Chromium: a Polish edit puts a published translation behind, the
translator sees what changed next to the live Polish text, updates it and submits; axe-core finds nothing."""

import pytest
from playwright.sync_api import expect

from kiosk.accounts.models import Role
from kiosk.cards import translations
from tests.conftest import axe_violations, save_screenshot
from tests.web.helpers import publish_new_edition

from .test_browser import log_in

pytestmark = pytest.mark.browser


def test_a_behind_translation_is_updated_side_by_side_in_a_real_browser(db, factory, make_user, live_server, page):
    team = factory.team()
    card = factory.published_card("dowod-osobisty", team=team)
    translator = make_user("ola", [Role.EDITOR])
    tr = translations.write_translation(card, "en", {"title": "Getting an ID card", "documents": ["Application",
                                                     "Photo 35 × 45 mm"]}, translator)  # fmt: skip
    translations.submit_translation(tr, translator)
    translations.approve_translation(tr, team[1])
    translations.publish_translation(tr, team[2])
    db.session.commit()
    documents = factory.content()["documents"]
    documents[1] = {**documents[1], "name": "Zdjęcie biometryczne"}
    publish_new_edition(db, factory, card, team, documents=documents)

    log_in(page, live_server.url, "ola")
    page.get_by_role("navigation", name="Moduły").get_by_role("link", name="Tłumaczenia").click()
    page.get_by_label("Stan").select_option("behind")
    page.get_by_role("button", name="Filtruj").click()
    expect(page.locator("#translations tbody tr")).to_have_count(1)
    assert axe_violations(page) == []
    page.get_by_role("link", name="Wydanie dowodu osobistego (angielski)").click()
    changes = page.locator("#changes")
    expect(changes.locator("del")).to_have_text("Fotografia 35 × 45 mm")
    expect(changes.locator("ins")).to_have_text("Zdjęcie biometryczne")
    expect(page.get_by_label("Dokument 1 – tłumaczenie")).to_have_value("Application")
    page.get_by_label("Dokument 2 – tłumaczenie").fill("Biometric photo")
    assert axe_violations(page) == []
    save_screenshot(page, "admin-translation")
    page.get_by_role("button", name="Zapisz tłumaczenie").click()
    expect(page.get_by_text("Tłumaczenie zapisane.")).to_be_visible()
    page.get_by_role("button", name="Przekaż do zatwierdzenia").click()
    expect(page.locator("#open-status")).to_have_text("do zatwierdzenia")
    expect(page.get_by_role("button", name="Zatwierdź tłumaczenie")).to_have_count(0)
    assert axe_violations(page) == []  # with a flash message on the page
