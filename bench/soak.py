"""Soak and fault test: a realistic mix through nginx on two app servers, an app server killed, PostgreSQL restarted.

Usage: .venv/bin/python bench/soak.py [--minutes 10] [--residents 8] [--writers 2]
                                      [--database-url postgresql://postgres@127.0.0.1:5432/soak_prod]
                                      [--no-restart-postgres]

Loopback only. Two gunicorn servers (deploy/gunicorn.conf.py, production settings, two workers each, own
index) on one PostgreSQL database (dropped and created afresh; never `test`) behind deploy/nginx/okienko.conf.
Everything goes over HTTPS through nginx, each client on its own keep-alive connection with its own cookies:
residents read card pages, search, the kiosk and the API; editors log in and save new cards
(/admin/cards/new); front-desk clerks log in and register applications (/admin/bok/). Timeline: worker
RSS after warm-up (a tenth of the run); server A killed (SIGKILL to master and workers) at 30 % and started
again at 40 %; the local PostgreSQL cluster restarted once at 65 % (`--no-restart-postgres` for a dry run:
the cluster is shared). Reports throughput and p50/p99 per route, requests and errors by phase (an outage
phase lasts until the part is back plus GRACE_SECONDS), writes acknowledged with a redirect (2xx/3xx) against
rows found in the database afterwards, and worker RSS at the start and the end.
"""

import argparse
import http.client
import os
import random
import re
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402

from kiosk.accounts import services as accounts  # noqa: E402
from kiosk.accounts.models import Role  # noqa: E402
from kiosk.cards.models import Card  # noqa: E402
from kiosk.content.services import import_content  # noqa: E402
from kiosk.extensions import db  # noqa: E402
from kiosk.facts.models import Department, Location  # noqa: E402
from kiosk.intake.models import Case  # noqa: E402
from kiosk.search import services as search  # noqa: E402

HOST = "okienko.plock.eu"
PASSWORD = "Hasło-soak-2026!"
GRACE_SECONDS = 5.0
TERMS = ["dowod", "prawo jazdy", "meldunek", "dowód osobisty", "rejestracja auta", "ślub", "akt urodzenia",
         "ceidg", "karta dużej rodziny", "podatek", "zaswiadczenie", "paszport", "wymeldowanie"]  # fmt: skip
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Timeline:
    """The phase the run is in; errors and requests are counted under the phase in which they completed."""

    def __init__(self):
        self.phase, self.order, self.started = "before", ["before"], time.monotonic()
        self.events: list[tuple[float, str]] = []

    def enter(self, phase: str, event: str) -> None:
        self.phase = phase
        if phase not in self.order:
            self.order.append(phase)
        self.events.append((time.monotonic() - self.started, event))
        print(f"{self.events[-1][0]:6.1f} s: {event}", flush=True)


class Client:
    """One browser: a keep-alive HTTPS connection to nginx and its own cookies."""

    context = ssl._create_unverified_context()  # the test certificate is self-signed

    def __init__(self, port: int):
        self.port, self.cookies, self.conn = port, {}, None

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, http.client.HTTPResponse]:
        headers = {"Host": HOST}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:  # a form posted from the page it is on (Flask-WTF checks the referrer over HTTPS)
            body = urlencode(form, doseq=True).encode()
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"https://{HOST}{path}"}
        if self.conn is None:
            self.conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=30)
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            response.body = response.read()
        except Exception:
            self.conn.close()
            self.conn = None
            raise
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value and "1970" not in cookie:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return response.status, response


