"""Fixtures that build real parts: the app on a real database (SQLite file or PostgreSQL), a real index dir.

Set KIOSK_TEST_DATABASE_URL to run the suite on PostgreSQL; when it is set and the server cannot be
reached the run fails (never skips), so CI's PostgreSQL leg always runs.
"""

import copy
import inspect
import os
import shutil
import sqlite3
import subprocess
import tempfile
import threading
import time
from functools import cached_property
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.pool import Pool
from werkzeug.serving import WSGIRequestHandler, make_server

from kiosk import create_app
from kiosk.background import wait_for_background
from kiosk.extensions import db as _db
from kiosk.process_caches import forget_all as forget_process_caches

from .factories import Factory

PG_URL = os.environ.get("KIOSK_TEST_DATABASE_URL", "")
REPO = Path(__file__).resolve().parent.parent


def _repo_status() -> str | None:
    """`git status --porcelain` of the repository, or None outside a git checkout."""
    try:
        result = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=REPO,
                                capture_output=True, text=True, timeout=30, check=True)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout


def pytest_sessionstart(session):
    session.config._repo_status_before = _repo_status()


def pytest_sessionfinish(session, exitstatus):
    """Tests never write into the repository: fail the run if the working tree changed under it."""
    before = getattr(session.config, "_repo_status_before", None)
    after = _repo_status()
    if before is None or after is None or before == after:
        return
    changed = set(after.splitlines()) ^ set(before.splitlines())
    message = "the test run changed the repository:\n  " + "\n  ".join(sorted(changed))
    session.config.get_terminal_writer().line(message, red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_collection_modifyitems(config, items):
    for item in items:  # the PostgreSQL leg deselects db_independent tests: the mark must never hide a database test
        if "db_independent" in item.keywords and "database_url" in item.fixturenames:
            raise pytest.UsageError(f"{item.nodeid} is marked db_independent but uses the database")
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
                # Commits return before the WAL reaches the disk (what they show other sessions is unchanged):
                # the suite never survives a server crash, and every test commits many times.
                conn.execute(text(f'ALTER DATABASE "{conn.engine.url.database}" SET synchronous_commit = off'))
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


# Every engine that connected and every database connection opened while a test runs (any app, any thread): the
# test's teardown disposes the engines and checks that each connection is closed. A connection left open is only
# closed by the garbage collector, at some later test, where psycopg's ResourceWarning then fails the wrong test.
_engines: set[Engine] = set()
_connections: list = []


@event.listens_for(Engine, "engine_connect")
def _remember_engine(connection):
    _engines.add(connection.engine)


@event.listens_for(Pool, "connect")
def _remember_connection(dbapi_connection, _record):
    _connections.append(dbapi_connection)
    if isinstance(dbapi_connection, sqlite3.Connection):
        # No fsync at each commit: the suite never survives a power cut, and every test commits many times.
        dbapi_connection.execute("PRAGMA synchronous = OFF")


def _is_open(dbapi_connection) -> bool:
    if hasattr(dbapi_connection, "closed"):  # psycopg
        return not dbapi_connection.closed
    try:  # sqlite3 has no flag: a closed connection refuses every use
        return dbapi_connection.total_changes >= 0
    except Exception:
        return False


def wait_until_checked_in(engine: Engine, timeout: float = 10) -> bool:
    """Wait for connections still out (a live server's request finishing in its own thread); True when none is."""
    deadline = time.monotonic() + timeout
    while engine.pool.checkedout() and time.monotonic() < deadline:
        time.sleep(0.05)
    return not engine.pool.checkedout()


@pytest.fixture(autouse=True)
def _no_connection_outlives_its_test(request):
    """Dispose every engine the test used (apps it built, `create_engine`) and fail it if a connection stays open:
    a session or `engine.connect()` never closed. It fails here, at the test that leaked, never later."""
    _engines.clear()
    _connections.clear()
    yield
    still_out = [str(engine.url) for engine in _engines if not wait_until_checked_in(engine)]
    for engine in _engines:
        engine.dispose()
    left_open = [c for c in _connections if _is_open(c)]
    _engines.clear()
    _connections.clear()
    for connection in left_open:
        connection.close()
    assert not still_out and not left_open, f"database connections left open: {still_out or left_open}"


# A publish renders the card's pages in a background thread only where a test asks for it
# (tests/web/test_page_store.py): elsewhere it would render in the middle of tests that count renders or queries.
TEST_CONFIG = {"TESTING": True, "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
               "WEB_PAGE_RENDER_ON_PUBLISH": False}  # fmt: skip


@pytest.fixture(scope="session")
def _session_app(database_url, tmp_path_factory):
    """One app per session: building one (some 160 URL rules, the admin's model views) costs about half a second,
    which over a thousand tests was most of the suite's time. Each test gets it back with pristine settings."""
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url,
                      "KIOSK_INDEX_DIR": str(tmp_path_factory.mktemp("unused-index")),
                      "KIOSK_CONTENT_DIR": str(REPO / "content")})  # fmt: skip
    return app, copy.deepcopy(dict(app.config)), dict(app.extensions), dict(vars(app))


