"""Reading a card writes nothing: a scheduled edition past its date goes live only through `publish_due`."""

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event

from kiosk.clock import frozen

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
CARD_PATHS = ["/uslugi/{}", "/uslugi/{}/druk", "/uslugi/{}/historia", "/api/v1/cards/{}", "/api/v1/cards/{}/editions",
              "/kiosk/uslugi/{}", "/kiosk/uslugi/{}/qr.svg"]  # fmt: skip


@pytest.fixture
def due_card(db, factory):
    """A live card with a second edition scheduled for 30.11.2026 that the job has not published yet."""
    team = factory.team()
    card = factory.published_card("dowod-due", team=team, title="Dowod (wydanie 1)")
    factory.scheduled_edition(card, team, date(2026, 11, 30), title="Dowod (wydanie 2)")
    return card.slug


@pytest.fixture
def writes(db):
    """Every INSERT, UPDATE or DELETE and every COMMIT the application sends to the database."""
    seen = []

    def on_execute(conn, cursor, statement, *args):
        if WRITE.match(statement):
            seen.append(statement.split("\n")[0])

    def on_commit(conn):
        seen.append("COMMIT")

    event.listen(db.engine, "before_cursor_execute", on_execute)
    event.listen(db.engine, "commit", on_commit)
    yield seen
    event.remove(db.engine, "before_cursor_execute", on_execute)
    event.remove(db.engine, "commit", on_commit)


def test_reading_a_card_with_a_due_edition_writes_nothing(db, client, due_card, writes):
    db.session.remove()
    with frozen(datetime(2026, 11, 30, 8, tzinfo=UTC)):
        for path in CARD_PATHS:
            response = client.get(path.format(due_card))
            assert response.status_code == 200, path
            assert writes == [], path
            assert "wydanie 2" not in response.get_data(as_text=True), path  # the live edition, never the due one
