"""The fast lane (kiosk/web/fastlane.py): a replayed card page is Flask's own answer, never a stale one."""

import json
from datetime import datetime

import pytest
from sqlalchemy.exc import OperationalError

from kiosk import clock, create_app
from kiosk.cards.services import withdraw_card
from kiosk.kiosk_ui.models import KioskDevice
from kiosk.web.fastlane import replays
from tests.factories import Factory
from tests.ops.conftest import sample

from .helpers import MORNING, publish_new_edition

CARD, KIOSK, API = "/uslugi/dowod-test", "/kiosk/uslugi/dowod-test", "/api/v1/cards/dowod-test"
HALL = "kiosk_id=hall-1"


@pytest.fixture
def hall(db, team_card):
    kiosk = KioskDevice(code="hall-1", name="Hol", location_id=None)
    db.session.add(kiosk)
    db.session.commit()
    return kiosk


@pytest.fixture
def visitor(app):
    """A client that sends only the cookies a test gives it (the test client's jar would keep the session's)."""
    return app.test_client(use_cookies=False)


def flask_answer(app, path: str, **options):
    """The same request answered by Flask with the lane switched off."""
    app.config["WEB_FAST_LANE"] = False
    try:
        return app.test_client(use_cookies=False).open(path, **options)
    finally:
        app.config["WEB_FAST_LANE"] = True


def assert_same_answer(replayed, answered) -> None:
    def headers(response):
        return [(name, value) for name, value in response.headers.items() if name not in ("X-Request-Id", "Date")]

    assert replayed.status == answered.status
    assert headers(replayed) == headers(answered)
    assert replayed.data == answered.data


@pytest.mark.parametrize("path, cookie", [(CARD, None), (CARD + "/druk", None), (KIOSK, None),
                                          (KIOSK + "/druk?format=a4", None), (API, None), (KIOSK, HALL),
                                          (KIOSK + "?k=hall-1", HALL), (CARD, HALL)])  # fmt: skip
def test_a_replay_is_flasks_own_answer(app, visitor, hall, path, cookie):
    headers = {"Cookie": cookie} if cookie else {}
    with clock.frozen(MORNING):  # the kiosk's "made at" time is the same in both answers
        recorded = visitor.get(path, headers=headers)
        taken = replays()
        replayed = visitor.get(path, headers=headers)
        assert replays() == taken + 1, path
        answered = flask_answer(app, path, headers=headers)
    assert recorded.status_code == 200 and "Set-Cookie" not in recorded.headers
    assert_same_answer(replayed, answered)
    assert_same_answer(replayed, recorded)
    assert replayed.headers["X-Request-Id"] != recorded.headers["X-Request-Id"]
    assert int(replayed.headers["Content-Length"]) == len(replayed.data)


def test_the_kiosk_s_time_is_filled_in_by_each_replay(visitor, team_card):
    with clock.frozen(MORNING):
        visitor.get(KIOSK + "/druk")
        first = visitor.get(KIOSK + "/druk")
    with clock.frozen(datetime(2026, 5, 13, 8, 7)):
        taken = replays()
        later = visitor.get(KIOSK + "/druk")
        assert replays() == taken + 1
    assert "wydrukowano 13.05.2026 10:00" in first.text and "wydrukowano 13.05.2026 10:07" in later.text
    assert int(later.headers["Content-Length"]) == len(later.data)


def test_a_language_switch_or_a_session_is_answered_by_flask(app, team_card):
    """`?lang=` writes the session (a Set-Cookie is never recorded); a request with a session goes to Flask."""
    for path in (CARD + "?lang=en", API + "?lang=uk", KIOSK + "?lang=en"):
        client = app.test_client()  # keeps the session cookie the first answer sets
        with clock.frozen(MORNING):
            taken = replays()
            first, again, plain = client.get(path), client.get(path), client.get(path.split("?")[0])
            assert replays() == taken, path
        assert "Set-Cookie" in first.headers and first.status_code == again.status_code == plain.status_code == 200
        assert plain.is_json or f'lang="{path[-2:]}"' in plain.text, path  # the session's language
        if path.startswith(CARD):  # the session's language, without ?lang= in the address
            assert first.headers["Content-Language"] == plain.headers["Content-Language"] == "pl, en"


def test_a_publish_or_fact_change_in_another_process_ends_the_replay(db, app, visitor, team_card):
    team, card = team_card
    with clock.frozen(MORNING):
        for path in (CARD, API, KIOSK):
            visitor.get(path)
        taken = replays()
        assert all(visitor.get(path).status_code == 200 for path in (CARD, API, KIOSK)) and replays() == taken + 3
    with clock.frozen(datetime(2026, 5, 13, 9, 0)):
        other = Factory(db)  # the change is written through another session, as another process would
        publish_new_edition(db, other, card, team, title="Dowód osobisty – nowe zasady")
        other.facts()["location"].address = "Stary Rynek 1, wejście od ul. Zduńskiej 3"
        db.session.commit()
        for path in (CARD, API, KIOSK):
            taken = replays()
            response = visitor.get(path)
            assert replays() == taken, path  # the validators moved: Flask answered (and recorded again)
            text = json.dumps(response.get_json(), ensure_ascii=False) if response.is_json else response.text
            assert "nowe zasady" in text and "Zduńskiej 3" in text, path
            assert_same_answer(visitor.get(path), response)
            assert replays() == taken + 1, path