def _tree_state(root: Path) -> dict[str, tuple]:
    """Every file and directory under `root` with what a write changes (inode, size, mode, modification time)."""
    state = {}
    for folder, _dirs, files in os.walk(root):
        for name in [".", *files]:
            info = os.stat(os.path.join(folder, name))
            state[os.path.join(folder, name)] = (info.st_ino, info.st_size, info.st_mode, info.st_mtime_ns)
    return state


@pytest.fixture(scope="session")
def _work_content(tmp_path_factory) -> tuple[Path, dict]:
    """The session's copy of content/ and its pristine state."""
    work = shutil.copytree(REPO / "content", tmp_path_factory.mktemp("content") / "content-work")
    return work, _tree_state(work)


def pristine_content(work_content: tuple[Path, dict]) -> Path:
    """The copy of content/, as content/ is: whatever a test wrote there (a synonym added from a search gap, an
    edited card) is copied back over first. Copying the 260 files for every test instead was a third of a short
    test's time."""
    work, state = work_content
    if _tree_state(work) != state:
        shutil.rmtree(work)
        shutil.copytree(REPO / "content", work)
        state.clear()
        state.update(_tree_state(work))
    return work


@pytest.fixture
def app(_session_app, _work_content, tmp_path):
    app, settings, extensions, attributes = _session_app
    _restore_attributes(app, attributes)  # a test's own client or request class (FreshContextClient) ends with it
    forget_process_caches()  # their keys are ids, and every test's empty tables hand the same ids out again
    # Every test gets content/ as it is, outside the repository: whatever a test writes never lands in it.
    work_content = pristine_content(_work_content)
    app.config.clear()
    app.config.update(copy.deepcopy(settings))
    app.config.update(KIOSK_INDEX_DIR=str(tmp_path / "index"), KIOSK_CONTENT_DIR=str(work_content),
                      KIOSK_PAGE_STORE_DIR=str(tmp_path / "pages"))  # fmt: skip
    app.extensions.clear()  # drops the caches and the index handle a previous test left behind
    app.extensions.update(extensions)
    with app.app_context():
        yield app
        wait_for_background()  # e-mail a request deferred must not run into the next test's tables
        _db.session.remove()
        wait_until_checked_in(_db.engine)  # a live server's last request may still be running in its thread
        _clear_tables()
        _db.engine.dispose()


def _restore_attributes(app, attributes: dict) -> None:
    for name in set(vars(app)) - set(attributes):
        if not isinstance(inspect.getattr_static(type(app), name, None), property | cached_property):  # jinja_loader
            delattr(app, name)
    for name, value in attributes.items():
        if getattr(app, name) is not value:
            setattr(app, name, value)


@pytest.fixture
def fresh_app(app):
    """A newly built app with this test's settings, for a test that adds routes of its own."""
    built = create_app(copy.deepcopy(dict(app.config)))
    with built.app_context():
        yield built


RESTART_SEQUENCES = (
    "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c "
    "WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"
)


def _clear_tables(attempts: int = 10) -> None:
    from sqlalchemy.exc import OperationalError

    tables = [t for t in reversed(_db.metadata.sorted_tables)]
    for attempt in range(attempts):
        try:
            with _db.engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    # DELETE, not TRUNCATE: on these few rows it is some 30 times faster (TRUNCATE makes new
                    # files for each of the tables). Foreign-key triggers are off for this transaction only, so
                    # cards and their live editions go in any order; sequences restart as TRUNCATE's would.
                    conn.execute(text("SET LOCAL session_replication_role = replica"))
                for table in tables:
                    conn.execute(table.delete())
                if conn.dialect.name == "postgresql":
                    conn.execute(text(RESTART_SEQUENCES))
            return
        except OperationalError:
            # A browser test's last request (a service worker's fetch) may still hold a lock in the live
            # server's thread: PostgreSQL reports a deadlock; wait for it to finish and try again.
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)


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


@pytest.fixture(scope="session")
def _imported_content(tmp_path_factory) -> dict:
    """The real content/ as the importer left it: every row and the built index (filled by the first test)."""
    return {"index": tmp_path_factory.mktemp("imported") / "index"}


@pytest.fixture
def real_content(app, db, _imported_content):
    """The real content/ imported into this test's database and indexed in this test's index directory.

    The first test imports and builds for real; every later one gets the same rows and index files back,
    seconds faster (the importer and the build are tested in their own tests). A test that changes the cards
    changes only its own copy: its tables are emptied and its index directory is its own."""
    from kiosk.content.services import import_content
    from kiosk.search import services

    snapshot, index_dir = _imported_content, Path(app.config["KIOSK_INDEX_DIR"])
    with db.engine.connect() as conn:  # else the rows kept (or put back) would carry another fixture's too
        assert not any(conn.execute(t.select().limit(1)).first() for t in db.metadata.sorted_tables), (
            "real_content must come before any fixture that writes to the database"
        )
    if "rows" not in snapshot:
        import_content(Path(app.config["KIOSK_CONTENT_DIR"]))
        db.session.commit()
        services.rebuild()
        with db.engine.connect() as conn:
            snapshot["rows"] = {t.name: [dict(r._mapping) for r in conn.execute(t.select())]
                                for t in db.metadata.sorted_tables}  # fmt: skip
        shutil.copytree(index_dir, snapshot["index"])
    else:
        _insert_rows(snapshot["rows"])
        shutil.copytree(snapshot["index"], index_dir, dirs_exist_ok=True)
    return services


