"""Any text is a valid query: results or an empty list, never an error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.search import services

NASTY = [
    '"dowód', "(dowód", "dowód)", "[[", "AND", "OR NOT", "dowód AND NOT", "NOT", "*", "?", "dow*", "d?wód",
    "title:dowód", "slug:*", "dowód~", "dowód~2", "dowód^5", "{a TO z}", "\\", "'", "-", "+", "::", "a" * 10_000,
    "dowód " * 2000, "\x00\x01\x1b[31m\x7f", "dowód\u200b\u200e", "🚗🪪 prawo jazdy 😀", "مرحبا بالعالم",
    "שלום dowód", "\ud7ff", "ＤＯＷÓＤ", "%_%", "'; DROP TABLE card; --",
]  # fmt: skip


def test_nasty_queries_answer_without_error(client, cards):
    for text in NASTY:
        response = services.search(text, log_query=True)
        assert not response.degraded and len(response.query) <= 200, text
        assert isinstance(response.results, list) and isinstance(services.suggest(text), list)
        # Over HTTP the site refuses query strings over 2 KiB (kiosk.web); below that, any text works.
        text = text[:600]
        api = client.get("/api/v1/search", query_string={"q": text})
        assert api.status_code == 200 and isinstance(api.get_json()["results"], list), text
        assert client.get("/szukaj", query_string={"q": text}).status_code == 200, text
        assert client.get("/api/v1/suggest", query_string={"q": text}).status_code == 200, text


def test_query_length_is_capped(app, cards):
    app.config["MAX_QUERY_LENGTH"] = 20
    assert services.search("dowód " * 100).query == "dowód dowód dowód do"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_any_text_is_a_valid_query(cards, text):
    response = services.search(text)
    assert not response.degraded
    assert response.total >= 0 and len(response.query) <= 200
    assert isinstance(services.suggest(text), list)


@pytest.mark.parametrize("path", ["/szukaj", "/api/v1/search", "/api/v1/suggest", "/kiosk/szukaj"])
def test_a_10000_character_query_over_http_gets_an_answer_not_an_error(client, cards, path):
    response = client.get(path, query_string={"q": "dowód osobisty " * 667})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [
        ("dowód osobisty", "dowód osobisty"),  # printable: the fast path, unchanged
        ("  dowód   osobisty ", "dowód osobisty"),
        ("dowód\x00\x01osobisty\x7f", "dowód osobisty"),  # control characters become spaces
        ("dowód\tosobisty\n", "dowód osobisty"),
        ("dow\u200bód\u200e", "dow ód"),  # format characters (zero-width space, LRM) too
        ("dowód\u00a0osobisty", "dowód osobisty"),  # a no-break space is a space
        ("\ud800dowód", "dowód"),  # a lone surrogate
        ("\x00\x01", ""),
        (None, ""),
    ],
)
def test_a_query_keeps_only_printable_words(app, typed, cleaned):
    with app.app_context():
        assert services.clean_query(typed) == cleaned
