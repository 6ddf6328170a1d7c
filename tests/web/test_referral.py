"""Referral cards (kind: referral): every public surface says "not here – go to <institution>"."""

import json
import re
from datetime import datetime

import pytest

from kiosk import clock
from kiosk.cards import services
from kiosk.errors import ValidationError
from kiosk.facts.models import Location
from kiosk.search import services as search

WEDNESDAY_10AM = datetime(2026, 5, 13, 8, 0)  # 10:00 in Płock (CEST)
HEADING = "Tego nie załatwisz w Urzędzie Miasta Płocka – idź do:"


@pytest.fixture
def frozen():
    with clock.frozen(WEDNESDAY_10AM):
        yield


@pytest.fixture
def zus(db, factory):
    location = Location(slug="zus-test", name="ZUS, Oddział w Płocku", address="al. Jachowicza 1, 09-402 Płock",
                        is_service_point=False, opening_hours={"wed": [["08:00", "15:00"]]},
                        phone="22 560 16 00")  # fmt: skip
    db.session.add(location)
    db.session.commit()
    return location


def referral_content(factory, **overrides):
    return factory.content(**{
        "kind": "referral", "title": "Emerytura – wniosek w ZUS", "summary": "Emerytury nie załatwisz w urzędzie.",
        "service_points": [{"point": "zus-test", "room": "", "window": "", "note": "Sala obsługi"}],
        "documents": [], "fees": [], "legal_acts": [], "settle_days": None, "settle_text": "",
        "online_channel": "other", "online_url": "https://www.zus.pl/", "online_text": "Wniosek złożysz w PUE ZUS.",
        "keywords": ["emerytura"], **overrides})  # fmt: skip


@pytest.fixture
def referral(db, factory, zus, frozen):
    team = factory.team()
    editor, approver, publisher = team
    card = factory.card("emerytura-test", editor)
    edition = services.open_draft(card, editor, referral_content(factory))
    services.submit_edition(edition, editor)
    services.approve_edition(edition, approver)
    services.publish_edition(edition, publisher)
    db.session.commit()
    factory.published_card("dowod-test", team=team)
    return card


def test_web_card_page_shows_the_referral_badge_with_address_hours_and_online_channel(client, referral):
    html = client.get("/uslugi/emerytura-test").get_data(as_text=True)
    assert 'class="referral"' in html and "Sprawa załatwiana poza urzędem miasta" in html
    assert HEADING in html and '<span class="institution">ZUS, Oddział w Płocku</span>' in html
    assert "al. Jachowicza 1, 09-402 Płock" in html and "Sala obsługi" in html
    assert "Dziś: 08:00–15:00" in html and "Otwarte teraz" in html and "22 560 16 00" in html
    assert "Wniosek złożysz w PUE ZUS." in html and 'href="https://www.zus.pl/"' in html
    # Nothing the card does not state: "no fees" or "no documents" would be untrue for another institution.
    assert "Bez opłat." not in html and "Nie są wymagane dokumenty." not in html and "Gdzie załatwić" not in html
    assert "Pytania o tę informację w urzędzie miasta" in html and "Kontakt w sprawie" not in html
    jsonld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert jsonld["provider"] == {"@type": "GovernmentOrganization", "name": "ZUS, Oddział w Płocku"}


def test_service_card_page_has_no_referral_badge(client, referral):
    html = client.get("/uslugi/dowod-test").get_data(as_text=True)
    assert "referral" not in html and HEADING not in html and "Gdzie załatwić" in html


def test_print_view_and_translated_badge(client, referral):
    assert HEADING in client.get("/uslugi/emerytura-test/druk").get_data(as_text=True)
    english = client.get("/uslugi/emerytura-test?lang=en").get_data(as_text=True)
    assert "You cannot settle this at Płock City Hall – go to:" in english and "Address:" in english
    assert "Questions about this information at the city hall" in english
    ukrainian = client.get("/uslugi/emerytura-test?lang=uk").get_data(as_text=True)
    assert "Це не вирішується в Міській раді Плоцька – зверніться до:" in ukrainian


