"""Writing searches into the query log: one statement per search, or on PostgreSQL in batches.

A logged search is statistics (which queries find nothing, which results residents open), yet writing it was a
database round trip on every search, the only one left once the stamp is kept (kiosk.search.services). With
SEARCH_LOG_BATCH_SECONDS > 0 (default 0.25; 0 under tests) on PostgreSQL, a process reserves ids from the
table's sequence a thousand at a time, hands each search its id at once (the results page links it to the
click), and a background thread writes what gathered in one INSERT every that many seconds. A crash loses the
last fraction of a second of statistics, as the unbatched log's asynchronous commit may; a graceful stop (a
worker's exit) writes everything first.
"""

import atexit
import logging
import os
import threading
import weakref
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import bindparam
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Engine

from kiosk.cards.stamp import autocommit_engine, read_row
from kiosk.clock import now
from kiosk.extensions import db
from kiosk.process_caches import process_cache

from .models import SearchQuery

log = logging.getLogger(__name__)
RESERVE = 1000  # ids reserved per round trip (a restarted worker leaves the rest unused: ids have gaps)
MAX_WAITING = 20_000  # rows kept for a database that is down; beyond it the oldest are dropped


def write(text: str, total: int, at: datetime) -> int:
    """Log one search; returns its id, under which it is (or within the batch interval will be) stored.

    Unbatched on PostgreSQL, the statement runs on the stamp reader's autocommit connections (one round trip, no
    BEGIN or COMMIT of the session's) and lets its commit return before its WAL reaches the disk: a server crash
    may lose the last fraction of a second of searches (never a half-written row), while waiting for the disk
    on every search cost each one a flush (docs/benchmarks.md).
    """
    batch = _batch()
    if batch is not None:
        try:
            return batch.add(text, total, at)
        except Exception:  # no ids to hand out (the database was unreachable): the ordinary way reports it
            log.warning("search log ids could not be reserved; writing this search at once", exc_info=True)
    params = {"text": text, "count": total, "at": at}
    fast = _LOG_SQL.get(db.session.get_bind().dialect.name)
    if fast is not None:  # committed on its own at once: the search's session then begins no transaction
        return read_row(fast, params)[0]
    return db.session.execute(_LOG_SQL_DURABLE, params).scalar_one()


def write_pending(query_id: int) -> None:
    """Before a click is recorded on `query_id`: write this process's batch if that search waits in it."""
    batch = _batch()
    if batch is not None and batch.holds(query_id):
        batch.flush()


def open_waiting(query_id: int, slug: str, text: str) -> bool:
    """Record a click on a search that has no row yet; False when it has one (or the log is not batched).

    A search handed out by another worker may still wait in its batch (at most SEARCH_LOG_BATCH_SECONDS): when
    `query_id` was reserved but has no row, the click writes the row under that id, and the batch's INSERT fills
    in the text, count and time (ON CONFLICT), keeping the click. Asked only when the click found no row, so a
    click on a search already written costs no extra round trip.
    """
    if _batch() is None:
        return False
    row = read_row(_OPEN_WAITING, {"id": query_id, "slug": slug, "text": text, "at": now()})
    return bool(row and row[0])


def _log_sql(prefix: str, values: str):
    table = SearchQuery.__table__
    sql = f"{prefix}INSERT INTO {table.name} (text, result_count, at) {values} RETURNING id"
    return sql_text(sql).bindparams(bindparam("at", type_=table.c.at.type)).columns(id=table.c.id.type)


_LOG_SQL_DURABLE = _log_sql("", "VALUES (:text, :count, :at)")
_NO_WAIT = "WITH no_wait AS (SELECT set_config('synchronous_commit', 'off', true)) "
_LOG_SQL = {  # the transaction's commit does not wait for the disk (set in the statement: no round trip of its own)
    "postgresql": _log_sql(_NO_WAIT, "SELECT :text, :count, :at FROM no_wait"),
}
_SEQUENCE = "pg_get_serial_sequence('search_query', 'id')"
_OPEN_WAITING = (
    sql_text(  # one statement: no row yet and the id was handed out → the click's row; else nothing
        f"WITH waiting AS (SELECT :id AS id WHERE :id <= pg_sequence_last_value({_SEQUENCE}::regclass) "
        "AND NOT EXISTS (SELECT 1 FROM search_query WHERE id = :id)) "
        "INSERT INTO search_query (id, text, result_count, opened_slug, at) "
        "SELECT id, :text, NULL::integer, :slug, :at FROM waiting "
        "ON CONFLICT (id) DO UPDATE SET opened_slug = excluded.opened_slug WHERE search_query.opened_slug IS NULL "
        "RETURNING id"
    )
    .bindparams(bindparam("at", type_=SearchQuery.__table__.c.at.type))
    .columns(id=SearchQuery.__table__.c.id.type)
)
_RESERVE_SQL = f"SELECT array(SELECT nextval({_SEQUENCE}) FROM generate_series(1, %s))"
_BATCH_SQL = (_NO_WAIT + "INSERT INTO search_query (id, text, result_count, at) SELECT u.id, u.text, u.count, u.at "
              "FROM unnest(%s::integer[], %s::varchar[], %s::integer[], %s::timestamp[]) AS u(id, text, count, at), "
              "no_wait ON CONFLICT (id) DO UPDATE SET text = excluded.text, result_count = excluded.result_count, "
              "at = excluded.at")  # a click that came first keeps its opened card  # fmt: skip


