"""The public pages show what the issue lists, server-rendered, without JavaScript."""

import json
import re
from datetime import datetime

import pytest

from kiosk import clock
from kiosk.accounts.models import Role
from kiosk.cards.services import withdraw_card

from .helpers import publish_new_edition

WEDNESDAY_10AM = datetime(2026, 5, 13, 8, 0)  # 10:00 in Płock (CEST)
HOURS = {"mon": ["08:00-15:30"], "tue": ["08:00-15:30"], "wed": ["08:00-15:30"], "thu": ["08:00-16:30"],
         "fri": ["08:00-14:30"]}  # fmt: skip


@pytest.fixture
def frozen():
    with clock.frozen(WEDNESDAY_10AM):
        yield


@pytest.fixture
def card(db, factory, frozen):
    facts = factory.facts()
    facts["location"].opening_hours = HOURS
    facts["location"].accessibility = "Podjazd dla wózków od ul. Zduńskiej."
    facts["category"].name_en = "Documents"
    db.session.commit()
    return factory.published_card("dowod-test")


def test_home_has_search_categories_situations_and_points_with_hours(client, card):
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'<form[^>]*role="search"[^>]*action="/szukaj"', html)
    assert '<label for="q">' in html and 'id="q"' in html and 'name="q"' in html
    assert "/kategorie/dokumenty" in html and "Dokumenty" in html and "1 sprawa" in html
    assert "/sytuacje/przeprowadzka" in html and "Przeprowadzam się" in html
    assert "/punkty/bok-test" in html and "Dziś: 08:00–15:30" in html and "Otwarte teraz" in html


def test_home_shows_a_point_closed_after_hours_and_on_holidays(client, card):
    with clock.frozen(datetime(2026, 5, 13, 14, 0)):  # 16:00 local
        assert "Teraz zamknięte" in client.get("/").get_data(as_text=True)
    with clock.frozen(datetime(2026, 5, 1, 8, 0)):  # Labour Day, a Friday
        html = client.get("/").get_data(as_text=True)
    assert "Dziś nieczynne (święto" in html and "Teraz zamknięte" in html


def test_home_does_not_list_every_card(db, factory, client, frozen):
    for i in range(3):
        factory.published_card(f"karta-home-{i}")
    html = client.get("/").get_data(as_text=True)
    assert html.count('href="/uslugi/karta-home-') <= 5


def test_card_page_shows_every_structured_field(client, card):
    html = client.get("/uslugi/dowod-test").get_data(as_text=True)
    assert "<h1>Wydanie dowodu osobistego</h1>" in html
    # Published, but its owner has not confirmed it: no claim of verification (issue 12).
    assert "Informacja zweryfikowana" not in html
    assert (
        'Wydanie 01 z dnia 13.05.2026 · <span class="confirming"><span>Trwa potwierdzanie: aktualność karty</span>'
        in html
    )
    assert "<span>ostatnia zmiana karty:</span> 13.05.2026" in html
    assert "Stary Rynek 1" in html and "stanowisko 2" in html and "okienko</span> 3" in html
    assert "Otwarte teraz" in html
    assert 'class="checklist"' in html and "Fotografia 35 × 45 mm" in html
    assert "17,00\u00a0zł" in html and "bezpłatnie" in html and "przelew" in html
    assert "do 30 dni" in html and "termin ustawowy: 30 dni" in html
    assert "Kodeks postępowania administracyjnego" in html and "art. 64" in html
    assert "Wydział Testowy" in html


def test_card_page_has_the_bip_metryczka_and_register_of_changes(db, factory, client, frozen):
    team = factory.team()
    card = factory.published_card("dowod-test", team=team)
    publish_new_edition(db, factory, card, team, title="Dowód osobisty – wydanie")
    html = client.get("/uslugi/dowod-test").get_data(as_text=True)
    editor, approver, publisher = team
    metryczka = html[html.index('id="metryczka"') :]
    for label in ("Przygotował(a)", "Zatwierdził(a) merytorycznie", "Zatwierdził(a) do użytkowania", "Obowiązuje od"):
        assert label in metryczka
    for person in (editor, approver, publisher):
        assert person.display_name in metryczka
    register = html[html.index('id="register"') :]
    assert "Wydanie 02 z dnia 13.05.2026" in register and "Wydanie 01 z dnia 13.05.2026" in register


