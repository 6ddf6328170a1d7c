"""The search API, the results page and the click log."""

from kiosk.search.models import SearchQuery


def test_api_search_answers_in_the_documented_shape(client, cards):
    data = client.get("/api/v1/search?q=dowodu&limit=2").get_json()
    assert set(data) == {"query", "total", "results", "suggestion", "facets", "degraded"}
    assert data["query"] == "dowodu" and data["degraded"] is False
    assert len(data["results"]) <= 2
    first = data["results"][0]
    assert set(first) == {"slug", "title", "summary", "score", "highlights", "kind", "referral_to"}
    assert first["slug"] == "dowod-osobisty-wydanie"
    assert "<mark>" in first["highlights"]["title"]


def test_api_search_filters(client, cards):
    assert client.get("/api/v1/search?q=dowód&category=inna").get_json()["total"] == 0
    assert client.get("/api/v1/search?q=dowód&point=bok-test").get_json()["total"] >= 1


def test_bad_limit_or_page_is_a_400_with_a_message(client, cards):
    for bad in ("0", "-1", "abc", "51", "1e3", "²", "99999999999999999999"):
        response = client.get("/api/v1/search", query_string={"q": "dowód", "limit": bad})
        assert response.status_code == 400, bad
        assert "limit" in response.get_json()["error"]["message"]
        page = client.get("/szukaj", query_string={"q": "dowód", "page": bad})
        assert page.status_code == 400 and "page" in page.get_data(as_text=True), bad


def test_api_suggest(client, cards):
    data = client.get("/api/v1/suggest?q=zamel").get_json()
    assert data["completions"][0]["slug"] == "zameldowanie-pobyt-staly"


def test_results_page_is_accessible_html_with_highlights_and_facets(client, cards):
    html = client.get("/szukaj?q=dowodu").get_data(as_text=True)
    assert '<label for="search-q"' in html and 'id="search-q"' in html
    assert '<ol class="results">' in html and "<h3>" in html
    assert "<mark>dowodu</mark>" in html
    assert "/szukaj/klik?" in html and "category=dokumenty" in html


def test_results_page_without_a_match_shows_popular_cards(client, cards):
    html = client.get("/szukaj?q=qqqzzz").get_data(as_text=True)
    assert "Najczęściej wybierane" in html and "Wydanie dowodu osobistego" in html


def test_click_logs_the_opened_card_and_redirects_to_it(client, cards, db):
    client.get("/szukaj?q=meldunek")
    entry = db.session.query(SearchQuery).filter_by(text="meldunek").one()
    response = client.get(f"/szukaj/klik?q=meldunek&slug=zameldowanie-pobyt-staly&id={entry.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/uslugi/zameldowanie-pobyt-staly")
    db.session.expire_all()
    assert db.session.get(SearchQuery, entry.id).opened_slug == "zameldowanie-pobyt-staly"


def test_click_never_redirects_outside_known_cards(client, cards):
    for slug in ("https://evil.example", "//evil.example", "nie-ma-takiej", "", "../admin"):
        assert client.get("/szukaj/klik", query_string={"q": "x", "slug": slug}).status_code == 404


def test_every_result_links_through_the_click_log_with_its_query_and_id(client, cards, db):
    html = client.get("/szukaj", query_string={"q": "dowodu & <b>"}).get_data(as_text=True)
    entry = db.session.query(SearchQuery).filter_by(text="dowodu & <b>").one()
    link = f'href="/szukaj/klik?slug=dowod-osobisty-wydanie&amp;q=dowodu+%26+%3Cb%3E&amp;id={entry.id}"'
    assert link in html


def test_hostile_query_is_escaped_everywhere_on_the_page(client, cards):
    hostile = '<script>alert("x")</script> dowodu'
    html = client.get("/szukaj", query_string={"q": hostile}).get_data(as_text=True)
    assert "<script>" not in html and 'alert("x")' not in html
    assert 'value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; dowodu"' in html
    assert "<title>Szukaj: &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; dowodu – " in html
    assert "q=%3Cscript%3Ealert(%22x%22)%3C/script%3E+dowodu" in html  # Werkzeug leaves ( ) / unquoted
    nothing = client.get("/szukaj", query_string={"q": "<img src=x onerror=alert(1)>"}).get_data(as_text=True)
    assert "<img" not in nothing and "„&lt;img src=x onerror=alert(1)&gt;”" in nothing


def test_hostile_query_comes_back_as_plain_json_text(client, cards):
    hostile = "<script>alert(1)</script>"
    response = client.get("/api/v1/search", query_string={"q": hostile})
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json()["query"] == hostile


def test_card_text_is_escaped_and_only_matched_words_marked(client, index, factory):
    factory.published_card("opłata-testowa", title="Opłata <b>skarbowa</b> & \"inne\"",
                           summary="Zapłacisz <script>x</script> w kasie.")  # fmt: skip
    html = client.get("/szukaj?q=skarbowa").get_data(as_text=True)
    assert "Opłata &lt;b&gt;<mark>skarbowa</mark>&lt;/b&gt; &amp; &#34;inne&#34;" in html
    assert "Zapłacisz &lt;script&gt;x&lt;/script&gt; w kasie." in html
    first = client.get("/api/v1/search?q=skarbowa").get_json()["results"][0]
    assert first["title"] == 'Opłata <b>skarbowa</b> & "inne"'
    assert first["highlights"]["title"] == "Opłata &lt;b&gt;<mark>skarbowa</mark>&lt;/b&gt; &amp; &#34;inne&#34;"


def test_facet_and_next_page_links_keep_the_query_and_the_other_filter(client, cards):
    html = client.get("/szukaj", query_string={"q": "dowód", "point": "bok-test"}).get_data(as_text=True)
    assert 'href="/szukaj?point=bok-test&amp;category=dokumenty&amp;q=dow%C3%B3d"' in html
    assert 'href="/szukaj?q=dow%C3%B3d">usuń filtr</a>' in html


def test_the_results_page_in_its_kept_layout_is_the_page_rendered_whole(app, client, cards):
    """The layout around the title and results is rendered once per language (kiosk/web/layout.py); every page
    is byte for byte the one render_template gives, whatever the query, language, filters or page."""
    import re

    paths = ["/szukaj?q=dowodu", "/szukaj?q=dowodu&lang=en", "/szukaj?q=паспорт&lang=uk", "/szukaj?q=zzzz",
             "/szukaj?q=<script>alert(1)</script>", "/szukaj?q=dowód&point=bok-test", "/szukaj?q=dowód&page=2",
             "/szukaj", "/szukaj?q=meldunek&lang=pl"]  # fmt: skip

    def pages() -> list[str]:
        # Each search is logged under a new id, which its result links carry.
        return [re.sub(r"id=\d+", "id=N", client.get(path).get_data(as_text=True)) for path in paths]

    kept = pages()
    assert len(app.extensions["web_kept_layouts"]) == 3  # one per language
    app.jinja_env.auto_reload = True  # as when templates are being edited: every page rendered whole
    try:
        whole = pages()
    finally:
        app.jinja_env.auto_reload = False
    assert kept == whole
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in kept[4] and "<script>alert" not in kept[4]
    # Switching the language keeps the search (its query and filters), never the results page it was on.
    assert 'href="/szukaj?q=dowodu&amp;lang=uk"' in kept[0] and 'href="/szukaj?lang=en"' in kept[7]
    assert 'href="/szukaj?q=dow%C3%B3d&amp;point=bok-test&amp;lang=en"' in kept[5]
