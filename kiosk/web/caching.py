"""HTTP caching for public pages: ETag and Last-Modified from what a page shows, 304s, a page cache.

A page's ETag hashes its path, the interface language and a `Stamp` (published edition, shared
facts, today's date and which service points are open), so a publish, a change of opening hours or
a point opening for the day each change it. Rendered pages are kept per process under their ETag:
a hit costs one small query and a dictionary look-up, and a stale entry can never be served.
"""

import hashlib
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from flask import Response, current_app, request
from flask_babel import get_locale
from werkzeug.http import http_date, is_resource_modified

from kiosk.cache_headers import public_cache_control
from kiosk.cards.stamp import Stamp
from kiosk.page_cache import (  # noqa: F401  (shared with the kiosk and the API; the website's names stay)
    PageCache,
    kept_under,
    opening_snapshot,
    page_cache,
    remembered,
    with_opening_state,
)


def keyed(name: str, key, compute: Callable):
    """`compute()` kept per process until `key` changes (e.g. card counts until the change log moves)."""
    store = current_app.extensions.setdefault("web_keyed", {})
    hit = store.get(name)
    if hit is not None and hit[0] == key:
        return hit[1]
    value = compute()
    store[name] = (key, value)
    return value


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
        body = kept_under(etag, lambda: render().encode(), ("web", request.path, str(get_locale())))
        response = Response(body, mimetype=mimetype)
    return cache_headers(response, etag, modified)


def cache_headers(response: Response, etag: str, modified: datetime) -> Response:
    headers = response.headers
    headers["ETag"] = f'"{etag}"'
    headers["Last-Modified"] = http_date(modified)
    if "Vary" in headers:
        response.vary.add("Cookie")
    else:
        headers["Vary"] = "Cookie"
    if "lang" in request.args:  # this response sets the language cookie: keep it out of shared caches
        response.cache_control.private = True
        response.cache_control.no_cache = True
    else:
        public_cache_control(response, current_app.config.get("WEB_MAX_AGE", 60))
    return response
