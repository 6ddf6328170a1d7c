"""Metrics, request ids, JSON logs, proxy trust and error pages as a production server needs them."""

import io
import json
import logging
import re
import shutil

import pytest

from kiosk import create_app
from kiosk.ops import instruments, logs
from kiosk.ops.proxy import proxy_hops
from kiosk.search import services as search

from .conftest import sample

LOOPBACK = {"REMOTE_ADDR": "127.0.0.1"}
ELSEWHERE = {"REMOTE_ADDR": "203.0.113.7"}


def scrape(client, **headers) -> str:
    response = client.get("/metrics", environ_base=LOOPBACK, headers=headers)
    assert response.status_code == 200, response.status_code
    assert response.content_type.startswith("text/plain; version=0.0.4")
    return response.get_data(as_text=True)


def test_metrics_count_requests_by_route_template_and_status(client, factory):
    factory.published_card("dowod-osobisty")
    before = scrape(client)
    client.get("/uslugi/dowod-osobisty")
    client.get("/uslugi/nie-ma-takiej")
    client.get("/zupelnie/nieznany/adres")
    after = scrape(client)
    route = "/uslugi/<slug>"
    ok = {"route": route, "method": "GET", "status": "200"}
    missing = {"route": route, "method": "GET", "status": "404"}
    assert sample(after, "okienko_http_requests_total", **ok) == sample(before, "okienko_http_requests_total", **ok) + 1
    assert sample(after, "okienko_http_requests_total", **missing) >= 1
    assert 'route="<unmatched>"' in after and "/zupelnie/nieznany" not in after  # a path is never a label
    assert sample(after, "okienko_http_request_duration_seconds_count", route=route, method="GET") >= 2
    assert 'okienko_http_request_duration_seconds_bucket{le="0.1",method="GET",route="/uslugi/<slug>"}' in after


def test_metrics_report_search_latency_and_degraded_searches(client, factory, app, tmp_path):
    factory.published_card("dowod-osobisty")
    search.rebuild()
    before = scrape(client)
    client.get("/szukaj?q=dowod")
    app.config["KIOSK_INDEX_DIR"] = str(tmp_path / "not-a-dir")
    (tmp_path / "not-a-dir").write_text("broken")  # the index cannot open: the database answers
    client.get("/szukaj?q=dowod")
    after = scrape(client)
    count = "okienko_search_duration_seconds_count"
    assert sample(after, count) == sample(before, count) + 2
    assert sample(after, "okienko_search_degraded_total") == sample(before, "okienko_search_degraded_total") + 1


def test_metrics_report_state_from_the_database(app, client, factory, db, tmp_path):
    from kiosk.kiosk_ui.services import register_kiosk

    factory.published_card("dowod-osobisty")
    search.rebuild()
    shutil.copytree(app.config["KIOSK_INDEX_DIR"], tmp_path / "other-server-index")
    factory.published_card("prawo-jazdy")
    register_kiosk("bok-1", "Kiosk w BOK", None)
    db.session.commit()
    app.config["KIOSK_INDEX_DIR"] = str(tmp_path / "other-server-index")  # an index that missed the publish
    text = scrape(client)
    assert sample(text, "okienko_search_index_lag_changes") == 1
    client.get("/szukaj?q=dowod")  # a search catches the index up
    assert sample(scrape(client), "okienko_search_index_lag_changes") == 0
    assert sample(text, "okienko_freshness_cards", state="unchecked") == 2  # no `freshness check` has run yet
    assert sample(text, "okienko_intake_cases_open", status="registered") == 0
    assert "okienko_intake_supplements_overdue 0.0" in text
    assert sample(text, "okienko_kiosks_silent") == 1  # never sent a heartbeat


@pytest.mark.parametrize(
    ("environ", "headers", "allowed"),
    [
        (LOOPBACK, {}, True),
        (ELSEWHERE, {}, False),
        (LOOPBACK, {"X-Forwarded-For": "203.0.113.7"}, False),  # through the local nginx: not local
        (ELSEWHERE, {"Authorization": "Bearer wrong-token-wrong-token"}, False),
        (ELSEWHERE, {"Authorization": "Bearer scrape-token-0123456789"}, True),
        (LOOPBACK, {"Authorization": "Bearer wrong-token-wrong-token"}, False),
    ],
)
def test_metrics_are_only_for_loopback_or_the_token(app, client, environ, headers, allowed):
    app.config["METRICS_TOKEN"] = "scrape-token-0123456789"
    response = client.get("/metrics", environ_base=environ, headers=headers)
    assert response.status_code == (200 if allowed else 404)
    assert response.headers.get("Cache-Control") == ("no-store" if allowed else response.headers.get("Cache-Control"))


