"""The Whoosh index on disk: schema, writing, and the per-process handle. Only kiosk.search uses it."""

import fcntl
import gc
import json
import os
import shutil
import threading
import uuid
import warnings
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

from whoosh import index
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.index import LockError

from .polish import folded_analyzer, lemma_analyzer, plain_analyzer

STATE_FILE = "applied.json"
# Lemma fields (inflection-proof) and the card parts each holds, weighted by field in kiosk.search.query.
LEMMA_FIELDS = {"title": ("title",), "keywords": ("keywords",), "summary": ("summary",),
                "text": ("documents", "body")}  # fmt: skip
# Folded surface forms, for text typed without diacritics (which Morfeusz cannot lemmatise).
FOLDED_FIELDS = {"title_f": ("title",), "keywords_f": ("keywords",), "text_f": ("summary", "documents", "body")}
STORED_FIELDS = ("title", "summary")


class IndexUnavailable(Exception):
    """The index directory is missing, locked or unreadable; callers fall back to the database."""


def make_schema() -> Schema:
    """Lemma and folded text fields, a plain field for spelling, and the filter fields."""
    lemma, folded = lemma_analyzer(), folded_analyzer()
    fields = {"slug": ID(stored=True, unique=True), "category": ID(stored=True),
              "points": KEYWORD(stored=True, commas=True),
              "spell": TEXT(analyzer=plain_analyzer(), phrase=False)}  # fmt: skip
    for name in LEMMA_FIELDS:
        fields[name] = TEXT(analyzer=lemma, phrase=False, stored=name in STORED_FIELDS)
    for name in FOLDED_FIELDS:
        fields[name] = TEXT(analyzer=folded, phrase=False)
    return Schema(**fields)


def to_whoosh(doc: dict) -> dict:
    """A card document (plain strings and lists) as the fields Whoosh stores."""
    fields = {"slug": doc["slug"], "category": doc.get("category") or "", "points": ",".join(doc.get("points", [])),
              "spell": "\n".join(doc.get(n, "") for n in ("title", "keywords", "summary"))}  # fmt: skip
    for name, sources in (LEMMA_FIELDS | FOLDED_FIELDS).items():
        fields[name] = "\n".join(doc.get(source, "") for source in sources)
    return fields


