"""The fast lane: a card page the page cache holds, answered below Flask by one WSGI layer.

A page-cache hit of a card page costs little work of its own; most of what is left is Flask's request
machinery and the hooks every request runs. So the first time Flask answers such a page, this layer
**records** what it sent (status and headers, after every after_request hook), and later requests for the
same page are **replayed** from that record and the body the page cache holds, once the page's validators
are read again and found unchanged.

What a view leaves (`offer`): the function that computes its page's key (the view calls the same one, so the
rule lives in one place), its arguments, the value it returned, the page-cache entry holding the body and,
for the kiosk, how each response fills in its "made at" time. Only the card page (`/uslugi/<slug>`, its print
version), the kiosk's card screens and the API's card JSON offer anything.

The record's key is the request's identity: path, exact query string, Host, scheme (after the proxy fix: this
layer sits right under it) and the kiosk_id cookie. Only a plain GET is recorded or replayed: no other cookie,
no conditional or Range header, no Authorization (Flask answers those, 304s included). A response is recorded
only when it is a 200 with no Set-Cookie, so a `?lang=` switch (it writes the session) is never replayed.

Every replay reads the validators anew with the view's own function (the card's stamp, remembered per
WEB_STAMP_TTL like every validator, with the opening state where the page shows it; the kiosk's identity and
asset version; the deployed templates' fingerprint) and replays only when they equal the recorded ones, so it
is never staler than Flask's own page-cache hit. Otherwise, or when the read fails (the database is down),
Flask answers (a new page, recorded again; or the usual 503). The body is fetched from the page cache under
the recorded name, so no body is held twice and the page cache's bound still bounds them; an evicted page
falls through to Flask too.

Why a replay equals Flask's answer, hook by hook (`grep -rn "before_request\\|after_request" kiosk admin`):
- request id (ops.logs): done here with the same function; metrics (ops.instruments): counted here under
  the route's rule, with the same function.
- NUL refusal (requestargs), query length and `?lang=` (web.views.check_query_and_language): functions of the
  path and query, which are in the key; they refuse with a 400, which is never recorded. A valid `?lang=`
  writes the session: a Set-Cookie, never recorded. Babel's `refresh()` only drops a per-context cache.
- CSRF (Flask-WTF): checks no GET. Sessions: no session cookie is let through, so the session is empty;
  written, it sets a cookie (never recorded). Flask-Login's remember cookie: a Set-Cookie, never recorded.
- the kiosk's identify_kiosk: a function of `?k=` and the kiosk_id cookie (in the key); the kiosk it finds
  is looked up again by every replay (its name, point, printer are part of the screen's key). An unknown
  kiosk id is never kept, so never offered. remember_kiosk: a Set-Cookie, never recorded.
- security headers, cache headers, ETag, Last-Modified, Vary, Content-Language, the API's CORS and ETag:
  functions of the configuration, the method, the path, the query and the validators: recorded.
- per request: X-Request-Id, Content-Length (the kiosk's time varies in length) and Date (the API's
  make_conditional writes one) are made anew by each replay.
Settings are read at start-up and not changed under a running process.

The store holds at most WEB_PAGE_CACHE_SIZE records (headers and validators, no bodies), the oldest dropped
first: a flood of distinct query strings can only push records out, never grow memory or serve a wrong page.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock

from flask import Flask, current_app, request
from werkzeug.http import http_date, parse_cookie

from kiosk.kiosk_ui import COOKIE
from kiosk.ops.instruments import observe
from kiosk.ops.logs import HEADER as REQUEST_ID
from kiosk.ops.logs import request_id_from
from kiosk.page_cache import DEFAULT_PAGES, page_cache

OFFER = "okienko.fast_lane.offer"
# Headers each page (or each response) has its own of: never shared between records.
OWN_HEADERS = frozenset({"etag", "last-modified", "content-length", "date", REQUEST_ID.lower()})
ELIGIBLE = "okienko.fast_lane.key"
# Requests Flask answers otherwise (304, 206, 412) or that may be someone's own: never replayed.
REFUSED = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE",
           "HTTP_IF_RANGE", "HTTP_RANGE", "HTTP_AUTHORIZATION")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Offer:
    """What a view that answered from the page cache leaves for the lane."""

    check: Callable  # the view's own key function: check(*args) == value while the page stays the same
    args: tuple
    value: object
    digest: str  # the page-cache entry holding the body
    finish: Callable | None  # joins kept pieces into this response's body (the kiosk's "made at" time)
    route: str  # the URL rule, the metrics' label


@dataclass(frozen=True, slots=True)
class Record:
    offer: Offer
    status: str
    headers: tuple  # as Flask sent them; the per-request ones are rewritten at their positions
    request_id_at: int
    length_at: int
    date_at: int | None


def enabled(config) -> bool:
    """WEB_FAST_LANE (default on); never without the page cache, which holds the bodies."""
    return bool(config.get("WEB_FAST_LANE", True) and config.get("WEB_PAGE_CACHE", True))


def offer(check: Callable, args: tuple, value, digest: Callable[[], str], finish: Callable | None = None) -> None:
    """Offer this response to the lane: `check(*args)` is the view's key function and returned `value`;
    `digest()` names the page-cache entry with the body (asked only when the request may be recorded)."""
    environ = request.environ
    if ELIGIBLE in environ:
        environ[OFFER] = Offer(check, args, value, digest(), finish, request.url_rule.rule)


def request_identity(environ) -> tuple | None:
    """The key a plain GET is recorded under, or None for a request the lane leaves to Flask."""
    if environ.get("REQUEST_METHOD") != "GET" or "HTTP_HOST" not in environ:
        return None
    for name in REFUSED:
        if name in environ:
            return None
    cookie = environ.get("HTTP_COOKIE")
    if cookie is not None and [name for name, _value in parse_cookie(cookie).items(multi=True)] != [COOKIE]:
        return None
    return (environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), environ["HTTP_HOST"],
            environ["wsgi.url_scheme"], environ.get("SCRIPT_NAME", ""), cookie)  # fmt: skip


class LaneStore:
    """The recorded responses, at most `size`, the oldest dropped first; `replays` counts the answers given."""

    def __init__(self, size: int):
        self.size, self.records, self.lock, self.replays = size, {}, Lock(), 0

    def get(self, key: tuple) -> Record | None:
        return self.records.get(key)

    def put(self, key: tuple, record: Record) -> None:
        with self.lock:
            self.records.pop(key, None)
            while self.records and len(self.records) >= self.size:
                self.records.pop(next(iter(self.records)), None)
            self.records[key] = record

    def drop(self, key: tuple) -> None:
        self.records.pop(key, None)


def recorded(offered: Offer, status: str, headers: list) -> Record | None:
    """Flask's answer as a record, or None when it must not be replayed."""
    if not status.startswith("200 "):
        return None
    names = [name.lower() for name, _value in headers]
    if "set-cookie" in names or REQUEST_ID.lower() not in names or "content-length" not in names:
        return None
    date_at = names.index("date") if "date" in names else None
    return Record(offered, status, tuple(map(_shared, headers)), names.index(REQUEST_ID.lower()),
                  names.index("content-length"), date_at)  # fmt: skip


