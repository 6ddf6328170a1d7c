"""Stamps: what a public page of published cards depends on, read in one small query.

A cached page is looked up under its stamp, and every part of a stamp changes in the same transaction as
the data it stands for (docs/architecture.md § Caching). The website, the kiosk and the API all key their
pages on these, so they live here rather than in any one of them.
"""

import uuid
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from flask import current_app
from sqlalchemy import Engine, and_, bindparam, create_engine, event, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.extensions import db
from kiosk.facts.cache import FACT_MODELS
from kiosk.facts.models import Category, Department, FormFile, LegalAct, LifeSituation, Location, Setting, SharedFee

from .models import Card, CardChange, Edition
from .translation_models import TRANSLATION_LANGUAGES, Translation, TranslationStatus

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # the oldest stamp; fixed, whatever the host's time zone


@dataclass(frozen=True)
class Stamp:
    """What a cached page depends on; any change here changes the page's ETag."""

    parts: tuple
    modified: datetime
    facts: datetime | None = None  # newest change to shared facts (opening hours among them)
    # The published translation in the page's language: (id, behind since, published at, content hash,
    # reviewed), (None,) when there is none, () for Polish.
    translation: tuple = ()

    @property
    def translated(self) -> bool:
        return bool(self.translation and self.translation[0])


def _facts_columns():
    tables = (Location, Department, LegalAct, FormFile, SharedFee)
    return [select(func.max(t.updated_at)).scalar_subquery().label(f"f{i}") for i, t in enumerate(tables)]


def _latest(*moments) -> datetime:
    return max((m for m in moments if m is not None), default=EPOCH)


_TRANSLATION_COLUMNS = (
    Translation.id,
    Translation.behind_since,
    Translation.published_at,
    Translation.content_hash,
    Translation.reviewed,
)


@lru_cache(maxsize=1)
def _card_stamp_query():
    # Built once: the hot path of every card page only binds the slug and the language. The published
    # translation rides along in the same query (an outer join on its index), so a translated page costs
    # no more queries than a Polish one; for Polish the join finds nothing.
    translation = and_(
        Translation.card_id == Card.id,
        Translation.language == bindparam("language"),
        Translation.status == bindparam("published", TranslationStatus.PUBLISHED, type_=Translation.status.type),
    )
    return (
        select(
            Edition.id,
            Edition.published_at,
            Card.last_verified_at,
            *_facts_columns(),
            *_TRANSLATION_COLUMNS,
            content_version_column(),
        )
        .select_from(Card)
        .outerjoin(Edition, Card.live_edition_id == Edition.id)
        .outerjoin(Translation, translation)
        .where(Card.slug == bindparam("slug"))
    )


@lru_cache(maxsize=1)
def _site_stamp_query():
    counts = [select(func.count(m.id)).scalar_subquery() for m in (Category, LifeSituation)]
    return select(func.max(CardChange.id), func.max(CardChange.at), *counts, *_facts_columns())


def card_stamp(slug: str, language: str = "pl") -> Stamp | None:
    """The validators of a card's pages in `language`, in one query; None for an unknown slug."""
    return versioned_card_stamp(slug, language)[1]


def versioned_card_stamp(slug: str, language: str = "pl") -> tuple[str | None, Stamp | None]:
    """The content version and the card's stamp, read together in one query (so the stamp is at least as new
    as the version); the version is None when the slug is unknown."""
    params = {"slug": slug, "language": language, "published": TranslationStatus.PUBLISHED}
    row = read_row(_card_stamp_query(), params)
    if row is None:
        return None, None
    return row[-1], _stamp_of(row[:-1], language)


def _stamp_of(row: tuple, language: str) -> Stamp:
    facts = _latest(*row[3:8])
    parts = (row[0], row[1], row[2], facts)
    modified = _latest(row[1], row[2], facts)
    if language not in TRANSLATION_LANGUAGES:
        return Stamp(parts, modified, facts)
    translation = tuple(row[8:]) if row[8] is not None else (None,)
    return Stamp((*parts, language, *translation), _latest(modified, *translation[1:3]), facts, translation)


def site_stamp() -> Stamp:
    """The validators of pages that list many cards: the change log, the facts and how many groups exist."""
    row = read_row(_site_stamp_query(), {})
    facts = _latest(*row[4:])
    return Stamp((row[0], facts, row[2], row[3]), _latest(row[1], facts), facts)


class _Prepared:
    """A stamp query compiled once for one database: its SQL, its parameters' order and its columns' readers."""

    def __init__(self, query, dialect):
        compiled = query.compile(dialect=dialect)
        binds = compiled.binds.items()
        self.sql = compiled.string
        self.order = compiled.positiontup if dialect.positional else None
        self.binders = {name: p.type.dialect_impl(dialect).bind_processor(dialect) for name, p in binds}
        self.fixed = {name: p.value for name, p in binds if not p.required}  # constants written in the query
        self.readers = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in query.selected_columns]

    def parameters(self, params: dict):
        given = {**self.fixed, **params}
        values = {name: (bind(v) if (bind := self.binders.get(name)) else v) for name, v in given.items()}
        return values if self.order is None else [values[name] for name in self.order]

    def row(self, raw) -> tuple | None:
        return None if raw is None else tuple(r(v) if r else v for r, v in zip(self.readers, raw, strict=True))


