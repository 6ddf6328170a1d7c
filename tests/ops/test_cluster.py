"""Two application servers on one PostgreSQL behind a real nginx, on loopback (`make test-cluster`).

Each server is gunicorn with deploy/gunicorn.conf.py, two workers, its own search index and its own
metrics directory, with the production cache settings. Stated times: a publish made on server A is served
and found by both servers within CONVERGE_SECONDS, and through the nginx cache within CACHE_BOUND, both for
a page residents keep asking for (revalidated in the background) and for one nobody asked for meanwhile.
"""

import http.cookiejar
import itertools
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from flask_migrate import upgrade

from kiosk.accounts import services as accounts
from kiosk.accounts.models import Role
from kiosk.cards import services as cards
from kiosk.extensions import db
from kiosk.search import services as search
from tests.conftest import PG_URL, REPO
from tests.factories import Factory

from .conftest import PASSWORD, make_app, new_database, sample
from .nginx import Nginx, Proxy, free_port, render_site

pytestmark = pytest.mark.skipif(not os.environ.get("KIOSK_TEST_CLUSTER"), reason="runs with `make test-cluster`")

CONVERGE_SECONDS = 2.0
# s-maxage + stale-while-revalidate (kiosk/settings.py) + the app's 1 s stamp memo and nginx's whole seconds
CACHE_BOUND = 5 + 5 + 2
FACTORY = "kiosk:create_app()"
SECRET = "cluster-secret-key-0123456789abcdef0123456789"


class Server:
    """One gunicorn (master + 2 workers), stopped by its own pid."""

    def __init__(self, name: str, url: str, tmp_path: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.index = tmp_path / f"index-{name}"
        env = {**os.environ, "KIOSK_DATABASE_URL": url, "KIOSK_INDEX_DIR": str(self.index),
               "KIOSK_PAGE_STORE_DIR": str(tmp_path / f"pages-{name}"),
               "KIOSK_CONTENT_DIR": str(tmp_path / "content-setup"), "KIOSK_SECRET_KEY": SECRET,
               "KIOSK_PROXY_HOPS": "1", "KIOSK_LOG_FORMAT": "json", "OKIENKO_BIND": f"127.0.0.1:{self.port}",
               "OKIENKO_WORKERS": "2", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / f"metrics-{name}")}  # fmt: skip
        env.pop("KIOSK_TEST_DATABASE_URL", None)
        self.log = open(tmp_path / f"gunicorn-{name}.log", "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen([str(REPO / ".venv" / "bin" / "gunicorn"), "--config",
                                         str(REPO / "deploy" / "gunicorn.conf.py"), FACTORY],
                                        cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)  # fmt: skip

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/robots.txt", timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn on {self.base} did not start: {Path(self.log.name).read_text()[-3000:]}")

    def get(self, path: str, opener=None) -> str:
        with (opener or urllib.request.build_opener()).open(self.base + path, timeout=10) as response:
            return response.read().decode()

    def kill(self) -> None:
        """The bad day: master and workers die at once (SIGKILL to this gunicorn's own process group)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(40)
        self.log.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Started once for the module (about 15 s); the tests below run in file order on the same cluster."""
    if not PG_URL:
        pytest.fail("the cluster test runs on PostgreSQL: set KIOSK_TEST_DATABASE_URL (make test-cluster does)")
    tmp_path = tmp_path_factory.mktemp("cluster")
    empty_database_url = new_database("cluster")
    setup = make_app(empty_database_url, tmp_path, "setup")
    servers = [Server("a", empty_database_url, tmp_path), Server("b", empty_database_url, tmp_path)]
    with setup.app_context():
        upgrade(revision="heads")
        factory = Factory(db)
        factory.published_card("karta-klastra", title="Karta klastra", keywords=["klasterek"])
        accounts.create_user("redaktor", "Redaktor", PASSWORD, [Role.EDITOR])
        db.session.commit()
        for server in servers:  # each server builds its own index at deploy time (`flask search rebuild`)
            setup.config["KIOSK_INDEX_DIR"] = str(server.index)
            search.rebuild()
        db.session.remove()
        db.engine.dispose()
    proxy_port = free_port()
    conf = render_site(tmp_path, [f"127.0.0.1:{s.port}" for s in servers], proxy_port, free_port())
    nginx = None
    try:
        for server in servers:
            server.wait_ready()
        nginx = Nginx(conf, proxy_port)
        yield {"a": servers[0], "b": servers[1], "proxy": Proxy(proxy_port), "url": empty_database_url,
               "tmp": tmp_path}  # fmt: skip
    finally:
        if nginx:
            nginx.stop()
        for server in servers:
            server.stop()


def publish_new_edition(url: str, tmp_path: Path, index: Path) -> None:
    """A publisher working on server A: the same code and index directory as A's workers."""
    app = make_app(url, tmp_path, "publisher")
    app.config["KIOSK_INDEX_DIR"] = str(index)
    with app.app_context():
        from kiosk.cards.models import Card

        factory = Factory(db)
        card = db.session.scalar(db.select(Card).where(Card.slug == "karta-klastra"))
        editor, approver, publisher = factory.team()
        edition = cards.open_draft(card, editor, factory.content(title="Karta klastra – wydanie drugie",
                                                                 keywords=["klasterek", "dwojeczka"]))  # fmt: skip
        cards.submit_edition(edition, editor)
        cards.approve_edition(edition, approver)
        cards.publish_edition(edition, publisher)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def seconds_until(check, limit: float) -> float:
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > limit:
            raise AssertionError(f"not within {limit} s")
        time.sleep(0.05)
    return time.monotonic() - started