def test_card_page_has_government_service_json_ld(client, card):
    html = client.get("/uslugi/dowod-test").get_data(as_text=True)
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "GovernmentService" and data["name"] == "Wydanie dowodu osobistego"
    assert data["provider"]["name"] == "Urząd Miasta Płocka"
    assert data["availableChannel"][0]["serviceLocation"]["address"] == "Stary Rynek 1"


def test_markdown_body_is_sanitised_on_the_card_page(db, factory, client, frozen):
    factory.published_card("xss", body="## Opis\n\n<script>alert(1)</script> [x](javascript:alert(1))")
    html = client.get("/uslugi/xss").get_data(as_text=True)
    # CommonMark keeps the rest of a raw-HTML line as inert text; no script and no javascript: link survive.
    assert "<script>alert" not in html and not re.search(r"<a[^>]*javascript:", html, re.I)


def test_print_view_is_compact_with_print_css(client, card):
    html = client.get("/uslugi/dowod-test/druk").get_data(as_text=True)
    assert "print.css" in html and "<h1>Wydanie dowodu osobistego</h1>" in html
    assert "Fotografia 35 × 45 mm" in html and "17,00\u00a0zł" in html
    assert 'class="site-header"' not in html and "http://localhost/uslugi/dowod-test" in html


def test_history_shows_a_word_level_diff_between_editions(db, factory, client, frozen):
    team = factory.team()
    card = factory.published_card("dowod-test", team=team)
    publish_new_edition(db, factory, card, team, settle_text="do 14 dni")
    html = client.get("/uslugi/dowod-test/historia").get_data(as_text=True)
    assert "Wydanie 02 z dnia 13 maja 2026" in html and "Wydanie 01 z dnia 13 maja 2026" in html
    assert "<del>30</del>" in html and "<ins>14</ins>" in html
    assert "Pierwsze opublikowane wydanie." in html


def test_changes_page_lists_recent_editions_newest_first(db, factory, client, frozen):
    factory.published_card("pierwsza", title="Pierwsza karta")
    with clock.frozen(datetime(2026, 5, 14, 8, 0)):
        factory.published_card("druga", title="Druga karta")
    html = client.get("/zmiany").get_data(as_text=True)
    assert html.index("Druga karta") < html.index("Pierwsza karta")
    assert "/uslugi/druga/historia#e1" in html


def test_category_situation_and_point_pages_list_their_cards(db, factory, client, card):
    other = factory.published_card("inna", title="Inna sprawa", service_points=[], life_situations=[])
    assert other
    category = client.get("/kategorie/dokumenty").get_data(as_text=True)
    assert "Wydanie dowodu osobistego" in category and "2 karty usług" in category
    situation = client.get("/sytuacje/przeprowadzka").get_data(as_text=True)
    assert "Wydanie dowodu osobistego" in situation and "Inna sprawa" not in situation
    point = client.get("/punkty/bok-test").get_data(as_text=True)
    assert "Wydanie dowodu osobistego" in point and "Inna sprawa" not in point
    assert "Podjazd dla wózków" in point and "czwartek" in point and "08:00–16:30" in point


def test_category_names_follow_the_interface_language(client, card):
    html = client.get("/kategorie/dokumenty?lang=en").get_data(as_text=True)
    assert "<h1>Documents</h1>" in html


def test_accessibility_statement_has_the_required_structure(client, card):
    html = client.get("/deklaracja-dostepnosci").get_data(as_text=True)
    for part in ("Deklaracja dostępności", "Stan dostępności cyfrowej", "częściowo zgodna", "Deklarację sporządzono",
                 "Informacje zwrotne i dane kontaktowe", "bim@plock.eu", "24 364 55 55", "Dostępność architektoniczna",
                 "Podjazd dla wózków", "4 kwietnia 2019", "Rzecznika Praw Obywatelskich"):  # fmt: skip
        assert part in html, part


def test_withdrawn_card_is_gone_but_its_history_stays_in_changes(db, factory, client, card):
    withdraw_card(card, factory.user(roles=[Role.PUBLISHER]), "nieaktualna")
    db.session.commit()
    assert client.get("/uslugi/dowod-test").status_code == 404
    assert "wycofane" in client.get("/zmiany").get_data(as_text=True)
