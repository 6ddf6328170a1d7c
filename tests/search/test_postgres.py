"""Two app instances on one PostgreSQL, each with its own index directory, converge."""

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk import create_app
from kiosk.clock import frozen
from kiosk.extensions import db as _db
from kiosk.search import query_log, services
from kiosk.search.models import SearchQuery


@pytest.fixture
def other_instance(database_url, tmp_path):
    """A second app server: same database, its own index directory."""
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                        "KIOSK_INDEX_DIR": str(tmp_path / "other-index")})  # fmt: skip
    return other  # its engine is disposed with every other engine the test used (tests/conftest.py)


@pytest.mark.postgres
def test_a_card_published_through_one_instance_is_found_through_the_other(app, other_instance, factory):
    services.rebuild()
    with other_instance.app_context():
        services.rebuild()
        assert services.search("wycinka").total == 0
        _db.session.remove()
    factory.published_card("wycinka", title="Wycinka drzew")  # through the first instance
    with other_instance.app_context():
        response = services.search("wycinki drzew")
        assert not response.degraded and response.results[0].slug == "wycinka"
        assert other_instance.extensions["search"].applied_id() == app.extensions["search"].applied_id()
        _db.session.remove()


def wait_for_rows(ids: list[int], timeout: float = 5.0) -> list[tuple]:
    """The logged searches with these ids, read on a connection of their own once all of them are there."""
    deadline = time.monotonic() + timeout
    while True:
        with _db.engine.connect() as other:
            columns = (SearchQuery.id, SearchQuery.text, SearchQuery.result_count, SearchQuery.at)
            rows = other.execute(select(*columns).where(SearchQuery.id.in_(ids)).order_by(SearchQuery.id)).all()
        if len(rows) == len(ids) or time.monotonic() > deadline:
            return [tuple(row) for row in rows]
        time.sleep(0.05)


@pytest.mark.postgres
def test_batched_searches_get_their_ids_at_once_and_are_written_within_the_interval(app, index, factory):
    """Ids reserved from the sequence (a hundred per round trip) go to the searches at once; the writer
    thread stores them, masked, with their counts and times, within SEARCH_LOG_BATCH_SECONDS."""
    factory.published_card("dowod", title="Wydanie dowodu osobistego")
    app.config["SEARCH_LOG_BATCH_SECONDS"] = 0.1
    at = datetime(2026, 11, 4, 9, 30, tzinfo=UTC)
    with frozen(at):
        responses = [services.search(f"dowodu 88010112345 x{n}x", log_query=True) for n in range(150)]
    ids = [r.query_id for r in responses]
    assert ids == sorted(set(ids))  # distinct and ascending across two reservations
    rows = wait_for_rows(ids)
    assert rows == [(r.query_id, f"dowodu … x{n}x", r.total, at) for n, r in enumerate(responses)]


@pytest.mark.postgres
def test_a_click_on_a_search_still_waiting_in_the_batch_is_recorded_on_that_search(app, index, factory):
    factory.published_card("dowod", title="Wydanie dowodu osobistego")
    app.config["SEARCH_LOG_BATCH_SECONDS"] = 60  # the writer thread will not write it in time
    response = services.search("dowodu", log_query=True)
    assert services.record_opened("dowod", "dowodu", response.query_id)
    _db.session.commit()
    entry = _db.session.get(SearchQuery, response.query_id)
    assert (entry.text, entry.result_count, entry.opened_slug) == ("dowodu", 1, "dowod")
    assert _db.session.scalar(select(func.count()).select_from(SearchQuery)) == 1  # no second row for the click


@pytest.mark.postgres
def test_a_worker_that_stops_writes_the_searches_still_waiting(app, database_url, tmp_path):
    """A graceful stop (gunicorn's worker exit) writes the batch before the process ends."""
    script = (
        "from kiosk import create_app\n"
        "from kiosk.search import services\n"
        f"app = create_app({{'SQLALCHEMY_DATABASE_URI': {database_url!r}, 'SECRET_KEY': 'x' * 32,\n"
        f"                  'KIOSK_INDEX_DIR': {str(tmp_path / 'index')!r}, 'SEARCH_LOG_BATCH_SECONDS': 60}})\n"
        "with app.app_context():\n"
        "    print(services.search('wycinka drzew', log_query=True).query_id)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    query_id = int(done.stdout.split()[-1])
    assert wait_for_rows([query_id], timeout=0)[0][:3] == (query_id, "wycinka drzew", 0)


@pytest.mark.postgres
def test_a_click_answered_by_another_worker_before_the_batch_is_written_lands_on_its_search(
    app, index, factory, other_instance
):
    """The search waits in this worker's batch; the click reaches another worker first. It writes the row
    under the search's id, and the batch then fills in the text, count and time: one row, opened."""
    factory.published_card("dowod", title="Wydanie dowodu osobistego")
    app.config["SEARCH_LOG_BATCH_SECONDS"] = 60
    response = services.search("dowodu", log_query=True)
    other_instance.config["SEARCH_LOG_BATCH_SECONDS"] = 60
    with other_instance.app_context():
        assert services.record_opened("dowod", "dowodu", response.query_id)
        _db.session.commit()
        assert services.record_opened("dowod", "dowodu", 10_000)  # never handed out: not under that id
        _db.session.commit()
        _db.session.remove()
    assert wait_for_rows([response.query_id], timeout=0)[0][2] is None  # the click's row, before the batch
    query_log._batch().flush()
    columns = (SearchQuery.text, SearchQuery.result_count, SearchQuery.opened_slug)
    rows = _db.session.execute(select(SearchQuery.id, *columns).order_by(SearchQuery.id)).all()
    assert len(rows) == 2 and tuple(rows[0]) == (response.query_id, "dowodu", 1, "dowod")
    assert rows[1].id != 10_000 and rows[1].opened_slug == "dowod"  # the unknown id's click: a row of its own


@pytest.mark.postgres
def test_a_batch_the_database_refuses_is_kept_and_written_on_the_next_try(app, index, factory):
    """A database that cannot be reached (here: a port nothing listens on) loses no waiting search."""
    from sqlalchemy import create_engine

    app.config["SEARCH_LOG_BATCH_SECONDS"] = 60
    ids = [services.search(f"dowodu {word}", log_query=True).query_id for word in ("raz", "dwa")]
    batch = query_log._batch()
    reachable, batch.engine = batch.engine, create_engine("postgresql+psycopg://postgres@127.0.0.1:9/none")
    try:
        assert batch.flush() == 0 and batch.holds(ids[0]) and batch.holds(ids[1])
    finally:
        batch.engine.dispose()
        batch.engine = reachable
    assert batch.flush() == 2
    assert [row[1] for row in wait_for_rows(ids, timeout=0)] == ["dowodu raz", "dowodu dwa"]
