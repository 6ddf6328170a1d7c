"""HTTP caching: validators from the published edition and language, 304s, and a publish changes the ETag."""

import json
from datetime import datetime

import pytest
from sqlalchemy import update

from kiosk import clock, create_app
from kiosk.cards import translations as tr_services
from kiosk.cards.translation_models import Translation
from kiosk.page_cache import PageCache
from tests.factories import Factory

from .helpers import MORNING, publish_new_edition


def test_card_page_has_validators_and_proxy_friendly_cache_control(client, team_card):
    with clock.frozen(MORNING):
        response = client.get("/uslugi/dowod-test")
    assert response.status_code == 200
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    cache = response.cache_control
    # browsers keep it a while; nginx only briefly, then revalidates: a publish shows there within 12 s
    assert cache.public and cache.max_age >= 30
    assert cache.s_maxage == 5 and cache.stale_while_revalidate == 5
    assert "Cookie" in response.headers["Vary"]


def test_the_api_is_kept_as_briefly_by_shared_caches_and_revalidates(client, team_card):
    with clock.frozen(MORNING):
        first = client.get("/api/v1/cards/dowod-test")
        again = client.get("/api/v1/cards/dowod-test", headers={"If-None-Match": first.headers["ETag"]})
    assert first.cache_control.s_maxage == 5 and first.cache_control.stale_while_revalidate == 5
    assert again.status_code == 304


def test_conditional_requests_get_304_without_a_body(client, team_card):
    with clock.frozen(MORNING):
        first = client.get("/uslugi/dowod-test")
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        by_etag = client.get("/uslugi/dowod-test", headers={"If-None-Match": etag})
        by_date = client.get("/uslugi/dowod-test", headers={"If-Modified-Since": modified})
        stale = client.get("/uslugi/dowod-test", headers={"If-None-Match": '"something-else"'})
    assert by_etag.status_code == 304 and by_etag.data == b"" and by_etag.headers["ETag"] == etag
    assert by_date.status_code == 304
    assert stale.status_code == 200