def test_a_withdrawn_card_is_a_404_at_once(db, visitor, team_card):
    team, card = team_card
    with clock.frozen(MORNING):
        for path in (CARD, KIOSK, API, CARD, KIOSK, API):
            visitor.get(path)
        taken = replays()
        withdraw_card(card, team[2], "nieaktualna")
        db.session.commit()
        assert [visitor.get(path).status_code for path in (CARD, KIOSK, API)] == [404, 404, 404]
        assert replays() == taken


def test_opening_or_closing_ends_the_replay(db, factory, visitor, team_card):
    with clock.frozen(MORNING):
        factory.facts()["location"].opening_hours = {"wed": ["08:00-15:30"]}
        db.session.commit()
    with clock.frozen(datetime(2026, 5, 13, 13, 0)):  # 15:00 local: open
        visitor.get(CARD), visitor.get(KIOSK)
        open_card, open_kiosk = visitor.get(CARD), visitor.get(KIOSK)
    with clock.frozen(datetime(2026, 5, 13, 13, 45)):  # 15:45 local: closed
        taken = replays()
        closed_card, closed_kiosk = visitor.get(CARD), visitor.get(KIOSK)
        assert replays() == taken
    assert "Teraz zamknięte" not in open_card.text and "Teraz zamknięte" in closed_card.text
    assert open_card.headers["ETag"] != closed_card.headers["ETag"]
    assert open_kiosk.data != closed_kiosk.data


def test_a_kiosk_moved_or_retired_ends_the_replay(db, factory, visitor, hall):
    with clock.frozen(MORNING):
        visitor.get(KIOSK, headers={"Cookie": HALL})
        before = visitor.get(KIOSK, headers={"Cookie": HALL})
        taken = replays()
        hall.location_id = factory.facts()["location"].id
        db.session.commit()
        moved = visitor.get(KIOSK, headers={"Cookie": HALL})
        assert replays() == taken
        hall.retired_at = clock.now()
        db.session.commit()
        retired = visitor.get(KIOSK, headers={"Cookie": HALL})
        assert replays() == taken
    assert "Załatwisz to tutaj" not in before.text and "Załatwisz to tutaj" in moved.text
    assert "Załatwisz to tutaj" not in retired.text and "k=hall-1" in retired.text  # unknown now: never kept


@pytest.mark.parametrize("headers", [{"If-None-Match": '"x"'}, {"If-Modified-Since": "Wed, 13 May 2026 08:00:00 GMT"},
                                     {"Range": "bytes=0-10"}, {"If-Range": '"x"'}, {"Authorization": "Basic eDp5"},
                                     {"If-Match": '"x"'}, {"Cookie": "session=forged"},
                                     {"Cookie": "other=1"}, {"Cookie": HALL + "; other=1"},
                                     {"Cookie": HALL + "; kiosk_id=elsewhere"}])  # fmt: skip
def test_a_request_with_conditions_credentials_or_other_cookies_goes_to_flask(app, visitor, hall, headers):
    for path in (CARD, KIOSK, API):
        with clock.frozen(MORNING):
            visitor.get(path)
            taken = replays()
            response = visitor.get(path, headers=headers)
            assert replays() == taken, (path, headers)
            assert_same_answer(response, flask_answer(app, path, headers=headers))


def test_head_and_other_methods_go_to_flask(app, visitor, team_card):
    with clock.frozen(MORNING):
        visitor.get(CARD)
        taken = replays()
        head = visitor.head(CARD)
        post = visitor.post(CARD)
        assert replays() == taken
        assert_same_answer(head, flask_answer(app, CARD, method="HEAD"))
    assert head.status_code == 200 and head.data == b"" and post.status_code in (400, 405)


@pytest.mark.parametrize("query", ["lang=xx", "lang=", "x=%00", "k=%00", "x=" + "a" * 3000])
def test_a_refused_query_is_never_recorded(app, visitor, team_card, query):
    for path in (CARD, KIOSK, API):
        with clock.frozen(MORNING):
            first = visitor.get(f"{path}?{query}")
            taken = replays()
            again = visitor.get(f"{path}?{query}")
        assert first.status_code == again.status_code == 400, (path, query)
        assert replays() == taken


