"""Bad input gets a page in the site's look with a clear message, never a 500."""

import pytest


def test_unknown_card_is_a_404_in_the_sites_look(client):
    response = client.get("/uslugi/nie-ma-takiej-karty")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Nie znaleziono strony" in html and "Urząd Miasta Płocka" in html and 'lang="pl"' in html


def test_unknown_slugs_are_404_pages(client):
    for url in ("/uslugi/nie-ma", "/uslugi/nie-ma/druk", "/uslugi/nie-ma/historia", "/kategorie/nie-ma",
                "/sytuacje/nie-ma", "/punkty/nie-ma", "/nie-ma-takiej-strony"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Nie znaleziono strony" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/api/v1/cards/nie-ma", "/api/v1/cards/nie-ma/editions", "/api/v1/nie-ma"])
def test_unknown_api_resources_are_json_404s(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404


@pytest.mark.parametrize(
    "query", ["page=abc", "page=-1", "page=0", "page=99999999999999999999", "page=1e3", "page=%C2%B2"]
)
@pytest.mark.parametrize("path", ["/uslugi", "/zmiany", "/kategorie/dokumenty"])
def test_malformed_page_parameter_is_a_400_with_a_message(db, factory, client, path, query):
    factory.facts()
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert "musi być liczbą" in response.get_data(as_text=True)


def test_malformed_api_paging_is_a_json_400(client):
    for query in ("page=abc", "per_page=0", "per_page=101", "page=%00"):
        response = client.get(f"/api/v1/cards?{query}")
        assert response.status_code == 400, query
        assert "musi być liczbą" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("path", ["/uslugi?page=500", "/zmiany?page=2", "/api/v1/cards?page=3"])
def test_page_out_of_range_is_a_404(db, factory, client, path):
    factory.published_card()
    assert client.get(path).status_code == 404


def test_unknown_category_filter_in_the_api_is_a_400(client):
    response = client.get("/api/v1/cards?category=nie-ma")
    assert response.status_code == 400
    assert "category" in response.get_json()["error"]["message"]


def test_over_long_query_string_is_a_400(client):
    for path in ("/", "/uslugi", "/uslugi/x", "/api/v1/cards"):
        assert client.get(f"{path}?x={'a' * 5000}").status_code == 400, path


def test_binary_query_string_is_never_a_500(client):
    for query in ("%ff%fe%00%01", "page=%ff%fe", "lang=%ff", "%00=%00", "q=%c3%28"):
        for path in ("/", "/uslugi", "/zmiany", "/api/v1/cards"):
            assert client.get(f"{path}?{query}").status_code in (200, 400), (path, query)


def test_unknown_language_code_is_a_400(client):
    for code in ("xx", "de", "PL", "", "pl-PL", "../../etc"):
        response = client.get(f"/?lang={code}")
        assert response.status_code == 400, code
        assert "Nieznany język" in response.get_data(as_text=True)


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


def test_error_pages_follow_the_interface_language(client):
    client.get("/?lang=en")
    html = client.get("/uslugi/nie-ma").get_data(as_text=True)
    assert 'lang="en"' in html and "Page not found" in html