class StampReader:
    """Stamp queries on a pool of their own (the main pool's limits): autocommit connections, no session, no pre-ping.

    A stamp is read on every public page request, a page-cache hit included, where it is all the database
    work there is; through the ORM session it cost a pooled connection pinged with its own round trip and a
    transaction begun and closed around one statement. Here the statement, compiled once, runs on a pooled
    connection in autocommit mode, so it always sees the last commit. A connection the server dropped (a
    PostgreSQL restart) fails the statement; the pool is then emptied and `read_row` asks again the ordinary
    way (pre-pinged pool, the session's error handling), so a restart costs no request an error.
    """

    def __init__(self, engine: Engine, options: dict):
        self.engine = create_engine(engine.url, isolation_level="AUTOCOMMIT", pool_reset_on_return=None, **options)
        self.prepared: dict = {}
        event.listen(engine, "engine_disposed", lambda _conn: self.engine.dispose())

    def first(self, query, params: dict) -> tuple | None:
        prepared = self.prepared.get(query)
        if prepared is None:
            prepared = self.prepared.setdefault(query, _Prepared(query, self.engine.dialect))
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(prepared.sql, prepared.parameters(params))
            raw = cursor.fetchone()
            cursor.close()
        except Exception:
            connection.invalidate()
            self.engine.dispose()  # after a restart every pooled connection is dead, not just this one
            raise
        finally:
            connection.close()
        return prepared.row(raw)


SHARED_OPTIONS = ("connect_args", "pool_size", "max_overflow", "pool_timeout", "pool_recycle")
_READERS: "weakref.WeakKeyDictionary[Engine, StampReader]" = weakref.WeakKeyDictionary()


def _reader() -> StampReader | None:
    engine = db.engine
    reader = _READERS.get(engine)
    if reader is None:
        if engine.url.get_backend_name() == "sqlite" and engine.url.database in (None, "", ":memory:"):
            return None  # a second connection would see another, empty database
        options = current_app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {}
        shared = {k: v for k, v in options.items() if k in SHARED_OPTIONS}  # the same limits as the main pool
        reader = _READERS.setdefault(engine, StampReader(engine, shared))
    return reader


def autocommit_engine() -> Engine:
    """The stamp reader's engine (autocommit connections, the main pool's limits), for other one-statement
    writers off the session (the batched search log); the session's engine where there is no reader."""
    reader = _reader()
    return db.engine if reader is None else reader.engine


def read_row(query, params: dict) -> tuple | None:
    """The first row of a stamp query, read through the StampReader; the ORM session's connection when that
    fails (a dropped connection is retried there, a database that is down raises its usual error)."""
    reader = _reader()
    if reader is not None:
        try:
            return reader.first(query, params)
        except (SQLAlchemyError, reader.engine.dialect.loaded_dbapi.Error):
            current_app.logger.warning("stamp read failed on its own connection; reading through the session")
    row = db.session.connection().execute(query, params).first()
    return None if row is None else tuple(row)


# The content version: a token in the `setting` table replaced, in the same transaction, by every write through
# the ORM session (a flush, or an update/delete/insert statement run by it) to what a card stamp reads (cards,
# editions, the change log, translations, shared facts). Raw SQL on a bare connection (psql) does not move it:
# restart the workers after such surgery, as after restoring a backup. A process may keep
# card stamps while the version it last read is unchanged (kiosk.page_cache.published_card_stamp). A new
# random token, not a counter, so a restored backup never brings back a version a process already saw.
CONTENT_VERSION_KEY = "content_version"
VERSIONED_MODELS = (Card, Edition, CardChange, Translation, *FACT_MODELS)


def content_version_column():
    return select(Setting.value).where(Setting.key == CONTENT_VERSION_KEY).scalar_subquery().label("version")


@lru_cache(maxsize=1)
def _content_version_query():
    return select(content_version_column())


def content_version() -> str | None:
    """The current content version, in one small query (None before the first write)."""
    return read_row(_content_version_query(), {})[0]


@event.listens_for(Session, "before_flush")
def _remember_content_writes(session, flush_context, instances):
    if any(isinstance(obj, VERSIONED_MODELS) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info["bump_content_version"] = True


@event.listens_for(Session, "after_flush")
def _bump_after_flush(session, flush_context):
    if session.info.pop("bump_content_version", False):
        _bump_content_version(session)


@event.listens_for(Session, "do_orm_execute")
def _bump_on_statement_writes(state):
    # update(Translation)… run through the session writes without a flush; it moves the version too.
    writes = state.is_update or state.is_delete or state.is_insert
    if writes and getattr(state.statement, "table", None) in _versioned_tables():
        _bump_content_version(state.session)


@lru_cache(maxsize=1)
def _versioned_tables() -> frozenset:
    return frozenset(model.__table__ for model in VERSIONED_MODELS)


def _bump_content_version(session) -> None:
    connection, token = session.connection(), uuid.uuid4().hex
    replaced = connection.execute(update(Setting).where(Setting.key == CONTENT_VERSION_KEY).values(value=token))
    if replaced.rowcount == 0:
        connection.execute(insert(Setting).values(key=CONTENT_VERSION_KEY, value=token))
