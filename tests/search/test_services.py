"""The search interface: Polish matching, weights, filters, suggestions, the log, the fallback."""

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy import text as sql

from kiosk.clock import frozen
from kiosk.search import query_log, services
from kiosk.search.models import SearchQuery


def slugs(response):
    return [hit.slug for hit in response.results]


def test_inflected_and_undiacritised_and_misspelt_words_find_the_card(cards):
    for text in ("dowodu osobistego", "dowod", "DOWÓD", "dowud osobsty", "zameldowania", "zameldowanie na stale"):
        response = services.search(text)
        assert response.total >= 1 and not response.degraded, text
        assert slugs(response)[0] in {"dowod-osobisty-wydanie", "zameldowanie-pobyt-staly"}, text
    assert slugs(services.search("zameldowanie"))[0] == "zameldowanie-pobyt-staly"


def test_colloquial_words_come_from_synonyms(cards):
    assert slugs(services.search("rejestracja auta"))[0] == "rejestracja-pojazdu"
    assert slugs(services.search("meldunek"))[0] == "zameldowanie-pobyt-staly"


def test_title_outweighs_body(cards):
    found = slugs(services.search("pojazd"))
    assert found.index("rejestracja-pojazdu") < found.index("karta-z-pojazdem-w-tresci")


def test_results_carry_escaped_highlights(cards):
    hit = services.search("dowodu").results[0]
    assert "<mark>dowodu</mark>" in hit.highlights["title"]
    assert "<script>" not in services.search("<script>dowód").results[0].highlights["title"]


def test_filters_and_facets(cards, factory):
    response = services.search("dowód")
    assert response.facets["category"][0]["value"] == "dokumenty"
    assert response.facets["point"][0] == {"value": "bok-test", "label": "BOK", "count": response.total}
    assert services.search("dowód", category="dokumenty").total == response.total
    assert services.search("dowód", category="inna").total == 0
    assert services.search("dowód", point="bok-test").total == response.total


def test_did_you_mean_on_the_unfolded_field(cards):
    assert services.search("zameldowanei").suggestion == "zameldowanie"
    assert services.search("dowód").suggestion is None


def test_no_match_or_empty_query_shows_the_most_used_cards(cards):
    services.record_opened("zameldowanie-pobyt-staly", "meldunek")
    services.record_opened("zameldowanie-pobyt-staly", "meldunek")
    services.record_opened("rejestracja-pojazdu", "auto")
    for text in ("", "   ", "xyzzyqwv"):
        response = services.search(text)
        assert response.total == 0
        assert slugs(response)[:2] == ["zameldowanie-pobyt-staly", "rejestracja-pojazdu"]


def test_the_most_used_cards_are_kept_a_while_but_never_offer_a_withdrawn_card(app, cards, factory, db):
    from kiosk.cards import services as card_services

    app.config["SEARCH_POPULAR_TTL"] = 600
    services.record_opened("rejestracja-pojazdu", "auto")
    db.session.commit()
    assert slugs(services.search("xyzzyqwv"))[0] == "rejestracja-pojazdu"
    for _ in range(3):  # more opens within the TTL: the kept list may be that old
        services.record_opened("zameldowanie-pobyt-staly", "meldunek")
    db.session.commit()
    assert slugs(services.search("xyzzyqwv"))[0] == "rejestracja-pojazdu"
    card_services.withdraw_card(cards["auto"], factory.team()[2])
    db.session.commit()  # the change log moves: the list is read anew at once
    found = slugs(services.search("xyzzyqwv"))
    assert "rejestracja-pojazdu" not in found and found[0] == "zameldowanie-pobyt-staly"
    app.config["SEARCH_POPULAR_TTL"] = 0  # unkept: each search reads the log
    services.record_opened("dowod-osobisty-wydanie", "dowód")
    for _ in range(4):
        services.record_opened("dowod-osobisty-wydanie", "dowód")
    db.session.commit()
    assert slugs(services.search("xyzzyqwv"))[0] == "dowod-osobisty-wydanie"


def test_suggest_completes_titles_as_you_type(cards):
    assert services.suggest("zamel")[0] == {"text": "Zameldowanie na pobyt stały", "slug": "zameldowanie-pobyt-staly"}
    assert services.suggest("rejestracja poj")[0]["slug"] == "rejestracja-pojazdu"
    assert services.suggest("z") == []


def test_queries_are_logged_without_personal_data_and_gaps_are_reported(cards, db):
    services.search("dowód", log_query=True)
    for _ in range(2):
        services.search("psy rasy niebezpiecznej", log_query=True)
    services.search("pesel 85010112345 jan@example.com", log_query=True)
    db.session.commit()
    texts = [q.text for q in db.session.query(SearchQuery)]
    assert not any("85010112345" in t or "jan@example.com" in t for t in texts)
    gaps = services.query_gaps()
    assert (gaps[0].query, gaps[0].zero_results) == ("psy rasy niebezpiecznej", 2)
    assert not any(g.query in ("dowód", "dowod") and g.zero_results for g in gaps)


def test_a_logged_search_is_one_row_with_its_count_and_time_committed_without_waiting_for_the_disk(cards, db):
    at = datetime(2026, 11, 4, 9, 30, tzinfo=UTC)
    postgresql = db.engine.dialect.name == "postgresql"
    with frozen(at):
        response = services.search("dowodu  88010112345", log_query=True)
        if postgresql:  # committed at once on a connection of its own, before the session commits anything
            with db.engine.connect() as other:
                logged = other.execute(select(SearchQuery.text).where(SearchQuery.id == response.query_id))
                assert logged.scalar() == "dowodu …"
            # a statistic: its commit need not wait for the WAL flush (set in the statement itself)
            assert "set_config('synchronous_commit', 'off', true)" in str(query_log._LOG_SQL["postgresql"])
        db.session.add(SearchQuery(text="through the model", result_count=0))
        db.session.commit()
    columns = (SearchQuery.id, SearchQuery.text, SearchQuery.result_count, SearchQuery.at, SearchQuery.opened_slug)
    row = db.session.execute(select(*columns).where(SearchQuery.id == response.query_id)).one()
    assert tuple(row) == (response.query_id, "dowodu …", response.total, at, None) and response.total >= 1
    stored = db.session.execute(sql("SELECT DISTINCT at FROM search_query")).all()  # as the model stores it
    assert len(stored) == 1, stored


def test_opening_a_result_is_recorded_on_its_query(cards, db):
    response = services.search("meldunek", log_query=True)
    assert services.record_opened("zameldowanie-pobyt-staly", "meldunek", response.query_id)
    assert db.session.get(SearchQuery, response.query_id).opened_slug == "zameldowanie-pobyt-staly"
    assert not services.record_opened("nie-ma-takiej", "meldunek")


def test_common_body_words_are_pruned_only_at_scale_and_never_lose_all_results(cards, monkeypatch):
    from kiosk.search import query

    found_everywhere = slugs(services.search("pojazd"))
    monkeypatch.setattr(query, "MIN_DOCS_TO_PRUNE", 1)  # act as if this were a large catalogue
    pruned = slugs(services.search("pojazd"))
    assert "karta-z-pojazdem-w-tresci" in found_everywhere and "karta-z-pojazdem-w-tresci" not in pruned
    assert pruned[0] == found_everywhere[0] == "rejestracja-pojazdu"
    monkeypatch.setattr(query, "COMMON_SHARE", 0.0)  # every body word counts as common
    assert "karta-z-pojazdem-w-tresci" in slugs(services.search("ciężarowego"))  # only in a body: full query
