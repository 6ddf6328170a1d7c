"""Card stamps are read on a connection pool of their own: always the last commit, and a dropped connection
is replaced without failing a request."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, update

from kiosk.cards import stamp as stamps
from kiosk.cards.models import Card
from kiosk.extensions import db as _db
from tests.conftest import PG_URL
from tests.ops.test_database_restart import drop_every_other_connection


def _other_engine(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    return create_engine(url)


def test_a_stamp_reads_what_another_connection_committed_at_once(app, db, factory):
    """A verification written straight into the database by another process moves the card's stamp."""
    card = factory.published_card("dowod-test")
    db.session.commit()
    before = stamps.card_stamp("dowod-test")
    assert stamps._READERS.get(_db.engine) is not None  # read through the stamp's own pool
    other = _other_engine(app)
    with other.begin() as conn:
        conn.execute(update(Card).where(Card.id == card.id).values(last_verified_at=datetime(2030, 6, 1)))
    other.dispose()
    after = stamps.card_stamp("dowod-test")
    assert after.parts != before.parts and after.modified == datetime(2030, 6, 1, tzinfo=UTC)
    assert stamps.card_stamp("nie-ma-takiej") is None


def test_the_stamp_matches_the_one_read_through_the_session(app, db, factory):
    factory.published_card("dowod-test")
    db.session.commit()
    own = stamps.card_stamp("dowod-test", "en")
    row = db.session.connection().execute(stamps._card_stamp_query(), {
        "slug": "dowod-test", "language": "en", "published": stamps.TranslationStatus.PUBLISHED}).first()  # fmt: skip
    assert own.parts[:3] == tuple(row[:3]) and own.modified.tzinfo is not None
    assert stamps.site_stamp().parts[0] is not None


@pytest.mark.postgres
def test_a_connection_the_server_dropped_is_replaced_without_an_error(app, db, client, factory, caplog):
    assert PG_URL
    factory.published_card("dowod-osobisty")
    db.session.commit()
    assert client.get("/uslugi/dowod-osobisty").status_code == 200
    db.session.remove()
    assert drop_every_other_connection() >= 1  # the stamp pool's connection among them
    assert client.get("/uslugi/dowod-osobisty").status_code == 200
    assert "reading through the session" in caplog.text  # the failed read was done again, not answered 500
    caplog.clear()
    assert client.get("/kiosk/uslugi/dowod-osobisty").status_code == 200
    assert "reading through the session" not in caplog.text  # the emptied pool connects afresh
