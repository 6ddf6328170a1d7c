"""Per-process caches of rendered public pages, shared by the website, the kiosk and the API.

The one rule (docs/architecture.md § Caching): a page is kept under a key that includes its stamp
(`kiosk.cards.stamp`), read from the database in the request that uses it, so a publish in any process
changes the key and the old page is never read again; it ages out of the bounded store.
"""

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from threading import Lock
from types import SimpleNamespace

from flask import current_app

from kiosk.cards.stamp import Stamp, card_stamp, content_version, versioned_card_stamp
from kiosk.clock import local_now
from kiosk.errors import NotFound
from kiosk.facts.services import last_status_change, list_locations, point_status
from kiosk.pages.store import page_store

DEFAULT_PAGES = 20_000  # every card of a 5,059-card catalogue in the website, the kiosk and the API
DEFAULT_BYTES = 256 * 1024 * 1024  # per process: the bound that matters (a card page is ~16 KB)


def _size(page: bytes | tuple[bytes, ...]) -> int:
    return len(page) if isinstance(page, bytes) else sum(map(len, page))


class PageCache:
    """A thread-safe LRU of rendered pages (bytes, or a page's pieces around a slot), bounded by the number of
    pages and by their total size."""

    def __init__(self, size: int, max_bytes: int = DEFAULT_BYTES):
        self.size, self.max_bytes, self.bytes = size, max_bytes, 0
        self.entries, self.lock = OrderedDict(), Lock()

    def get(self, key: str):
        with self.lock:
            body = self.entries.get(key)
            if body is not None:
                self.entries.move_to_end(key)
            return body

    def put(self, key: str, body: bytes | tuple[bytes, ...]) -> None:
        with self.lock:
            old = self.entries.pop(key, None)
            self.bytes += _size(body) - (_size(old) if old is not None else 0)
            self.entries[key] = body
            while len(self.entries) > self.size or (self.bytes > self.max_bytes and len(self.entries) > 1):
                self.bytes -= _size(self.entries.popitem(last=False)[1])


def page_cache() -> PageCache | None:
    """This process's page cache (WEB_PAGE_CACHE, WEB_PAGE_CACHE_SIZE pages, WEB_PAGE_CACHE_BYTES)."""
    config = current_app.config
    if not config.get("WEB_PAGE_CACHE", True):
        return None
    cache = current_app.extensions.get("web_page_cache")
    if cache is None:
        size = config.get("WEB_PAGE_CACHE_SIZE", DEFAULT_PAGES)
        cache = PageCache(size, config.get("WEB_PAGE_CACHE_BYTES", DEFAULT_BYTES))
        cache = current_app.extensions.setdefault("web_page_cache", cache)
    return cache


def kept_page(key: tuple, render: Callable[[], str | bytes], place: tuple | None = None) -> bytes:
    """The page rendered for `key` (which must hold the page's stamp), from the page cache when it is there.

    `place` names the page in the shared page store (which page, never which version: see `kiosk.pages.store`);
    None keeps it out of the store."""
    return _kept(key, lambda: _encoded(render()), place)


def kept_pieces(key: tuple, render: Callable[[], str], slot: str, place: tuple | None = None) -> tuple[bytes, ...]:
    """Like `kept_page`, the page split around `slot`: the caller joins the pieces with what this response
    puts there (the kiosk's "made at" time), so that part is never kept."""
    return _kept(key, lambda: tuple(_encoded(render()).split(slot.encode())), place)


def _encoded(body: str | bytes) -> bytes:
    return body if isinstance(body, bytes) else body.encode()


def page_digest(key: tuple) -> str:
    """The page cache's name for the page kept under `key`."""
    return hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()


def _kept(key: tuple, build: Callable, place: tuple | None):
    if page_cache() is None:
        return build()
    return kept_under(page_digest(key), build, place)


def kept_under(digest: str, build: Callable, place: tuple | None = None):
    """The page kept under `digest` (a hash of a key holding the page's stamp): from this process's page cache,
    else from the shared page store at `place`, else built and kept in both."""
    cache = page_cache()
    page = cache.get(digest) if cache is not None else None
    if page is None:
        store = page_store() if cache is not None and place is not None else None
        page = store.read(place, digest) if store is not None else None
        if page is None:
            page = build()
            if store is not None:
                store.write(place, digest, page)
        if cache is not None:
            cache.put(digest, page)
    return page


def remembered(key, compute: Callable):
    """`compute()` memoised per process for WEB_STAMP_TTL seconds (default 1 s; 0 under tests).

    Validators are read on every request; under load this turns one query per request into one
    query per second per page, at the price of a publish showing up to a second later.
    """
    app = current_app._get_current_object()
    ttl = app.config.get("WEB_STAMP_TTL", 0 if app.testing else 1.0)
    if ttl <= 0:
        return compute()
    store = app.extensions.setdefault("web_stamps", {})
    moment = time.monotonic()
    hit = store.get(key)
    if hit is not None and hit[0] > moment:
        return hit[1]
    value = compute()
    if len(store) > 50_000:
        store.clear()
    store[key] = (moment + ttl, value)
    return value


def forget(key) -> None:
    """Drop what `remembered` keeps under `key`: this process changed it and must not wait out the TTL."""
    current_app.extensions.get("web_stamps", {}).pop(key, None)


def published_card_stamp(slug: str, language: str) -> Stamp:
    """The stamp of a published card's pages in `language`; NotFound with the same message as
    `get_published_card` for an unknown or unpublished card.

    A process keeps each card's stamp with the content version read in the same query, and uses it while the
    content version (remembered like every validator, so read at most once per WEB_STAMP_TTL) is unchanged:
    with thousands of cards, most requests then read nothing from the database, and a publish still shows
    within WEB_STAMP_TTL.
    """
    stamp = _kept_card_stamp(slug, language)
    if stamp is None:
        raise NotFound("Nie ma takiej karty.")
    if stamp.parts[0] is None:
        raise NotFound("Ta karta nie jest obecnie opublikowana.")
    return stamp


def _kept_card_stamp(slug: str, language: str) -> Stamp | None:
    version = remembered(("content-version",), content_version)
    if version is None:  # nothing was ever written through the ORM: nothing to compare with
        return card_stamp(slug, language)
    store = current_app.extensions.setdefault("web_card_stamps", {})
    kept = store.get((slug, language))
    if kept is not None and kept[0] == version:
        return kept[1]
    read_version, stamp = versioned_card_stamp(slug, language)
    if len(store) > 50_000:
        store.clear()
    store[(slug, language)] = (read_version, stamp)
    return stamp


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
    parts = (*stamp.parts, moment.date().isoformat(), flags)
    return Stamp(parts, max(stamp.modified, changed), stamp.facts, stamp.translation)