class Batch:
    """One process's searches waiting to be written, with the ids it reserved for the next ones."""

    def __init__(self, engine: Engine, interval: float):
        self.engine, self.interval = engine, interval
        self.lock = threading.Lock()
        self.flushing = threading.Lock()  # one INSERT at a time: the thread's or a click's
        self.pid = os.getpid()
        self.reserved: list[int] = []
        self.rows: list[tuple] = []
        self.thread: threading.Thread | None = None

    def add(self, text: str, total: int, at: datetime) -> int:
        with self.lock:
            self._after_fork()
            if not self.reserved:
                self.reserved = self._reserve()[::-1]  # popped from the end: ascending
            query_id = self.reserved.pop()
            self.rows.append((query_id, text, total, at.astimezone(UTC).replace(tzinfo=None)))
            if self.thread is None:
                self.thread = threading.Thread(target=_write_every, args=(weakref.ref(self), self.interval),
                                               name="search-log", daemon=True)  # fmt: skip
                self.thread.start()
        return query_id

    def holds(self, query_id: int) -> bool:
        with self.lock:
            return any(row[0] == query_id for row in self.rows)

    def flush(self) -> int:
        """Write every waiting row in one statement; returns how many. Kept for the next try when it fails."""
        with self.flushing:
            with self.lock:
                rows, self.rows = self.rows, []
            if not rows:
                return 0
            try:
                self._insert(rows)
            except Exception:
                log.exception("the search log could not be written; %d searches wait for the next try", len(rows))
                with self.lock:
                    self.rows = (rows + self.rows)[-MAX_WAITING:]
                return 0
            return len(rows)

    def _after_fork(self) -> None:
        # A forked worker must not share its parent's reserved ids, rows or (dead) thread.
        if self.pid != os.getpid():
            self.pid, self.reserved, self.rows, self.thread = os.getpid(), [], [], None
            self.flushing = threading.Lock()

    def _reserve(self) -> list[int]:
        return self._execute(_RESERVE_SQL, (RESERVE,))[0]

    def _insert(self, rows: list[tuple]) -> None:
        self._execute(_BATCH_SQL, [list(column) for column in zip(*rows, strict=True)], fetch=False)

    def _execute(self, sql: str, params, fetch: bool = True):
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(sql, params)
            row = cursor.fetchone() if fetch else None
            cursor.close()
            return row
        except Exception:
            connection.invalidate()
            raise
        finally:
            connection.close()


def _write_every(batch_ref: "weakref.ref[Batch]", interval: float) -> None:
    """The writer thread: holds its batch only while writing, and ends when the batch is gone."""
    stopping = threading.Event()
    atexit.register(_write_at_exit, batch_ref, stopping)
    while not stopping.wait(interval):
        batch = batch_ref()
        if batch is None:
            return
        batch.flush()
        del batch


def _write_at_exit(batch_ref: "weakref.ref[Batch]", stopping: threading.Event) -> None:
    stopping.set()
    batch = batch_ref()
    if batch is not None:
        batch.flush()


# Per engine; emptied with every process cache between tests, whose tables restart their sequences.
_BATCHES: "weakref.WeakKeyDictionary[Engine, Batch]" = process_cache(weakref.WeakKeyDictionary())


def _batch() -> Batch | None:
    interval = current_app.config.get("SEARCH_LOG_BATCH_SECONDS", 0 if current_app.testing else 0.25)
    engine = db.engine
    if interval <= 0 or engine.dialect.name != "postgresql":
        return None  # SQLite has no sequence to reserve ids from; it serves one process anyway
    batch = _BATCHES.get(engine)
    if batch is None:
        batch = _BATCHES.setdefault(engine, Batch(autocommit_engine(), interval))
    return batch