def _insert_rows(rows: dict[str, list[dict]]) -> None:
    """Put rows read from these tables back, with their keys; the same state as the writes that made them."""
    with _db.engine.connect() as conn:
        postgres = conn.dialect.name == "postgresql"
        if not postgres:  # cards and their live editions refer to each other: no order satisfies both
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # outside a transaction, or SQLite ignores it
            conn.commit()
        with conn.begin():
            if postgres:
                conn.execute(text("SET LOCAL session_replication_role = replica"))
            for table in _db.metadata.sorted_tables:
                if rows.get(table.name):
                    conn.execute(table.insert(), rows[table.name])
            if postgres:
                _restart_sequences_after(conn, [t for t in _db.metadata.sorted_tables if rows.get(t.name)])
        if not postgres:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()


def _restart_sequences_after(conn, tables) -> None:
    """The next key of each table follows the keys put back (PostgreSQL's sequences do not see them)."""
    for table in tables:
        for column in table.primary_key.columns:
            quoted = f'"{table.name}"'
            sequence = conn.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": quoted, "c": column.name})
            if sequence:
                conn.execute(text(f'SELECT setval(:s, max("{column.name}")) FROM "{table.name}"'), {"s": sequence})


@pytest.fixture
def real_index(app, content_dir, real_content):
    """The real content/ imported into this test's database, searched through a fresh index in tmp."""
    app.config["KIOSK_CONTENT_DIR"] = str(content_dir)  # the real synonyms.yaml
    return real_content


# --- real browser -----------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
AXE_JS = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
# Screenshots go outside the repository (tests never write into it); set OKIENKO_TEST_ARTIFACTS to keep them.
ARTIFACTS = Path(os.environ.get("OKIENKO_TEST_ARTIFACTS") or Path(tempfile.gettempdir()) / "okienko-test-artifacts")


class OneShotHandler(WSGIRequestHandler):
    """HTTP/1.0: no keep-alive, so once the server is shut down nothing answers (the kiosk's offline test), and no
    request can reach the app through a kept-alive connection after the test's teardown began."""

    protocol_version = "HTTP/1.0"

    def log_message(self, format, *args):
        pass


def serve(app, port: int = 0):
    """The app over real HTTP on a loopback port; `shutdown()` really takes it off the network, and returns once
    the requests it had accepted are answered (a browser's last fetches would otherwise open database connections
    after the test's connection check)."""
    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=OneShotHandler)
    in_flight = _RequestCount(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    plain_shutdown, stopped = server.shutdown, []

    def shutdown():
        if not stopped:
            stopped.append(True)
            plain_shutdown()
            server.server_close()
            thread.join(5)
            in_flight.wait_for_none(timeout=10)

    server.shutdown = shutdown
    return server


class _RequestCount:
    """How many accepted requests a threaded test server is still answering (counted before each one's thread
    starts, so none slips between accept and count)."""

    def __init__(self, server):
        self.count, self.done = 0, threading.Condition()
        plain_process, plain_thread = server.process_request, server.process_request_thread

        def process_request(request, client_address):
            with self.done:
                self.count += 1
            try:
                plain_process(request, client_address)
            except BaseException:
                self._finished()
                raise

        def process_request_thread(request, client_address):
            try:
                plain_thread(request, client_address)
            finally:
                self._finished()

        server.process_request, server.process_request_thread = process_request, process_request_thread

    def _finished(self) -> None:
        with self.done:
            self.count -= 1
            self.done.notify_all()

    def wait_for_none(self, timeout: float) -> None:
        with self.done:
            self.done.wait_for(lambda: self.count <= 0, timeout)


@pytest.fixture
def live_server(app):
    """The app served over real HTTP on a free loopback port, for the browser."""
    server = serve(app)
    app.config["KIOSK_PUBLIC_URL"] = server.url  # absolute URLs (redirects, QR codes) point where it is served
    yield server
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="pl-PL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.1 A/AA and best practice) on the current page, as a person sees it."""
    # After a click that submits a form the new document may still be fetching its stylesheets (one
    # connection per request on the test server); judged before they apply, the unstyled navbar fails contrast.
    page.wait_for_load_state("load")
    # Evaluated through the DevTools protocol: the site's CSP rightly refuses an injected inline <script>.
    page.evaluate("() => { " + AXE_JS.read_text() + "\n}")
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]
    ]


def save_screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def docs_shot(page, name: str, full_page: bool = True) -> None:
    """A screenshot for docs/img, taken only when OKIENKO_DOCS_SHOTS=1 (bench/screenshots.py sets it), into
    ARTIFACTS: the script copies the images the docs reference into docs/img; tests never write into the repository."""
    if os.environ.get("OKIENKO_DOCS_SHOTS") == "1":
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)
