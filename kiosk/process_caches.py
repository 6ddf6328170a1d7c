"""The per-process caches of database data, registered where they are defined.

Each is keyed on ids and versions read from the database (docs/architecture.md § Caching), so production never
needs to empty one. A test suite does: every test starts from empty tables, and the same ids come back with other
content. Registering each cache here keeps the list of what `forget_all` empties from drifting from the code.
"""

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


def database_key() -> str:
    """The current app's database URL as a cache key, rendered once per app (an app's engine never changes)."""
    from flask import current_app

    extensions = current_app.extensions
    key = extensions.get("kiosk_database_key")
    if key is None:
        from kiosk.extensions import db

        key = extensions["kiosk_database_key"] = str(db.engine.url)
    return key
