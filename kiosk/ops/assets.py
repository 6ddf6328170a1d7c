"""Versioned static URLs (`site.css?v=<hash of the file>`), so nginx may let browsers keep them for a year.

A deploy that changes a file changes its URL; an unchanged file keeps its URL and stays cached.
Templates need no change: every `url_for(<blueprint>.static, filename=...)` gets the version.
"""

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app


def init_app(app: Flask) -> None:
    app.url_defaults(_add_version)


def _add_version(endpoint: str, values: dict) -> None:
    if endpoint != "static" and not endpoint.endswith(".static"):
        return
    filename = values.get("filename")
    if not filename or "v" in values:
        return
    if endpoint == "static":
        folder = current_app.static_folder
    else:
        blueprint = current_app.blueprints.get(endpoint.rsplit(".", 1)[0])
        folder = blueprint.static_folder if blueprint else None
    version = fingerprint(folder, filename) if folder else ""
    if version:
        values["v"] = version


@lru_cache(maxsize=512)
def fingerprint(folder: str, filename: str) -> str:
    """16 hex digits of the file's content ("" for a missing file or a path outside the folder)."""
    root = Path(folder).resolve()
    try:
        path = (root / filename).resolve()
        if not path.is_file() or root not in path.parents:
            return ""
        return hashlib.blake2b(path.read_bytes(), digest_size=8).hexdigest()
    except (OSError, ValueError):  # a NUL byte or an over-long name from a hostile URL: no such file
        return ""
