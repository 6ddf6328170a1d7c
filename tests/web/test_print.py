"""The print view: a working Print button (static JS, CSP-safe) hidden on paper, no opening state on paper,
and a metryczka that names people's roles, with the office behind imported content."""

from datetime import datetime

import pytest

from kiosk import clock
from kiosk.content.services import importer_user
from tests.conftest import axe_violations, docs_shot

WEDNESDAY_10AM = datetime(2026, 5, 13, 8, 0)


@pytest.fixture
def card(db, factory):
    with clock.frozen(WEDNESDAY_10AM):
        factory.facts()["location"].opening_hours = {"wed": ["08:00-15:30"]}
        db.session.commit()
        return factory.published_card("dowod-test")


def test_print_view_has_a_button_and_no_opening_state(client, card):
    with clock.frozen(WEDNESDAY_10AM):
        html = client.get("/uslugi/dowod-test/druk").get_data(as_text=True)
        card_page = client.get("/uslugi/dowod-test").get_data(as_text=True)
    assert "data-print" in html and "print.js" in html and "<script>" not in html
    assert "Dziś: 08:00–15:30" in html
    for word in ("Otwarte teraz", "Teraz zamknięte", "teraz otwarte", "teraz zamknięte"):
        assert word not in html
    assert "Otwarte teraz" in card_page  # the screen still says it


def test_metryczka_names_roles_and_the_office_behind_imports(db, client, factory):
    importer = importer_user()
    with clock.frozen(WEDNESDAY_10AM):
        card = factory.published_card("z-importu")
        edition = card.live_edition
        edition.author = edition.approver = edition.publisher = importer
        edition.rows_snapshot = {**(edition.rows_snapshot or {}), "prepared_by": ["Import treści (repozytorium)"]}
        db.session.commit()
        html = client.get("/uslugi/z-importu/druk").get_data(as_text=True)
    metryczka = html[html.index('id="metryczka"') :]
    for label in ("Przygotował(a)", "Zatwierdził(a) merytorycznie", "Zatwierdził(a) do użytkowania"):
        assert label in metryczka
    assert metryczka.count("Biuro Interwencji i Informowania Mieszkańców (import treści)") == 3
    assert "Import treści (repozytorium)" not in html


@pytest.mark.browser
def test_print_button_prints_and_is_hidden_on_paper(card, live_server, page):
    page.goto(f"{live_server.url}/uslugi/dowod-test/druk")
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    button = page.get_by_role("button", name="Drukuj")
    assert button.is_visible()
    assert button.bounding_box()["height"] >= 40  # a real button in the site's colours, not a browser default
    button.click()
    assert page.evaluate("window.__printed") == 1
    assert axe_violations(page) == []
    docs_shot(page, "web-print")
    page.emulate_media(media="print")
    assert not button.is_visible()


@pytest.mark.browser
def test_the_card_page_printed_shows_no_opening_state(card, live_server, page):
    """Printed straight from the card page (Ctrl+P), paper still says nothing about "open now"."""
    with clock.frozen(WEDNESDAY_10AM):
        page.goto(f"{live_server.url}/uslugi/dowod-test")
        state = page.locator(".open-state").first
        assert state.is_visible() and "Otwarte teraz" in state.inner_text()
        page.emulate_media(media="print")
        assert not state.is_visible()
        assert "Dziś: 08:00–15:30" in page.inner_text("main")