def test_publishing_a_new_edition_changes_the_etag_and_the_page(db, factory, client, team_card):
    team, card = team_card
    with clock.frozen(MORNING):
        before = client.get("/uslugi/dowod-test")
    with clock.frozen(datetime(2026, 5, 13, 9, 0)):
        publish_new_edition(db, factory, card, team, title="Dowód osobisty – nowe zasady")
        after = client.get("/uslugi/dowod-test", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert "Dowód osobisty – nowe zasady" in after.get_data(as_text=True)


def test_changing_a_service_point_changes_the_card_page(db, factory, client, team_card):
    with clock.frozen(MORNING):
        before = client.get("/uslugi/dowod-test")
    with clock.frozen(datetime(2026, 5, 13, 8, 30)):
        factory.facts()["location"].address = "Stary Rynek 1, wejście od ul. Zduńskiej 3"
        db.session.commit()
        after = client.get("/uslugi/dowod-test", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and "wejście od ul. Zduńskiej 3" in after.get_data(as_text=True)


def test_opening_or_closing_changes_the_etag(db, factory, client, team_card):
    with clock.frozen(MORNING):
        factory.facts()["location"].opening_hours = {"wed": ["08:00-15:30"]}
        db.session.commit()
    with clock.frozen(datetime(2026, 5, 13, 13, 0)):  # 15:00 local: open
        open_ = client.get("/uslugi/dowod-test")
    with clock.frozen(datetime(2026, 5, 13, 13, 45)):  # 15:45 local: closed
        closed = client.get("/uslugi/dowod-test", headers={"If-None-Match": open_.headers["ETag"]})
        by_date = client.get("/uslugi/dowod-test", headers={"If-Modified-Since": open_.headers["Last-Modified"]})
    assert closed.status_code == 200 and "Teraz zamknięte" in closed.get_data(as_text=True)
    assert by_date.status_code == 200


def test_the_etag_depends_on_the_language(client, team_card):
    with clock.frozen(MORNING):
        polish = client.get("/uslugi/dowod-test")
        english = client.get("/uslugi/dowod-test?lang=en")
        remembered = client.get("/uslugi/dowod-test", headers={"If-None-Match": polish.headers["ETag"]})
    assert english.headers["ETag"] != polish.headers["ETag"]
    assert remembered.status_code == 200 and 'lang="en"' in remembered.get_data(as_text=True)


def test_the_language_switch_response_stays_out_of_shared_caches(client, team_card):
    response = client.get("/?lang=uk")
    assert response.cache_control.private and not response.cache_control.public


def test_home_and_feed_are_conditional_too(client, team_card):
    for path in ("/", "/feed.atom", "/sitemap.xml"):
        first = client.get(path)
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304, path


def test_api_responses_carry_an_etag_and_answer_304(client, team_card):
    first = client.get("/api/v1/cards/dowod-test")
    assert first.cache_control.public and first.headers["ETag"]
    assert client.get("/api/v1/cards/dowod-test", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_validators_are_remembered_for_a_moment_under_load(app, client, team_card):
    app.config["WEB_STAMP_TTL"] = 60
    with clock.frozen(MORNING):
        first = client.get("/uslugi/dowod-test")
        again = client.get("/uslugi/dowod-test", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    version = app.extensions["web_stamps"][("content-version",)][1]
    assert version and app.extensions["web_card_stamps"][("dowod-test", "pl")][0] == version


def test_card_stamps_are_kept_while_the_content_version_stands_and_never_longer(db, factory, app, team_card):
    """With thousands of cards a stamp is rarely asked twice within WEB_STAMP_TTL; it is kept instead while
    the content version (one small query per WEB_STAMP_TTL) stands, and any write to what it reads moves it."""
    from kiosk.cards.stamp import content_version
    from kiosk.page_cache import published_card_stamp
    from kiosk.search import services as search

    team, card = team_card
    app.config["WEB_STAMP_TTL"] = 60
    with app.test_request_context():
        first = published_card_stamp("dowod-test", "pl")
        assert published_card_stamp("dowod-test", "pl") is first  # kept: not read again
        before = content_version()
        search.search("dowód", log_query=True)  # a write to nothing a stamp reads
        db.session.commit()
        assert content_version() == before
        factory.facts()["location"].address = "Stary Rynek 1"  # a shared fact: the version moves
        db.session.commit()
        moved = content_version()
        assert moved != before
        assert published_card_stamp("dowod-test", "pl") is first  # still the remembered version: at most 60 s
        app.extensions["web_stamps"].clear()  # WEB_STAMP_TTL has passed
        refreshed = published_card_stamp("dowod-test", "pl")
        assert refreshed is not first and refreshed.facts != first.facts
        with clock.frozen(datetime(2026, 5, 13, 9, 0)):
            publish_new_edition(db, factory, card, team, title="Dowód osobisty – nowe zasady")
        assert content_version() != moved
        app.extensions["web_stamps"].clear()
        assert published_card_stamp("dowod-test", "pl").parts[0] == card.live_edition_id != first.parts[0]


@pytest.fixture
def other(app):
    """A second process: its own app with its own page cache, facts cache and validators, on the same data."""
    keys = ("TESTING", "SQLALCHEMY_DATABASE_URI", "KIOSK_INDEX_DIR", "SECRET_KEY", "KIOSK_CONTENT_DIR")
    other = create_app({key: app.config[key] for key in keys})
    other.config["WEB_STAMP_TTL"] = 0
    return other  # its engine is disposed with every other engine the test used (tests/conftest.py)


def test_a_publish_or_fact_change_committed_by_another_process_is_never_served_stale(db, team_card, other):
    """Pages cached here (page cache, shared facts, hydrated rows) follow what another process committed."""
    team, card = team_card
    pages = ("/uslugi/dowod-test", "/api/v1/cards/dowod-test", "/kiosk/uslugi/dowod-test")
    client = other.test_client()
    with clock.frozen(MORNING):
        assert all(client.get(path).status_code == 200 for path in pages)  # the other process's caches filled
        assert all(client.get(path).status_code == 200 for path in pages)  # and its fast lane replays them
        assert other.extensions["web_fast_lane"].replays == len(pages)
    with clock.frozen(datetime(2026, 5, 13, 9, 0)):
        publish_new_edition(db, Factory(db), card, team, title="Dowód osobisty – nowe zasady")
        Factory(db).facts()["location"].address = "Stary Rynek 1, wejście od ul. Zduńskiej 3"
        db.session.commit()
        for path in pages:
            response = client.get(path)
            text = json.dumps(response.get_json(), ensure_ascii=False) if response.is_json else response.text
            assert "Dowód osobisty – nowe zasady" in text and "Zduńskiej 3" in text, path


def _shown(response) -> str:
    return json.dumps(response.get_json(), ensure_ascii=False) if response.is_json else response.text


def test_a_translation_published_or_behind_in_another_process_is_never_served_stale(db, factory, team_card, other):
    """The translation rides in the card's stamp: its publish, a Polish edit that puts it behind, and its
    behind flag written straight into the database each reach the other process's cached pages at once."""
    team, card = team_card
    editor, approver, publisher = team
    pages = ("/uslugi/dowod-test?lang=en", "/api/v1/cards/dowod-test?lang=en", "/kiosk/uslugi/dowod-test?lang=en")
    client = other.test_client()
    with clock.frozen(MORNING):
        for path in pages:  # the other process caches the Polish-only pages
            response = client.get(path)
            assert "Getting an ID card" not in _shown(response) and response.headers.get("Content-Language") != "en"
        tr = tr_services.write_translation(card, "en", {"title": "Getting an ID card"}, editor)
        tr_services.submit_translation(tr, editor)
        tr_services.approve_translation(tr, approver)
        tr_services.publish_translation(tr, publisher)
        db.session.commit()
        for path in pages:
            response = client.get(path)
            assert "Getting an ID card" in _shown(response) and "being updated" not in _shown(response), path
        assert all(client.get(path).headers["Content-Language"] == "en" for path in pages[:2])
        assert client.get(pages[1]).get_json()["language"]["translation"]["behind"] is False
        db.session.execute(update(Translation).where(Translation.id == tr.id).values(behind_since=clock.now()))
        db.session.commit()
        for path in (pages[0], pages[2]):
            assert "This translation is being updated" in client.get(path).text, path
        assert client.get(pages[1]).get_json()["language"]["translation"]["behind"] is True
        db.session.execute(update(Translation).where(Translation.id == tr.id).values(behind_since=None))
        db.session.commit()
        assert "being updated" not in client.get(pages[0]).text
    with clock.frozen(datetime(2026, 5, 13, 9, 0)):
        publish_new_edition(db, Factory(db), card, team, title="Dowód osobisty – nowe zasady")  # puts it behind
        for path in pages:
            text = _shown(client.get(path))
            assert "Getting an ID card" not in text and "Dowód osobisty – nowe zasady" in text, path


def test_kiosk_card_screens_come_from_the_page_cache_keyed_on_what_they_show(db, factory, app, client, team_card):
    """A second request is a cache hit (no render); another kiosk, language or query is another page."""
    with clock.frozen(MORNING):
        first = client.get("/kiosk/uslugi/dowod-test")
        cache = app.extensions["web_page_cache"]
        kept = len(cache.entries)
        assert client.get("/kiosk/uslugi/dowod-test").data == first.data and len(cache.entries) == kept
        app.test_client().get("/kiosk/uslugi/dowod-test?lang=en")  # its own client: ?lang= sets a cookie
        client.get("/kiosk/uslugi/dowod-test/druk?format=a4")
        assert len(cache.entries) == kept + 2
    with clock.frozen(datetime(2026, 5, 13, 8, 7)):  # a kept screen prints the time it is served, not made
        later = client.get("/kiosk/uslugi/dowod-test").text
        printed = client.get("/kiosk/uslugi/dowod-test/druk?format=a4").text
        assert len(cache.entries) == kept + 2
    assert "13.05.2026 10:07" in later and "13.05.2026 10:00" in first.text and "10:00" not in later
    assert "wydrukowano 13.05.2026 10:07" in printed and "1901" not in later + printed


def test_a_kiosk_moved_to_another_point_is_never_shown_its_old_placement(db, factory, app, client, team_card):
    from kiosk.kiosk_ui.models import KioskDevice

    location = factory.facts()["location"]
    kiosk = KioskDevice(code="hall-1", name="Hol", location_id=None)
    db.session.add(kiosk)
    db.session.commit()
    with clock.frozen(MORNING):
        before = client.get("/kiosk/uslugi/dowod-test?k=hall-1").text
        kiosk.location_id = location.id
        db.session.commit()
        after = client.get("/kiosk/uslugi/dowod-test?k=hall-1").text
    assert "Gdzie załatwisz:" in before and "Załatwisz to tutaj" not in before
    assert "Załatwisz to tutaj" in after


def test_the_page_cache_is_bounded_by_bytes_as_well_as_by_pages():
    cache = PageCache(size=10, max_bytes=100)
    for i in range(5):
        cache.put(f"p{i}", b"x" * 30)
    assert list(cache.entries) == ["p2", "p3", "p4"] and cache.bytes == 90
    cache.put("p4", b"y" * 10)  # a replaced page gives its bytes back
    assert cache.bytes == 70 and cache.get("p4") == b"y" * 10


def test_kiosk_card_screens_are_kept_once_whatever_else_the_query_carries(db, app, client, team_card):
    """The key holds only what a screen reads of the query: unrelated or hostile arguments share one entry
    (no way to fill the cache with `?x=1`, `?x=2`…) and never break the screen."""
    with clock.frozen(MORNING):
        first = client.get("/kiosk/uslugi/dowod-test")
        cache = app.extensions["web_page_cache"]
        kept = len(cache.entries)
        for query in ("x=1", "x=2", "utm_source=plakat&x=%00", "q=%3Cscript%3Ealert(1)%3C/script%3E", "format=a4",
                      "ok=1.2", "k=", "x=" + "a" * 1500):  # fmt: skip
            response = client.get(f"/kiosk/uslugi/dowod-test?{query}")
            assert response.status_code in (200, 400), query
            assert response.status_code == 400 or response.data == first.data, query
        assert len(cache.entries) == kept
        assert "<script>alert" not in client.get("/kiosk/uslugi/dowod-test?q=<script>alert(1)</script>").text
        client.get("/kiosk/uslugi/dowod-test/druk?format=a4")
        client.get("/kiosk/uslugi/dowod-test/druk?format=a4&x=1")
        client.get("/kiosk/uslugi/dowod-test/lista?ok=0.1")
        client.get("/kiosk/uslugi/dowod-test/lista?ok=0.1&x=2")
        assert len(cache.entries) == kept + 2  # what the print and checklist screens read is part of their key
        unknown = client.get("/kiosk/uslugi/dowod-test?k=nie-ma-takiego-kiosku")
        assert unknown.status_code == 200 and "k=nie-ma-takiego-kiosku" in unknown.text
        assert len(cache.entries) == kept + 2  # an unknown kiosk id is shown in the links but never kept


def test_the_kiosk_screen_s_time_goes_into_its_slot_and_nowhere_else(db, factory, app, client):
    """The kept screen is split around a slot no content can hold; text that looks like a time stays as it is."""
    from kiosk.kiosk_ui.views import MADE_AT_SLOT

    with clock.frozen(MORNING):
        factory.published_card("dowod-test", title="Wniosek z 01.01.1901 00:00 – archiwum")
        first = client.get("/kiosk/uslugi/dowod-test/druk")
    with clock.frozen(datetime(2026, 5, 13, 8, 7)):
        later = client.get("/kiosk/uslugi/dowod-test/druk").text
    kept = next(page for page in app.extensions["web_page_cache"].entries.values() if isinstance(page, tuple))
    assert len(kept) == 2 and all(MADE_AT_SLOT.encode() not in piece for piece in kept)  # around the print time
    assert "01.01.1901 00:00 – archiwum" in first.text and "01.01.1901 00:00 – archiwum" in later
    assert "wydrukowano 13.05.2026 10:00" in first.text and "wydrukowano 13.05.2026 10:07" in later
    assert "\x00" not in later and "made-at-" not in later
