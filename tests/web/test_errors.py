"""Bad input gets a page in the site's look with a clear message, never a 500."""

import pytest


def test_unknown_card_is_a_404_in_the_sites_look(client):
    response = client.get("/uslugi/nie-ma-takiej-karty")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Nie znaleziono strony" in html and "Urząd Miasta Płocka" in html and 'lang="pl"' in html


@pytest.mark.parametrize("query", ["page=abc", "page=-1", "page=0", "page=99999999999999999999", "page=1e3"])
def test_malformed_page_parameter_is_a_400_with_a_message(client, query):
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    assert "musi być liczbą" in response.get_data(as_text=True)


def test_page_out_of_range_is_a_404(client):
    assert client.get("/?page=500").status_code == 404


def test_unexpected_error_shows_no_stack_trace(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    app.testing = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "secret internals" not in html and "Traceback" not in html
    assert "Błąd serwera" in html


def test_published_card_page_shows_its_structured_fields(db, factory, client):
    factory.published_card("dowod-test")
    html = client.get("/uslugi/dowod-test").get_data(as_text=True)
    assert "Wydanie dowodu osobistego" in html
    assert "17,00\u00a0zł" in html and "bezpłatnie" in html
    assert "stanowisko 2" in html and "Fotografia 35 × 45 mm" in html
