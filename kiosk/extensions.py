"""Flask extensions, created unbound and bound in the app factory."""

from datetime import UTC, datetime
from functools import lru_cache

from babel import Locale
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

# Stable constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC: the same on SQLite and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    registry = registry(metadata=MetaData(naming_convention=NAMING_CONVENTION),
                        type_annotation_map={datetime: UTCDateTime()})  # fmt: skip


db = SQLAlchemy(model_class=Base)


def listen_on_session(*hooks: tuple) -> None:
    """Listen with each (event name, function) on the Flask-SQLAlchemy session class, once per process
    however many apps are built (the domains' commit hooks: search index, page store, e-mail)."""
    for name, fn in hooks:
        if not event.contains(db.session, name, fn):
            event.listen(db.session, name, fn)


@event.listens_for(Engine, "connect")
def _enforce_sqlite_foreign_keys(dbapi_connection, connection_record):
    """SQLite ignores foreign keys unless asked; PostgreSQL always enforces them."""
    if type(dbapi_connection).__module__ == "sqlite3":
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()


def select_locale():
    """The interface language: ?lang=, else the choice remembered in the session, else Polish.

    kiosk.web.views.check_query_and_language answers an unknown ?lang= with a 400 and stores a valid
    one in the session; anything unknown that still reaches here falls back to Polish.
    """
    from flask import current_app, request, session

    chosen = request.args.get("lang") or session.get("lang")
    code = chosen if chosen in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]
    return _parsed_locale(code)


@lru_cache(maxsize=16)
def _parsed_locale(code: str) -> Locale:
    # Flask-Babel parses a code anew on every request (a look-up of Babel's locale data); a Locale is immutable.
    return Locale.parse(code)


babel = Babel()