def test_unknown_pages_and_kiosks_and_cookie_setting_answers_are_never_recorded(app, visitor, hall):
    store_size = lambda: len(app.extensions["web_fast_lane"].records)  # noqa: E731
    with clock.frozen(MORNING):
        visitor.get(CARD)
        kept = store_size()
        for path in ("/uslugi/nie-ma-takiej", "/kiosk/uslugi/nie-ma-takiej", "/api/v1/cards/nie-ma-takiej",
                     "/uslugi/dowod-test%00", KIOSK + "?k=nie-ma-takiego", KIOSK + "?k=hall-1"):  # fmt: skip
            first, again = visitor.get(path), visitor.get(path)
            assert first.status_code == again.status_code and store_size() == kept, path
        assert "Set-Cookie" in visitor.get(KIOSK + "?k=hall-1").headers  # the start URL leaves the kiosk's cookie


def test_a_replay_takes_a_valid_request_id_and_replaces_a_hostile_one(visitor, team_card):
    with clock.frozen(MORNING):
        visitor.get(CARD)
        taken = replays()
        given = visitor.get(CARD, headers={"X-Request-Id": "abc123def456"})
        hostile = visitor.get(CARD, headers={"X-Request-Id": 'x\u2028"}{evil' + "a" * 100})
        assert replays() == taken + 2
    assert given.headers["X-Request-Id"] == "abc123def456"
    assert len(hostile.headers["X-Request-Id"]) == 32 and "evil" not in hostile.headers["X-Request-Id"]


def test_replays_are_counted_under_their_route(visitor, team_card):
    scrape = lambda: visitor.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"}).text  # noqa: E731
    with clock.frozen(MORNING):
        for path in (CARD, KIOSK, API):
            visitor.get(path)
        before = scrape()
        taken = replays()
        for path in (CARD, KIOSK, API):
            visitor.get(path)
        assert replays() == taken + 3
        after = scrape()
    for route in ("/uslugi/<slug>", "/kiosk/uslugi/<slug>", "/api/v1/cards/<slug>"):
        for name, labels in (("okienko_http_requests_total", {"status": "200"}),
                             ("okienko_http_request_duration_seconds_count", {})):  # fmt: skip
            labels = {"route": route, "method": "GET", **labels}
            assert sample(after, name, **labels) == sample(before, name, **labels) + 1, (route, name)


def test_a_database_down_at_replay_is_flasks_503(monkeypatch, visitor, team_card):
    with clock.frozen(MORNING):
        visitor.get(CARD), visitor.get(API)
        for read in ("content_version", "card_stamp", "versioned_card_stamp"):  # every read of the validators
            monkeypatch.setattr(f"kiosk.page_cache.{read}", _database_down)
        taken = replays()
        responses = [visitor.get(CARD), visitor.get(API)]
        assert replays() == taken
    assert all(r.status_code == 503 and r.headers["Retry-After"] == "5" for r in responses)


def _database_down(*args):
    raise OperationalError("SELECT 1", {}, Exception("connection refused"))


def test_a_page_gone_from_the_page_cache_is_rendered_again(app, visitor, team_card):
    with clock.frozen(MORNING):
        recorded = visitor.get(CARD)
        app.extensions["web_page_cache"].entries.clear()
        taken = replays()
        again = visitor.get(CARD)
        assert replays() == taken
        assert_same_answer(again, recorded)
        visitor.get(CARD)
        assert replays() == taken + 1


@pytest.mark.parametrize("setting", ["WEB_FAST_LANE", "WEB_PAGE_CACHE"])
def test_the_lane_is_off_with_its_setting_or_without_the_page_cache(app, visitor, team_card, setting):
    app.config[setting] = False
    with clock.frozen(MORNING):
        responses = [visitor.get(CARD) for _ in range(3)]
    assert replays() == 0 and all(r.status_code == 200 for r in responses)


def test_the_lane_keeps_at_most_as_many_records_as_the_page_cache_pages(app, visitor, team_card):
    app.config["WEB_PAGE_CACHE_SIZE"] = 3
    with clock.frozen(MORNING):
        for i in range(10):
            assert visitor.get(f"{CARD}?x={i}").status_code == 200
    records = app.extensions["web_fast_lane"].records
    assert len(records) == 3 and [key[1] for key in records] == ["x=7", "x=8", "x=9"]


@pytest.fixture
def proxied(app, team_card):
    """The app as deployed behind nginx: one trusted proxy hop and an allow-list of host names."""
    proxied = create_app({**app.config, "PROXY_HOPS": "1", "KIOSK_TRUSTED_HOSTS": ["localhost"]})
    with proxied.app_context():
        yield proxied


def test_the_lane_sits_under_the_host_check_and_the_proxy_fix(proxied):
    client = proxied.test_client(use_cookies=False)
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.9"}
    with clock.frozen(MORNING):
        for headers in ({}, https, {}, https):  # each recorded, then replayed
            assert client.get(API, headers=headers).status_code == 200
        assert replays() == 2
        refused = [client.get(API, headers={"Host": "evil.example"}) for _ in range(2)]
    assert all(r.status_code == 400 and r.data == b"400 Bad Request: unknown host name.\n" for r in refused)
    schemes = sorted(key[3] for key in proxied.extensions["web_fast_lane"].records)
    assert schemes == ["http", "https"]  # the scheme the proxy fix read from nginx, not the raw connection's
