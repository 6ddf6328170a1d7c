"""The per-process caches of database data, registered where they are defined.

Each is keyed on ids and versions read from the database (docs/architecture.md § Caching), so production never
needs to empty one. A test suite does: every test starts from empty tables, and the same ids come back with other
content. Registering each cache here keeps the list of what `forget_all` empties from drifting from the code.
"""

import weakref
from typing import TypeVar

_CacheT = TypeVar("_CacheT")
_REGISTERED: list = []


def process_cache(cache: _CacheT) -> _CacheT:
    """Register a cache (anything with `clear()`) and return it: `_BY_ID = process_cache({})`."""
    _REGISTERED.append(cache)
    return cache


def forget_all() -> None:
    for cache in _REGISTERED:
        cache.clear()


_DATABASE_KEYS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def database_key() -> str:
    """The current app's database URL as a cache key (rendering a URL costs more than a search's own lookups)."""
    from kiosk.extensions import db

    engine = db.engine
    key = _DATABASE_KEYS.get(engine)
    if key is None:
        key = _DATABASE_KEYS[engine] = str(engine.url)
    return key
