"""The open-data API: stable fields, pagination, filters, editions, points, categories, OpenAPI."""

from decimal import Decimal

import pytest

from kiosk.facts.models import Location

from .helpers import publish_new_edition


@pytest.fixture
def cards(db, factory):
    team = factory.team()
    first = factory.published_card("dowod-test", team=team)
    other = Location(slug="miodowa", name="POM Miodowa", address="ul. Miodowa 8", is_service_point=True,
                     opening_hours={"mon": ["08:00-15:30"]})  # fmt: skip
    db.session.add(other)
    db.session.commit()
    factory.published_card("prawo-jazdy", title="Prawo jazdy", service_points=[{"point": "miodowa", "room": "",
                           "window": "", "note": ""}], life_situations=[])  # fmt: skip
    return team, first


def test_cards_are_paginated_with_links(client, cards):
    data = client.get("/api/v1/cards?per_page=1").get_json()
    assert data["total"] == 2 and data["pages"] == 2 and data["page"] == 1 and len(data["items"]) == 1
    assert data["links"]["next"].endswith("/api/v1/cards?page=2&per_page=1")
    item = data["items"][0]
    assert set(item) == {"slug", "title", "summary", "kind", "category", "edition", "url", "api_url"}
    assert item["edition"]["label"].startswith("Wydanie 01 z dnia")


@pytest.mark.parametrize(
    ("query", "slugs"),
    [("category=dokumenty", {"dowod-test", "prawo-jazdy"}), ("point=miodowa", {"prawo-jazdy"}),
     ("point=bok-test", {"dowod-test"}), ("situation=przeprowadzka", {"dowod-test"})],
)  # fmt: skip
def test_cards_filter_by_category_point_and_situation(client, cards, query, slugs):
    items = client.get(f"/api/v1/cards?{query}").get_json()["items"]
    assert {i["slug"] for i in items} == slugs


def test_card_has_every_structured_field(client, cards):
    data = client.get("/api/v1/cards/dowod-test").get_json()
    assert data["title"] == "Wydanie dowodu osobistego"
    assert data["fees"][1] == {"what": "Pełnomocnictwo", "amount_pln": "17.00", "how_to_pay": "przelew",
                               "exemptions": ""}  # fmt: skip
    assert data["documents"][1]["name"] == "Fotografia 35 × 45 mm" and data["documents"][1]["form"] == "original"
    assert data["service_points"][0]["slug"] == "bok-test" and data["service_points"][0]["room"] == "stanowisko 2"
    assert data["time_to_settle"] == {"statutory_days": 30, "text": "do 30 dni"}
    assert data["legal_basis"][0]["detail"] == "art. 64"
    assert data["edition"]["number"] == 1 and data["edition"]["approved_by"] and data["edition"]["published_by"]
    assert data["category"] == {"slug": "dokumenty", "name": "Dokumenty"}


def test_editions_list_the_history_with_changed_fields(db, factory, client, cards):
    team, card = cards
    publish_new_edition(db, factory, card, team, fees=[{"what": "Opłata", "amount": Decimal("30.00"),
                        "how_to_pay": "", "exemptions": "", "shared": None}])  # fmt: skip
    items = client.get("/api/v1/cards/dowod-test/editions").get_json()["items"]
    assert [i["number"] for i in items] == [2, 1]
    assert items[0]["changed_fields"] == ["fees"] and items[1]["status"] == "superseded"


def test_service_points_have_hours_and_todays_state(client, cards):
    items = client.get("/api/v1/service-points").get_json()["items"]
    miodowa = next(i for i in items if i["slug"] == "miodowa")
    assert miodowa["opening_hours"]["mon"] == [{"opens": "08:00", "closes": "15:30"}]
    assert miodowa["opening_hours"]["sun"] == []
    assert set(miodowa["today"]) == {"hours", "open_now", "holiday"}


def test_categories_count_their_cards(client, cards):
    items = client.get("/api/v1/categories").get_json()["items"]
    assert items[0]["slug"] == "dokumenty" and items[0]["card_count"] == 2


def test_openapi_document_describes_every_endpoint(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {"/cards", "/cards/{slug}", "/cards/{slug}/editions", "/service-points", "/categories"}
    card_fields = set(doc["components"]["schemas"]["Card"]["properties"])
    assert {"documents", "fees", "legal_basis", "service_points", "edition"} <= card_fields
