"""Hostile input on every public route and the API never gets a 5xx (a bounded, generated corpus).

Routes come from `app.url_map`, so a new public page is fuzzed without touching this file. For each
route: every path parameter gets every hostile value; every query or form argument the route actually
reads (recorded on a first, clean request) gets every hostile value; and `url_for`'s own options
(`_external`, `_anchor`, `_method`, `_scheme`) and names that collide with path parameters are passed in.
Runs on SQLite and, with KIOSK_TEST_DATABASE_URL, on PostgreSQL (which refuses NUL in text and
integers beyond its range).
"""

import time

import pytest
from werkzeug.datastructures import ImmutableMultiDict

from kiosk.extensions import db
from kiosk.requestargs import GuardedRequest
from kiosk.search import services

# Percent-encoded as they travel in a URL: NUL, Unicode digits (superscript two, Arabic-Indic three), integers
# beyond PostgreSQL's and SQLite's range, signs, stray and invalid percent escapes, a UTF-16 surrogate as
# UTF-8 bytes, markup, a header injection, empty, and a value long enough to pass the query-string limit.
HOSTILE = [
    "%00", "a%00b", "%C2%B2", "%D9%A3", "99999999999999999999", "2147483648", "-1", "0", "%", "%ff%fe",
    "%ED%A0%80", "%3Cscript%3E", "%0d%0aX:%20y", "", "x" * 1500,
]  # fmt: skip
# Path segments (a slash would only change the route).
HOSTILE_PATH = ["%00", "a%00b", "%C2%B2", "%D9%A3", "99999999999999999999", "%ED%A0%80", "%ff", "%", "a" * 4000,
                "%2e%2e", "..%2F..%2Fx", "%20"]  # fmt: skip
URL_FOR_OPTIONS = "_external=1&_anchor=x%22&_method=POST&_scheme=javascript&slug=x&case_id=1&filename=x&k=zz"
FORM_NAMES = ("message", "contact", "kind", "k", "username", "password", "next", "csrf_token", "q")
PUBLIC_ADMIN = ("admin_auth.login",)  # under /admin/ but open to anyone
TIME_BUDGET = 30  # CPU seconds


class _Recorder(ImmutableMultiDict):
    """Query and form storage that notes every argument name a view reads."""

    read: set = set()

    def get(self, key, default=None, type=None):
        _Recorder.read.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):
        _Recorder.read.add(key)
        return super().getlist(key, type)

    def __getitem__(self, key):
        _Recorder.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        _Recorder.read.add(key)
        return super().__contains__(key)


class RecordingRequest(GuardedRequest):
    parameter_storage_class = _Recorder


@pytest.fixture
def site(app, db, factory):
    factory.published_card("dowod-osobisty", forms=[{"title": "Wniosek", "url": "/static/wniosek.pdf"}])
    db.session.commit()
    services.rebuild()
    app.request_class = RecordingRequest
    app.config["WTF_CSRF_ENABLED"] = False  # reach the handlers, not just the CSRF check
    app.config["PROPAGATE_EXCEPTIONS"] = False  # an error is a 500 to count, not the end of the run
    return app


def public_rules(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.rule.startswith("/admin") and rule.endpoint not in PUBLIC_ADMIN:
            continue
        yield rule


def valid_path(rule, override: tuple[str, str] | None = None) -> str:
    """The rule's path with working values (one parameter replaced by `override`)."""
    defaults = {"slug": _slug_for(rule.rule), "filename": "x.css", "name": "x", "case_id": "1", "card_id": "1"}
    path = rule.rule
    for arg in rule.arguments:
        value = override[1] if override and override[0] == arg else defaults.get(arg, "x")
        path = path.replace(f"<{_converter(rule, arg)}{arg}>", value)
    return path


def _converter(rule, arg: str) -> str:
    return next((f"{c}:" for c in ("int", "path", "string") if f"<{c}:{arg}>" in rule.rule), "")


def _slug_for(path: str) -> str:
    for prefix, slug in (("kategorie", "dokumenty"), ("sytuacje", "przeprowadzka"), ("punkty", "bok-test")):
        if f"/{prefix}/" in path:
            return slug
    return "dowod-osobisty"


def fuzz_route(client, rule, failures: list) -> int:
    method = "GET" if "GET" in rule.methods else "POST"

    def hit(path: str, query: str = "", form: dict | None = None) -> None:
        url = f"{path}?{query}" if query else path
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data=form or {}, headers={"Content-Type": "application/x-www-form-urlencoded"})
        if response.status_code >= 500:
            shown = {k: str(v)[:40] for k, v in (form or {}).items()}
            failures.append((method, url[:200], shown, response.status_code))
        sent[0] += 1

    sent = [0]
    _Recorder.read = set()
    hit(valid_path(rule))
    names = (_Recorder.read | set(FORM_NAMES if method == "POST" else ())) - {"lang"}
    for arg in rule.arguments:
        for value in HOSTILE_PATH:
            hit(valid_path(rule, (arg, value)))
    path = valid_path(rule)
    hit(path, URL_FOR_OPTIONS)
    for name in sorted(names):
        for value in HOSTILE:
            if method == "GET":
                hit(path, f"{name}={value}")
            else:
                hit(path, f"{name}={value}", form={name: _decoded(value)})
    return sent[0]


def _decoded(value: str) -> str:
    from urllib.parse import unquote

    return unquote(value, errors="surrogateescape").encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def test_no_public_route_answers_5xx_to_hostile_input(site):
    client = site.test_client()
    failures, sent, started = [], 0, time.process_time()
    rules = list(public_rules(site))
    assert len(rules) > 30  # the map really was enumerated
    for rule in rules:
        sent += fuzz_route(client, rule, failures)
    for value in ("%00", "xx", "%C2%B2", "x" * 500):  # the language switch is read by every page: once is enough
        response = client.get(f"/?lang={value}")
        if response.status_code >= 500:
            failures.append(("GET", f"/?lang={value}", {}, response.status_code))
    elapsed = time.process_time() - started  # CPU time: a busy machine does not make the test flaky
    assert not failures, f"{len(failures)} of {sent} requests failed: {failures[:20]}"
    assert elapsed < TIME_BUDGET, f"fuzzing took {elapsed:.0f} s for {sent} requests"


def test_heartbeat_with_hostile_json_is_never_a_5xx(site, factory):
    from kiosk.kiosk_ui.services import register_kiosk

    _kiosk, token = register_kiosk("bok-1", "BOK – hol", factory.facts()["location"])
    db.session.commit()
    client = site.test_client()
    bodies = [{"kiosk": "bok-1", "version": 10**30}, {"kiosk": "bok-1", "version": 2**31},
              {"kiosk": "bok-1", "version": "²"}, {"kiosk": "bok-1", "error": "zły\x00błąd"},
              {"kiosk": "bok-1\x00"}, {"kiosk": ["bok-1"]}, {"kiosk": "x" * 5000}, [], "x", None, 7]  # fmt: skip
    for body in bodies:
        response = client.post("/kiosk/heartbeat", json=body, headers={"X-Kiosk-Token": token})
        assert response.status_code < 500, (body, response.status_code)