def test_metrics_without_a_token_setting_refuse_any_bearer(client):
    assert client.get("/metrics", environ_base=ELSEWHERE, headers={"Authorization": "Bearer "}).status_code == 404


def test_request_id_is_taken_from_the_proxy_or_made_and_always_answered(client):
    given = client.get("/robots.txt", headers={"X-Request-Id": "abc123def456"})
    assert given.headers["X-Request-Id"] == "abc123def456"
    made = client.get("/robots.txt")
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["X-Request-Id"])
    hostile = client.get("/robots.txt", headers={"X-Request-Id": 'x\u2028"}{evil' + "a" * 100})
    assert re.fullmatch(r"[0-9a-f]{32}", hostile.headers["X-Request-Id"])


@pytest.fixture
def boom_app(fresh_app):
    """The test app with a route that fails, and its log captured as JSON lines."""
    app = fresh_app

    @app.get("/test-boom")
    def boom():
        raise RuntimeError("secret detail: password=hunter2")

    @app.get("/api/v1/test-boom")
    def api_boom():
        raise RuntimeError("secret detail: password=hunter2")

    stream = io.StringIO()
    level = app.logger.level
    handler = logs.install_json_logging(app.logger, stream)
    app.ops_log = stream
    yield app
    app.logger.removeHandler(handler)
    app.logger.setLevel(level)


def test_an_error_shows_no_trace_but_the_json_log_has_it_with_the_request_id(boom_app):
    client = boom_app.test_client()
    for path in ("/test-boom", "/api/v1/test-boom"):
        response = client.get(path, headers={"X-Request-Id": "req-0000-1111"})
        body = response.get_data(as_text=True)
        assert response.status_code == 500
        assert "Traceback" not in body and "hunter2" not in body and "RuntimeError" not in body
        assert response.headers["X-Request-Id"] == "req-0000-1111"
    lines = [json.loads(line) for line in boom_app.ops_log.getvalue().splitlines()]
    errors = [e for e in lines if e["level"] == "error"]
    assert len(errors) == 2
    assert {e["request_id"] for e in errors} == {"req-0000-1111"}
    assert errors[0]["path"] == "/test-boom" and "hunter2" in errors[0]["exc"]
    assert errors[0]["ts"].endswith("+00:00")


def test_json_logging_is_switched_on_by_the_setting(database_url, tmp_path):
    level = logging.getLogger("kiosk").level
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "LOG_FORMAT": "json",
                      "KIOSK_INDEX_DIR": str(tmp_path / "i")})  # fmt: skip
    try:
        assert [h.get_name() for h in app.logger.handlers] == [logs.HANDLER_NAME]
        assert isinstance(app.logger.handlers[0].formatter, logs.JsonFormatter)
    finally:
        for handler in list(app.logger.handlers):
            app.logger.removeHandler(handler)
        app.logger.setLevel(level)


def test_json_lines_outside_a_request_carry_no_request_fields():
    record = logging.LogRecord("kiosk", logging.WARNING, __file__, 1, "zażółć %s", ("gęślą",), None)
    entry = json.loads(logs.JsonFormatter().format(record))
    assert entry["msg"] == "zażółć gęślą" and entry["level"] == "warning" and "request_id" not in entry


def test_one_trusted_proxy_hop_takes_the_address_nginx_appended(app, fresh_app):
    @fresh_app.get("/test-whoami")
    def whoami():
        from flask import request

        return {"addr": request.remote_addr, "scheme": request.scheme}

    spoofed = {"X-Forwarded-For": "1.2.3.4, 198.51.100.9", "X-Forwarded-Proto": "https"}
    direct = fresh_app.test_client().get("/test-whoami", headers=spoofed, environ_base=LOOPBACK).json
    assert direct == {"addr": "127.0.0.1", "scheme": "http"}  # default 0 hops: headers ignored

    proxied_app = create_app({**app.config, "PROXY_HOPS": "1"})
    proxied_app.add_url_rule("/test-whoami", view_func=whoami)
    proxied = proxied_app.test_client().get("/test-whoami", headers=spoofed, environ_base=LOOPBACK).json
    assert proxied == {"addr": "198.51.100.9", "scheme": "https"}  # never the forged 1.2.3.4


@pytest.mark.parametrize("value", ["-1", "two", "9"])
def test_a_bad_proxy_hop_setting_stops_the_start_with_a_message(value):
    with pytest.raises(RuntimeError, match="KIOSK_PROXY_HOPS"):
        proxy_hops(value)


def test_registry_lists_every_live_metric_once():
    names = [m._name for m in instruments.LIVE]
    assert len(names) == len(set(names))
