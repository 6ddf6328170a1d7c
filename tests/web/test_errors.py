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
    for query in ("page=abc", "per_page=0", "per_page=101", "page=%C2%B2"):
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


def test_unexpected_error_shows_no_stack_trace(fresh_app):
    app, client = fresh_app, fresh_app.test_client()

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


# --- one argument parser everywhere (kiosk.requestargs) ----------------------------------------------------

# Unicode digits pass `str.isdigit()` but `int()` refuses ("²") or reads them ("٣" is 3); the last two do not
# fit the database's integer columns.
NOT_A_NUMBER = ["%C2%B2", "%D9%A3", "%EF%BC%91", "99999999999999999999", "2147483648", "1%00"]


@pytest.mark.parametrize("value", NOT_A_NUMBER)
@pytest.mark.parametrize(
    "path", ["/uslugi?page=", "/api/v1/cards?page=", "/api/v1/cards?per_page=", "/szukaj?q=dowod&page=",
             "/api/v1/search?q=dowod&limit=", "/api/v1/suggest?q=do&limit="],
)  # fmt: skip
def test_numbers_that_are_not_plain_digits_are_a_400_everywhere(db, factory, client, path, value):
    factory.facts()
    response = client.get(f"{path}{value}")
    assert response.status_code == 400, (path, value)


@pytest.mark.parametrize("value", [*NOT_A_NUMBER[:-1], "abc", "-1", "0"])
def test_search_click_with_a_bad_query_id_still_opens_the_card(db, factory, client, value):
    factory.published_card("dowod")
    response = client.get(f"/szukaj/klik?slug=dowod&q=dowod&id={value}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/uslugi/dowod")


@pytest.mark.parametrize(
    "url", ["/kategorie/%00", "/uslugi/a%00b", "/api/v1/cards/%00", "/uslugi?page=1&x=%00",
            "/szukaj?q=a&page=%00", "/szukaj/klik?slug=%00&q=x",
            "/api/v1/cards?category=%00", "/sprawa?nr=%00&kod=x", "/?%00=1", "/kiosk/uslugi/%00"],
)  # fmt: skip
def test_nul_anywhere_in_the_address_is_a_400_with_a_message(db, client, url):
    response = client.get(url)
    assert response.status_code == 400, url
    if not url.startswith("/kiosk/"):  # the kiosk shows its own screen without technical details
        assert "NUL" in response.get_data(as_text=True)
    if url.startswith("/api/"):
        assert "NUL" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("path", ["/szukaj", "/api/v1/search", "/api/v1/suggest", "/kiosk/szukaj"])
def test_search_text_may_hold_anything_even_nul(db, factory, client, path):
    factory.published_card("dowod")
    assert client.get(f"{path}?q=dow%00%C3%B3d").status_code == 200  # the search cleans its own text


def test_nul_in_a_form_is_a_400(db, client):
    response = client.post("/admin/login", data={"username": "ewa\x00", "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["99999999999999999999", "2147483648", "%D9%A3", "%C2%B2"])
def test_ids_in_paths_beyond_the_database_range_are_a_404(db, client, value):
    assert client.get(f"/admin/bok/sprawy/{value}").status_code == 404
