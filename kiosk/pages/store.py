"""The shared page store: rendered public pages on disk, behind each process's page cache.

A page that one process rendered (a request, a publish, `flask pages render`) is served by every other
process and after a restart without rendering it again. The rule of docs/architecture.md § Caching holds:
each file names one page (its `place`: route, path, language, kiosk) and carries the digest of the full
cache key, which includes the stamp read in this request; a file whose digest differs is a miss, so a
publish in any process is never served stale. One file per place, replaced on each write, keeps the store
bounded by the number of pages the site has. A missing, unreadable, truncated or corrupt file is a miss,
and a store that cannot be written is logged once and otherwise ignored: the page is rendered as before.
"""

import hashlib
import logging
import os
import tempfile
import time
from functools import lru_cache
from pathlib import Path

from flask import current_app

from kiosk.settings import SETTINGS

log = logging.getLogger(__name__)
MAGIC = b"okienko-page/1"
PACKAGE = Path(__file__).resolve().parent.parent  # kiosk/
Page = bytes | tuple[bytes, ...]  # a page, or its pieces around a slot each response fills (`kept_pieces`)


class PageStore:
    """Pages under `root`, one file per place, written atomically (a temporary file, then `os.replace`).

    Each file also names the `build` that rendered it (the deployed code and this site's settings): a page
    cache's key need not hold them, since they never change under a process, but the store outlives processes
    and is written by the CLI too, so a deploy or a command run with other settings is a miss here, not a page
    with another site's links."""

    def __init__(self, root: str, build: str = ""):
        self.configured, self.root, self.build, self.warned = root, Path(root), build, False

    def path(self, place: tuple) -> str:
        name = hashlib.blake2b(repr(place).encode(), digest_size=16).hexdigest()
        return os.path.join(self.configured, name[:2], name)

    def read(self, place: tuple, digest: str) -> Page | None:
        """The page stored for `place` under the key `digest`; None when there is none, or another."""
        try:
            with open(self.path(place), "rb") as file:
                return parsed(file.read(), digest, self.build)
        except OSError:
            return None

    def write(self, place: tuple, digest: str, page: Page) -> None:
        """Keep `page` as `place`'s page under `digest`, replacing what was there."""
        path = self.path(place)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(encoded(digest, self.build, page))
                os.replace(temporary, path)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError as exc:
            if not self.warned:  # once per process: every page would say the same
                self.warned = True
                log.warning("page store %s not written (pages are rendered as before): %s", self.root, exc)

    def sweep(self, older_than: float = 3600) -> int:
        """Delete temporary files a killed process left half-written (older than an hour); returns how many."""
        swept = 0
        for temporary in self.root.glob("*/.*.tmp"):
            try:
                if time.time() - temporary.stat().st_mtime > older_than:
                    temporary.unlink()
                    swept += 1
            except OSError:
                pass  # another process finished or removed it
        return swept


def encoded(digest: str, build: str, page: Page) -> bytes:
    pieces = (page,) if isinstance(page, bytes) else page
    body = b"".join(pieces)
    kind = b"b" if isinstance(page, bytes) else b"p"
    lengths = b",".join(str(len(piece)).encode() for piece in pieces)
    return b" ".join((MAGIC, digest.encode(), build.encode(), _checksum(body), kind, lengths)) + b"\n" + body


def _checksum(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=16).hexdigest().encode()


def parsed(data: bytes, digest: str, build: str) -> Page | None:
    """The page in a file's `data` when it is whole and kept under `digest` by `build`, else None."""
    header, _, body = data.partition(b"\n")
    fields = header.split(b" ")
    if len(fields) != 6 or fields[:3] != [MAGIC, digest.encode(), build.encode()] or fields[4] not in (b"b", b"p"):
        return None
    try:
        lengths = [int(n) for n in fields[5].split(b",")]
    except ValueError:
        return None
    if min(lengths) < 0 or sum(lengths) != len(body) or _checksum(body) != fields[3]:
        return None
    if fields[4] == b"b":
        return body if len(lengths) == 1 else None
    pieces, start = [], 0
    for length in lengths:
        pieces.append(body[start : start + length])
        start += length
    return tuple(pieces)


def page_store() -> PageStore | None:
    """This app's page store (KIOSK_PAGE_STORE_DIR; empty: none), built once per app and directory: like the
    page cache, it takes an app's settings not to change under it."""
    root = current_app.config.get("KIOSK_PAGE_STORE_DIR")
    if not root:
        return None
    store = current_app.extensions.get("web_page_store")
    if store is None or store.configured != root:
        store = current_app.extensions["web_page_store"] = PageStore(root, build_of(current_app.config))
    return store


def build_of(config) -> str:
    """What rendered a page besides its key: the deployed code and every setting read from the environment."""
    settings = repr([(setting.name, config.get(setting.name)) for setting in SETTINGS])
    return hashlib.blake2b((deployed_code() + settings).encode(), digest_size=8).hexdigest()


@lru_cache(maxsize=1)
def deployed_code() -> str:
    """A fingerprint of the application's files (code, templates, assets, catalogues) and the pinned packages,
    read once per process (a deploy restarts the workers)."""
    digest = hashlib.blake2b(digest_size=16)
    files = sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in [*files, *(p for p in [PACKAGE.parent / "requirements.lock"] if p.is_file())]:
        digest.update(str(path.relative_to(PACKAGE.parent)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