def worker_rss(master_pid: int) -> list[int]:
    """RSS in MiB of each worker of one gunicorn master."""
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        return []
    sizes = []
    for pid in children:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        sizes.append(next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")) // 1024)
    return sizes


class Soak:
    def __init__(self, args, tmp: Path):
        from tests.ops.conftest import make_app

        self.args, self.tmp = args, tmp
        self.app = make_app(args.database_url, tmp, "setup")
        self.timeline = Timeline()
        self.latencies = defaultdict(list)
        self.requests = defaultdict(Counter)  # phase -> route -> completed requests
        self.errors = defaultdict(Counter)  # phase -> "route: error" -> count
        self.cache = Counter()  # X-Cache-Status of card pages
        self.acknowledged = {"editor": set(), "clerk": set()}
        self.lock = threading.Lock()

    def prepare(self, servers) -> None:
        with self.app.app_context():
            upgrade(revision="heads")
            import_content(self.tmp / "content-setup")
            db.session.commit()
            for i in range(self.args.writers):
                accounts.create_user(f"soak-editor-{i}", f"Redaktor {i}", PASSWORD, [Role.EDITOR])
                accounts.create_user(f"soak-desk-{i}", f"BOK {i}", PASSWORD, [Role.FRONT_DESK])
            db.session.commit()
            self.slugs = list(db.session.scalars(select(Card.slug).where(Card.live_edition_id.is_not(None))))
            self.department = db.session.scalar(select(Department.id).order_by(Department.id))
            self.point = db.session.scalar(select(Location.id).where(Location.slug == "bok-stary-rynek"))
            for server in servers:  # each server builds its own index at deploy time
                self.app.config["KIOSK_INDEX_DIR"] = str(server.index)
                search.rebuild()
            db.session.remove()
            db.engine.dispose()

    def record(self, route: str, seconds: float, error: str | None) -> None:
        with self.lock:
            phase = self.timeline.phase
            self.requests[phase][route] += 1
            if error:
                self.errors[phase][f"{route}: {error}"] += 1
            else:
                self.latencies[route].append(seconds)

    def timed(self, route: str, call, ok=lambda status: status in (200, 304)):
        """Run one request, record its latency or its error; the response, or None after an error."""
        started = time.monotonic()
        try:
            status, response = call()
        except Exception as exc:  # a reset connection or a timeout during an outage: counted, the client goes on
            self.record(route, 0, type(exc).__name__)
            return None
        self.record(route, time.monotonic() - started, None if ok(status) else f"HTTP {status}")
        return response if ok(status) else None

    def resident(self, port: int, stop: threading.Event) -> None:
        rng, client = random.Random(), Client(port)
        while not stop.is_set():
            slug = rng.choice(self.slugs)
            route, path = rng.choices([("card page", f"/uslugi/{slug}"), ("search", f"/szukaj?q={rng.choice(TERMS)}"),
                                       ("kiosk card", f"/kiosk/uslugi/{slug}"), ("API card", f"/api/v1/cards/{slug}")],
                                      weights=[50, 25, 12, 13])[0]  # fmt: skip
            response = self.timed(route, lambda p=path: client.request("GET", quote(p, safe="/?=&")))
            if response is not None and route == "card page":
                with self.lock:
                    self.cache[response.getheader("X-Cache-Status", "none")] += 1

    def log_in(self, client: Client, username: str) -> bool:
        page = self.timed("log-in", lambda: client.request("GET", "/admin/login"))
        token = CSRF.search(page.body.decode()) if page is not None else None
        if token is None:
            return False
        form = {"username": username, "password": PASSWORD, "csrf_token": token.group(1)}
        answer = self.timed("log-in", lambda: client.request("POST", "/admin/login", form), ok=lambda s: s == 302)
        return answer is not None

    def writer(self, kind: str, number: int, port: int, stop: threading.Event) -> None:
        """An editor saving a new card, or a clerk registering an application, about every half second."""
        client, signed_in, sequence = Client(port), False, 0
        username = f"soak-{'editor' if kind == 'editor' else 'desk'}-{number}"
        while not stop.is_set():
            signed_in = signed_in or self.log_in(client, username)
            if signed_in:
                sequence += 1
                signed_in = self.write(kind, client, f"soak-{number}-{sequence}")
            time.sleep(0.5)

    def write(self, kind: str, client: Client, slug: str) -> bool:
        """One save through the back office's own form; False when the session was lost (log in again)."""
        form_path = "/admin/cards/new" if kind == "editor" else "/admin/bok/"
        page = self.timed(f"{kind} opens form", lambda: client.request("GET", form_path), ok=lambda s: s in (200, 302))
        if page is None:
            return True  # an outage: keep the session and try again
        token = CSRF.search(page.body.decode()) if page.status == 200 else None
        if token is None:
            return False  # sent to the log-in page: the session is gone
        if kind == "editor":
            form = {"slug": slug, "title": f"Karta z testu {slug}", "owner_department": self.department}
            saved = re.compile(r"/admin/cards/(\d+)/edit")
        else:
            form = {"card": random.choice(self.slugs), "point": self.point, "channel": "written", "delivery": "pickup",
                    "applicant_name": "Jan Testowy", "applicant_contact": "600 000 000"}  # fmt: skip
            saved = re.compile(r"/admin/bok/sprawy/(\d+)/potwierdzenie")
        form["csrf_token"] = token.group(1)
        answer = self.timed(f"{kind} saves", lambda: client.request("POST", form_path, form), ok=lambda s: s == 302)
        found = saved.search(answer.getheader("Location", "")) if answer is not None else None
        if answer is not None and found is None:
            self.record(f"{kind} saves", 0, "redirect elsewhere")
        elif found is not None:
            with self.lock:
                self.acknowledged[kind].add(slug if kind == "editor" else int(found.group(1)))
        return True

    def found_in_database(self) -> dict[str, set]:
        with self.app.app_context():
            editor = set(db.session.scalars(select(Card.slug).where(Card.slug.in_(self.acknowledged["editor"]))))
            clerk = set(db.session.scalars(select(Case.id).where(Case.id.in_(self.acknowledged["clerk"]))))
            db.session.remove()
            db.engine.dispose()
        return {"editor": editor, "clerk": clerk}


def restart_postgres(timeline: Timeline) -> None:
    """The one PostgreSQL restart of the run (other helpers share the cluster: a few seconds, once)."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    timeline.enter("PostgreSQL restart", "restarting PostgreSQL")
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True, timeout=120)
    while subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]).returncode != 0:
        time.sleep(0.2)
    timeline.events.append((time.monotonic() - timeline.started, "PostgreSQL accepts connections"))
    print(f"{timeline.events[-1][0]:6.1f} s: PostgreSQL accepts connections", flush=True)


def report(soak: Soak, rss: dict, found: dict, elapsed: float) -> None:
    args = soak.args
    print(f"\n## Soak: {elapsed / 60:.1f} min, {args.residents} residents, {args.writers} editors and "
          f"{args.writers} clerks, two app servers behind nginx\n")  # fmt: skip
    print("Timeline: " + "; ".join(f"{t:.0f} s {event}" for t, event in soak.timeline.events) + "\n")
    total = sum(len(v) for v in soak.latencies.values())
    print(f"Throughput: {total / elapsed:.1f} successful requests/s overall\n")
    print("| route | requests | req/s | p50 ms | p99 ms |\n| --- | --- | --- | --- | --- |")
    for route, values in sorted(soak.latencies.items(), key=lambda item: -len(item[1])):
        ordered = sorted(values)
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        print(f"| {route} | {len(values):,} | {len(values) / elapsed:.1f} | {statistics.median(values) * 1000:.1f} | "
              f"{p99 * 1000:.1f} |")  # fmt: skip
    print(f"\nCard pages by nginx cache status: {dict(soak.cache.most_common())}\n")
    print("| phase | requests | errors |\n| --- | --- | --- |")
    for phase in soak.timeline.order:
        detail = ", ".join(f"{k} ×{v}" for k, v in sorted(soak.errors[phase].items())) or "none"
        print(f"| {phase} | {sum(soak.requests[phase].values()):,} | {detail} |")
    for kind in ("editor", "clerk"):
        acknowledged, present = soak.acknowledged[kind], found[kind]
        lost = acknowledged - present
        print(f"\n{kind} writes acknowledged: {len(acknowledged)}, found in the database: {len(present)}, "
              f"lost: {len(lost)}{' ' + str(sorted(lost)[:10]) if lost else ''}", end="")  # fmt: skip
    print()
    for name in "ab":
        note = " (restarted mid-run: its end figure is a fresh server)" if name == "a" else ""
        print(f"Worker RSS server {name.upper()}: after warm-up {rss['start'][name]} MiB, end {rss['end'][name]} MiB"
              f"{note}")  # fmt: skip


def fresh_database(url: str) -> None:
    base = url.replace("postgresql://", "postgresql+psycopg://", 1)
    name = base.rsplit("/", 1)[1]
    if name in ("test", "postgres") or not name:
        raise SystemExit(f"refusing to drop database {name!r}: give the soak a database of its own")
    admin = create_engine(base.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def run(soak: Soak, servers: list, port: int) -> dict:
    """The timeline; returns worker RSS after warm-up and at the end."""
    from tests.ops.test_cluster import Server

    args, timeline, total = soak.args, soak.timeline, soak.args.minutes * 60
    stop = threading.Event()
    threads = [threading.Thread(target=soak.resident, args=(port, stop)) for _ in range(args.residents)]
    threads += [threading.Thread(target=soak.writer, args=(kind, i, port, stop))
                for i in range(args.writers) for kind in ("editor", "clerk")]  # fmt: skip
    timeline.started = time.monotonic()
    for thread in threads:
        thread.start()
    rss, steps = {}, ["warm-up", "kill", "start", "postgres"]
    while (elapsed := time.monotonic() - timeline.started) < total:
        if steps and steps[0] == "warm-up" and elapsed >= total * 0.10:
            rss["start"] = {n: worker_rss(s.process.pid) for n, s in zip("ab", servers, strict=True)}
            steps.pop(0)
        elif steps and steps[0] == "kill" and elapsed >= total * 0.30:
            timeline.enter("server A down", "server A killed (SIGKILL)")
            servers[0].kill()
            steps.pop(0)
        elif steps and steps[0] == "start" and elapsed >= total * 0.40:
            servers[0] = Server("a", args.database_url, soak.tmp)
            servers[0].wait_ready()
            timeline.events.append((time.monotonic() - timeline.started, "server A ready"))
            time.sleep(GRACE_SECONDS)
            timeline.enter("after server A", "outage window of server A closed")
            steps.pop(0)
        elif steps and steps[0] == "postgres" and elapsed >= total * 0.65:
            if args.restart_postgres:
                restart_postgres(timeline)
                time.sleep(GRACE_SECONDS)
                timeline.enter("after PostgreSQL", "outage window of PostgreSQL closed")
            steps.pop(0)
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join(60)
    rss["end"] = {n: worker_rss(s.process.pid) for n, s in zip("ab", servers, strict=True)}
    return rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--residents", type=int, default=8)
    parser.add_argument("--writers", type=int, default=2, help="editors, and as many clerks")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/soak_prod")
    parser.add_argument("--no-restart-postgres", dest="restart_postgres", action="store_false",
                        help="skip the PostgreSQL restart (a dry run)")  # fmt: skip
    args = parser.parse_args()

    from tests.ops.nginx import Nginx, free_port, render_site
    from tests.ops.test_cluster import Server

    fresh_database(args.database_url)
    tmp = Path(tempfile.mkdtemp(prefix="okienko-soak-"))
    soak = Soak(args, tmp)
    servers = [Server("a", args.database_url, tmp), Server("b", args.database_url, tmp)]
    nginx = None
    try:
        soak.prepare(servers)
        for server in servers:
            server.wait_ready()
        port = free_port()
        nginx = Nginx(render_site(tmp, [f"127.0.0.1:{s.port}" for s in servers], port, free_port()), port)
        rss = run(soak, servers, port)
        elapsed = time.monotonic() - soak.timeline.started
        report(soak, rss, soak.found_in_database(), elapsed)
    finally:
        if nginx:
            nginx.stop()
        for server in servers:
            server.stop()
    print(f"(logs in {tmp})")


if __name__ == "__main__":
    main()
