"""HTTP caching for public pages: ETag and Last-Modified from what a page shows, 304s, a page cache.

A page's ETag hashes its path, the interface language and a `Stamp` (published edition, shared
facts, today's date and which service points are open), so a publish, a change of opening hours or
a point opening for the day each change it. Rendered pages are kept per process under their ETag:
a hit costs one small query and a dictionary look-up, and a stale entry can never be served.
"""

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from threading import Lock
from types import SimpleNamespace

from flask import Response, current_app, request
from flask_babel import get_locale
from werkzeug.http import is_resource_modified

from kiosk.cache_headers import public_cache_control
from kiosk.clock import local_now
from kiosk.facts.services import last_status_change, list_locations, point_status

from .services import Stamp


class PageCache:
    """A small thread-safe LRU of rendered pages keyed by ETag."""

    def __init__(self, size: int):
        self.size, self.entries, self.lock = size, OrderedDict(), Lock()

    def get(self, key: str) -> bytes | None:
        with self.lock:
            body = self.entries.get(key)
            if body is not None:
                self.entries.move_to_end(key)
            return body

    def put(self, key: str, body: bytes) -> None:
        with self.lock:
            self.entries[key] = body
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


def page_cache() -> PageCache | None:
    if not current_app.config.get("WEB_PAGE_CACHE", True):
        return None
    return current_app.extensions.setdefault(
        "web_page_cache", PageCache(current_app.config.get("WEB_PAGE_CACHE_SIZE", 2048))
    )


def opening_snapshot(facts: datetime | None) -> list:
    """Every location's opening hours, re-read only when the shared facts change."""
    store = current_app.extensions.setdefault("web_hours_snapshot", {})
    snapshot = store.get(facts)
    if snapshot is None:
        snapshot = [
            SimpleNamespace(slug=loc.slug, opening_hours=dict(loc.opening_hours or {})) for loc in list_locations()
        ]
        store.clear()
        store[facts] = snapshot
    return snapshot


def remembered(key, compute: Callable):
    """`compute()` memoised per process for WEB_STAMP_TTL seconds (default 1 s; 0 under tests).

    Validators are read on every request; under load this turns one query per request into one
    query per second per page, at the price of a publish showing up to a second later.
    """
    ttl = current_app.config.get("WEB_STAMP_TTL", 0 if current_app.testing else 1.0)
    if ttl <= 0:
        return compute()
    store = current_app.extensions.setdefault("web_stamps", {})
    moment = time.monotonic()
    hit = store.get(key)
    if hit is not None and hit[0] > moment:
        return hit[1]
    value = compute()
    if len(store) > 50_000:
        store.clear()
    store[key] = (moment + ttl, value)
    return value


def keyed(name: str, key, compute: Callable):
    """`compute()` kept per process until `key` changes (e.g. card counts until the change log moves)."""
    store = current_app.extensions.setdefault("web_keyed", {})
    hit = store.get(name)
    if hit is not None and hit[0] == key:
        return hit[1]
    value = compute()
    store[name] = (key, value)
    return value


def _opening_state(facts: datetime | None, minute: str) -> tuple[str, datetime]:
    store = current_app.extensions.setdefault("web_opening_state", {})
    state = store.get((facts, minute))
    if state is None:
        locations = opening_snapshot(facts)
        flags = "".join("1" if point_status(loc).open_now else "0" for loc in locations)
        state = (flags, last_status_change(locations))
        store.clear()
        store[(facts, minute)] = state
    return state


def with_opening_state(stamp: Stamp) -> Stamp:
    """Add today's date and which locations are open to a stamp (for pages that show "open now")."""
    moment = local_now()
    flags, changed = _opening_state(stamp.facts, moment.strftime("%Y-%m-%d %H:%M"))
    return Stamp((*stamp.parts, moment.date().isoformat(), flags), max(stamp.modified, changed), stamp.facts)


@lru_cache(maxsize=1)
def release() -> str:
    """A fingerprint of the templates, styles and catalogues, so a deploy that changes a page changes its ETag."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=8)
    for pattern in ("web/templates/**/*", "web/static/*", "translations/*/LC_MESSAGES/*.mo"):
        for path in sorted(root.glob(pattern)):
            if path.is_file():
                digest.update(path.read_bytes())
    return digest.hexdigest()


def etag_for(stamp: Stamp) -> str:
    raw = repr((release(), request.path, str(get_locale()), stamp.parts))
    return hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def cached_page(stamp: Stamp, render: Callable[[], str], mimetype: str = "text/html") -> Response:
    """Answer 304 when the client's copy is current, else the (cached) rendered page, with validators."""
    etag = etag_for(stamp)
    modified = stamp.modified.replace(microsecond=0)
    if not is_resource_modified(request.environ, etag=etag, last_modified=modified):
        response = Response(status=304)
    else:
        cache = page_cache()
        body = cache.get(etag) if cache else None
        if body is None:
            body = render().encode()
            if cache:
                cache.put(etag, body)
        response = Response(body, mimetype=mimetype)
    return cache_headers(response, etag, modified)


def cache_headers(response: Response, etag: str, modified: datetime) -> Response:
    response.set_etag(etag)
    response.last_modified = modified
    response.vary.add("Cookie")
    if "lang" in request.args:  # this response sets the language cookie: keep it out of shared caches
        response.cache_control.private = True
        response.cache_control.no_cache = True
    else:
        public_cache_control(response, current_app.config.get("WEB_MAX_AGE", 60))
    return response