# Pages the fast lane replays (kiosk/web/fastlane.py): each of a server's workers records and replays them.
LANE_PAGES = ("/uslugi/karta-klastra", "/kiosk/uslugi/karta-klastra", "/api/v1/cards/karta-klastra")


def test_a_publish_on_one_server_is_served_and_found_by_both_and_through_the_cache(cluster):
    a, b, proxy = cluster["a"], cluster["b"], cluster["proxy"]
    for server in (a, b):
        assert "karta-klastra" in server.get("/szukaj?q=klasterek")
    assert proxy.get("/uslugi/karta-klastra").getheader("X-Cache-Status") == "MISS"
    assert proxy.get("/uslugi/karta-klastra").getheader("X-Cache-Status") == "HIT"
    assert proxy.get("/api/v1/cards/karta-klastra").getheader("X-Cache-Status") == "MISS"  # then left alone
    for server, path, _ in itertools.product((a, b), LANE_PAGES, range(4)):  # recorded, then replayed (fast lane)
        assert "Karta klastra" in server.get(path)
    publish_new_edition(cluster["url"], cluster["tmp"], a.index)
    published = time.monotonic()
    limit = CONVERGE_SECONDS
    for server in (a, b):
        for path in LANE_PAGES:
            seconds_until(lambda s=server, p=path: "wydanie drugie" in s.get(p), limit)
        seconds_until(lambda s=server: "karta-klastra" in s.get("/szukaj?q=dwojeczka"), limit)
    # the page residents keep asking for: nginx revalidates it in the background, the new edition shows in time
    seconds_until(lambda: "wydanie drugie" in proxy.get("/uslugi/karta-klastra").body.decode(),
                  CACHE_BOUND - (time.monotonic() - published))  # fmt: skip
    # the page nobody asked for since: past the bound, nginx no longer serves its stale copy, it asks the app
    time.sleep(max(0.0, published + CACHE_BOUND - time.monotonic()))
    quiet = proxy.get("/api/v1/cards/karta-klastra")
    assert "wydanie drugie" in quiet.body.decode() and quiet.getheader("X-Cache-Status") == "EXPIRED"


def test_a_session_started_on_one_server_holds_on_the_other(cluster):
    a, b = cluster["a"], cluster["b"]
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = a.get("/admin/login", opener)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": "redaktor", "password": PASSWORD, "csrf_token": token}).encode()
    with opener.open(urllib.request.Request(b.base + "/admin/login", data=data), timeout=10) as response:
        assert "/admin/login" not in response.geturl()  # logged in through B with A's CSRF session
    assert "Redaktor" in a.get("/admin/", opener)  # and A knows the session B started
    assert "Redaktor" in b.get("/admin/", opener)


def test_the_log_in_limit_counts_attempts_made_on_either_server(cluster):
    a, b = cluster["a"], cluster["b"]
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def attempt(server, password) -> int:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', server.get("/admin/login", opener)).group(1)
        data = urllib.parse.urlencode({"username": "redaktor", "password": password, "csrf_token": token}).encode()
        try:
            with opener.open(urllib.request.Request(server.base + "/admin/login", data=data), timeout=10) as resp:
                return 200 if "/admin/login" in resp.geturl() else 302
        except urllib.error.HTTPError as exc:
            return exc.code

    for i in range(5):
        assert attempt((a, b)[i % 2], "wrong-password-123") == 401
    assert attempt(a, PASSWORD) == 429  # locked after five failures spread over two servers


def test_metrics_add_up_every_worker_of_a_server(cluster):
    b = cluster["b"]
    for _ in range(12):
        b.get("/robots.txt")
    totals = {sample(b.get("/metrics"), "okienko_http_requests_total", method="GET", route="/robots.txt",
                     status="200") for _ in range(6)}  # fmt: skip
    assert totals == {12 + 1}  # +1: the readiness probe; the same total whichever worker answered


def test_the_access_log_is_one_json_object_per_request_with_the_request_id(cluster):
    b = cluster["b"]
    b.get("/robots.txt")
    opener = urllib.request.build_opener()
    opener.addheaders = [("User-Agent", 'quote " and \\ back'), ("X-Request-Id", "probe-0123456789")]
    b.get("/robots.txt?x=1", opener)
    time.sleep(0.3)
    lines = [line for line in Path(b.log.name).read_text().splitlines() if line.startswith("{")]
    entries = [json.loads(line) for line in lines]  # every line parses
    access = [e for e in entries if e.get("event") == "access"]
    assert access and all(len(e["request_id"]) >= 8 and isinstance(e["status"], int) for e in access)
    probe = next(e for e in access if e["request_id"] == "probe-0123456789")
    assert probe["agent"] == 'quote " and \\ back' and probe["query"] == "x=1" and probe["path"] == "/robots.txt"


def test_nginx_keeps_serving_when_an_app_server_dies(cluster):
    a, proxy = cluster["a"], cluster["proxy"]
    a.kill()
    answers = [proxy.get(f"/szukaj?q=klasterek&n={i}") for i in range(20)]  # distinct URLs: none from the cache
    assert [r.status for r in answers] == [200] * 20
    assert all("karta-klastra" in r.body.decode() for r in answers)
