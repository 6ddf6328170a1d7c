"""Fixtures that build real parts: the app on a real database (SQLite file or PostgreSQL), a real index dir.

Set KIOSK_TEST_DATABASE_URL to run the suite on PostgreSQL; when it is set and the server cannot be
reached the run fails (never skips), so CI's PostgreSQL leg always runs.
"""

import os
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from kiosk import create_app
from kiosk.extensions import db as _db

from .factories import Factory

PG_URL = os.environ.get("KIOSK_TEST_DATABASE_URL", "")


def pytest_collection_modifyitems(config, items):
    if PG_URL:
        return
    skip = pytest.mark.skip(reason="PostgreSQL-only test; runs in the PostgreSQL leg (make test runs both)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """A fresh, migrated database for this test session."""
    if PG_URL:
        url = PG_URL
        try:
            engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            engine.dispose()
        except Exception as exc:  # the PostgreSQL leg must fail, not skip
            pytest.exit(f"PostgreSQL at {url} is not reachable: {exc}", returncode=3)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="heads")
        _db.engine.dispose()
    return url


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "KIOSK_INDEX_DIR": str(tmp_path / "index"),
            "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        yield app
        _db.session.remove()
        _clear_tables()
        _db.engine.dispose()


def _clear_tables() -> None:
    tables = [t for t in reversed(_db.metadata.sorted_tables)]
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def factory(app) -> Factory:
    return Factory(_db)


@pytest.fixture
def content_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "content"