def test_card_lists_mark_referral_cards(client, referral):
    html = client.get("/kategorie/dokumenty").get_data(as_text=True)
    assert html.count("Sprawa załatwiana poza urzędem miasta") == 1


def test_api_gives_the_kind_of_every_card(client, referral):
    assert client.get("/api/v1/cards/emerytura-test").get_json()["kind"] == "referral"
    assert client.get("/api/v1/cards/dowod-test").get_json()["kind"] == "service"
    kinds = {item["slug"]: item["kind"] for item in client.get("/api/v1/cards").get_json()["items"]}
    assert kinds == {"emerytura-test": "referral", "dowod-test": "service"}


def test_search_results_say_where_to_go(client, referral):
    search.rebuild()
    found = client.get("/api/v1/search?q=emerytura").get_json()["results"]
    assert found[0]["slug"] == "emerytura-test"
    assert found[0]["kind"] == "referral" and found[0]["referral_to"] == "ZUS, Oddział w Płocku"
    html = client.get("/szukaj?q=emerytura").get_data(as_text=True)
    assert "Tego nie załatwisz w Urzędzie Miasta Płocka – idź do: ZUS, Oddział w Płocku" in html
    dowod = client.get("/api/v1/search?q=dowód").get_json()["results"]
    assert dowod[0]["slug"] == "dowod-test" and dowod[0]["kind"] == "service" and dowod[0]["referral_to"] == ""


def test_kiosk_card_and_results_show_the_referral(client, referral):
    html = client.get("/kiosk/uslugi/emerytura-test").get_data(as_text=True)
    assert 'class="where referral"' in html and HEADING in html and "ZUS, Oddział w Płocku" in html
    assert "al. Jachowicza 1, 09-402 Płock" in html and "Otwarte teraz" in html and "https://www.zus.pl/" in html
    assert "Bez opłat." not in html and "Nie trzeba przynosić dokumentów." not in html
    assert "Załatwisz to tutaj" not in client.get("/kiosk/uslugi/emerytura-test?k=nieznany").get_data(as_text=True)
    search.rebuild()
    results = client.get("/kiosk/szukaj?q=emerytura").get_data(as_text=True)
    assert "Tego nie załatwisz w Urzędzie Miasta Płocka – idź do: ZUS, Oddział w Płocku" in results
    assert HEADING in client.get("/kiosk/uslugi/emerytura-test/druk").get_data(as_text=True)
    english = client.get("/kiosk/uslugi/emerytura-test?lang=en").get_data(as_text=True)
    assert "You cannot settle this at Płock City Hall – go to:" in english
    offline = {c["slug"]: c["kind"] for c in client.get("/kiosk/dane.json").json["cards"]}
    assert offline == {"emerytura-test": "referral", "dowod-test": "service"}
    assert 'data-msg-referral="Tego nie załatwisz w Urzędzie Miasta Płocka"' in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"service_points": [], "online_url": "", "online_text": ""}, "musi wskazać instytucję"),
        ({"kind": "<script>"}, "nieznany rodzaj karty"),
        ({"kind": None}, "nieznany rodzaj karty"),
    ],
)
def test_a_referral_must_say_where_to_go_and_the_kind_must_be_known(db, factory, zus, overrides, message):
    editor = factory.user()
    card = factory.card("bez-miejsca", editor)
    with pytest.raises(ValidationError, match=message):
        services.open_draft(card, editor, referral_content(factory, **overrides))


def test_a_referral_may_point_only_online(db, factory, zus):
    editor = factory.user()
    edition = services.open_draft(factory.card("tylko-online", editor), editor,
                                  referral_content(factory, service_points=[]))  # fmt: skip
    assert edition.kind == "referral"