_SHARED: dict[tuple, tuple] = {}


def _shared(pair: tuple) -> tuple:
    """One tuple for a header every page sends alike (security, cache and type headers), not one per record."""
    pair = tuple(pair)
    if pair[0].lower() in OWN_HEADERS:
        return pair
    shared = _SHARED.get(pair)
    if shared is None and len(_SHARED) < 1024:
        shared = _SHARED.setdefault(pair, pair)
    return shared or pair


class FastLane:
    """WSGI middleware right around Flask: replays recorded card pages, records the ones Flask answers."""

    def __init__(self, app: Flask, wsgi_app):
        self.app, self.wsgi_app = app, wsgi_app

    def __call__(self, environ, start_response):
        key = request_identity(environ) if enabled(self.app.config) else None
        if key is None:
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        store = self.store()
        record = store.get(key)
        if record is not None:
            answer = self.replay(record, environ)
            if answer is not None:
                start_response(record.status, answer[0])
                store.replays += 1
                observe(record.offer.route, "GET", 200, time.perf_counter() - started)
                return [answer[1]]
            store.drop(key)
        return self.record(key, environ, start_response)

    def store(self) -> LaneStore:
        store = self.app.extensions.get("web_fast_lane")
        if store is None:
            size = self.app.config.get("WEB_PAGE_CACHE_SIZE", DEFAULT_PAGES)
            store = self.app.extensions.setdefault("web_fast_lane", LaneStore(size))
        return store

    def replay(self, record: Record, environ) -> tuple[list, bytes] | None:
        """(headers, body) when the page's validators are unchanged and its body is still kept, else None."""
        offered = record.offer
        with self.app.app_context():
            try:
                if offered.check(*offered.args) != offered.value:
                    return None
                cache = page_cache()
                body = cache.get(offered.digest) if cache is not None else None
                if body is not None and offered.finish is not None:
                    body = offered.finish(body)
            except Exception:  # the database is down, the card withdrawn…: Flask answers as it always does
                return None
        if body is None:
            return None
        headers = list(record.headers)
        headers[record.request_id_at] = (REQUEST_ID, request_id_from(environ.get("HTTP_X_REQUEST_ID", "")))
        headers[record.length_at] = ("Content-Length", str(len(body)))
        if record.date_at is not None:
            headers[record.date_at] = ("Date", http_date())
        return headers, body

    def record(self, key: tuple, environ, start_response):
        sent = []

        def capture(status, headers, exc_info=None):
            sent[:] = (status, headers)
            return start_response(status, headers, exc_info)

        environ[ELIGIBLE] = key
        result = self.wsgi_app(environ, capture)
        offered = environ.get(OFFER)
        if offered is not None and sent:
            record = recorded(offered, *sent)
            if record is not None:
                self.store().put(key, record)
        return result


def register_fast_lane(app: Flask) -> None:
    """Install the lane right around Flask (the factory calls this first: the proxy fix and the host check
    then wrap it, so it sees the request as Flask does, and unknown hosts never reach it)."""
    app.wsgi_app = FastLane(app, app.wsgi_app)


def replays() -> int:
    """How many requests this process's lane answered (tests prove the lane was taken)."""
    store = current_app.extensions.get("web_fast_lane")
    return store.replays if store is not None else 0
