"""The app survives a PostgreSQL restart: connections the server dropped are replaced, not handed to a request."""

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_URL


def drop_every_other_connection() -> int:
    """What a PostgreSQL restart does to the app's pool: every server-side connection to this database ends."""
    engine = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        ended = conn.scalar(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                 "WHERE datname = current_database() AND pid <> pg_backend_pid()"))  # fmt: skip
    engine.dispose()
    return ended


@pytest.mark.postgres
def test_requests_after_the_database_dropped_the_pool_s_connections_succeed(app, db, client, factory):
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"]  # production's settings, not a test's
    factory.published_card("dowod-osobisty")
    db.session.commit()
    assert client.get("/api/v1/cards/dowod-osobisty").status_code == 200
    db.session.remove()
    assert drop_every_other_connection() >= 1
    assert client.get("/api/v1/cards/dowod-osobisty").status_code == 200
    assert client.get("/uslugi/dowod-osobisty").status_code == 200