class SearchIndex:
    """One process's handle on one index directory, with the last change-log id it has applied."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._directory, self._state_file = str(self.path), str(self.path / STATE_FILE)  # stat()ed on every search
        self.lock = threading.RLock()
        self._ix = None
        self._identity = None
        self._local = threading.local()
        self.known = -1  # the last change id this process applied or saw applied; -1: not checked yet

    # --- state ---------------------------------------------------------------------------------------

    def read_state(self) -> dict:
        """The state file: the last applied change id and the build id."""
        try:
            return json.loads((self.path / STATE_FILE).read_text())
        except (OSError, ValueError):
            return {}

    def applied_id(self) -> int:
        return int(self.read_state().get("applied", 0))

    def _write_state(self, directory: Path, state: dict) -> None:
        tmp = directory / f"{STATE_FILE}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(state))
        os.replace(tmp, directory / STATE_FILE)

    # --- reading -------------------------------------------------------------------------------------

    def open(self):
        """The open index, reopened when a rebuild swapped the directory; IndexUnavailable otherwise."""
        if self._ix is not None:
            try:
                if self.identity() == self._identity:
                    return self._ix  # the usual case: unchanged since the last search
            except OSError:
                pass  # gone or unreadable: the slow path below says why
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)  # Whoosh leaks the file of a corrupt TOC
            try:
                return self._open()
            except IndexUnavailable:
                raise
            except Exception as exc:  # missing dir, permissions, a corrupt TOC: all mean "not usable now"
                problem = f"{type(exc).__name__}: {exc}"
            self._ix = None
            gc.collect()
        raise IndexUnavailable(problem)

    def _open(self):
        identity = self.identity()
        if self._ix is None or identity != self._identity:
            if not index.exists_in(str(self.path)):
                raise IndexUnavailable(f"no index in {self.path}")
            self._ix, self._identity = index.open_dir(str(self.path)), identity
            self._local = threading.local()
        return self._ix

    def identity(self) -> tuple:
        """What changes whenever the index does, read with two stat calls and nothing else.

        Every write to the index (a catch-up, a rebuild's swap) is followed by a new state file put in place by
        `os.replace`, so its inode and time move with each change (a rebuild's new directory moves the first
        part too). A search checks this instead of reading the state file and listing the directory.
        """
        try:
            state = os.stat(self._state_file)
        except FileNotFoundError:  # an index nothing has been applied to yet
            return os.stat(self._directory).st_ino, None
        return os.stat(self._directory).st_ino, state.st_ino, state.st_mtime_ns, state.st_size

    def searcher(self):
        """This thread's searcher on the index as it is now (a new one after any change)."""
        ix = self.open()
        try:
            current = getattr(self._local, "searcher", None)
            if current is not None and getattr(self._local, "identity", None) == self._identity:
                return current
            if current is not None:
                current.close()
            self._local.searcher = ix.searcher()  # not refresh(): it fails when the old index was empty
            self._local.identity = self._identity
            return self._local.searcher
        except Exception as exc:
            self._local = threading.local()
            raise IndexUnavailable(f"{type(exc).__name__}: {exc}") from exc

    # --- writing -------------------------------------------------------------------------------------

    @contextmanager
    def writing(self):
        """Hold the writers' lock, across threads and processes: catch-ups and a rebuild's swap take turns.

        The lock file sits next to the index directory, so it is the same file before and after a swap.
        """
        lock_file = self.path.with_name(f".{self.path.name}.lock")
        lock_file.parent.mkdir(parents=True, exist_ok=True)
        with self.lock, open(lock_file, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def apply(self, upserts: Iterable[dict], deletes: Iterable[str], applied: int, timeout: float = 0.5) -> None:
        """Update and delete documents, then remember `applied` as the last change id done."""
        ix = self.open()
        try:
            writer = ix.writer(timeout=timeout)
        except LockError as exc:
            raise IndexUnavailable("the index is locked by another writer") from exc
        try:
            for slug in deletes:
                writer.delete_by_term("slug", slug)
            for doc in upserts:
                writer.update_document(**to_whoosh(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        state = self.read_state()
        state["applied"] = max(applied, int(state.get("applied", 0)))
        self._write_state(self.path, state)

    def build(self, docs: Iterable[dict], applied: int, progress: Callable[[], None] = lambda: None,
              procs: int = 1, after_swap: Callable[[], None] = lambda: None) -> int:  # fmt: skip
        """Build a fresh index next to the live one and swap it in; searches keep working meanwhile.

        `applied` is the change-log position the documents were read from; `after_swap` runs under the
        writers' lock right after the swap, so changes made during the build can be replayed before any
        other writer touches the new index.
        """
        fresh = self.path.with_name(f"{self.path.name}.new-{uuid.uuid4().hex[:8]}")
        fresh.mkdir(parents=True)
        try:
            count = self._fill(fresh, docs, progress, procs)
            self._write_state(fresh, {"applied": applied, "build": uuid.uuid4().hex})
            with self.writing():
                self._swap(fresh)
                after_swap()
        finally:
            shutil.rmtree(fresh, ignore_errors=True)
        return count

    def _fill(self, directory: Path, docs: Iterable[dict], progress: Callable[[], None], procs: int) -> int:
        ix = index.create_in(str(directory), make_schema())
        # Big builds analyse in several processes (the analyzers are stateless, so they pickle).
        writer = ix.writer(procs=procs, limitmb=128, multisegment=True) if procs > 1 else ix.writer(limitmb=128)
        count = 0
        for doc in docs:
            writer.add_document(**to_whoosh(doc))
            count += 1
            progress()
        writer.commit()
        return count

    def _swap(self, fresh: Path) -> None:
        with self.lock:
            old = self.path.with_name(f"{self.path.name}.old-{uuid.uuid4().hex[:8]}")
            if self.path.is_dir() and not self.path.is_symlink():
                os.rename(self.path, old)
            elif self.path.exists() or self.path.is_symlink():
                self.path.unlink()
            os.rename(fresh, self.path)
            shutil.rmtree(old, ignore_errors=True)
            self._ix = None
