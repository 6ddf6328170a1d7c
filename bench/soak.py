"""Soak and fault test: a realistic mix through nginx on two app servers, an app server killed mid-run.

Usage: .venv/bin/python bench/soak.py [--minutes 10] [--clients 8] [--database-url URL] [--restart-postgres]

Loopback only. Two gunicorn servers (deploy/gunicorn.conf.py, two workers each, own index) on one PostgreSQL
behind deploy/nginx/okienko.conf. Residents read card pages, search, use the kiosk and the API over HTTPS
through nginx; editors save new cards and front-desk clerks register applications with the services
(in-process writers on the same database, standing in for the back office). At a third of the run server A
is killed (SIGKILL to master and workers) and restarted at half time; with --restart-postgres the local
PostgreSQL cluster is restarted at two thirds (never on a shared machine). Reports throughput, p50/p99
per route, errors by phase, writes acknowledged vs found in the database, and worker RSS after warm-up
(a tenth of the run) and at the end.
"""

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from kiosk.accounts import services as accounts  # noqa: E402
from kiosk.accounts.models import Role  # noqa: E402
from kiosk.cards import services as cards  # noqa: E402
from kiosk.cards.content import edition_to_content  # noqa: E402
from kiosk.cards.models import Card  # noqa: E402
from kiosk.content.services import import_content  # noqa: E402
from kiosk.extensions import db  # noqa: E402
from kiosk.facts.models import Location  # noqa: E402
from kiosk.intake import services as intake  # noqa: E402
from kiosk.intake.models import Case  # noqa: E402
from kiosk.search import services as search  # noqa: E402

PASSWORD = "Hasło-soak-2026!"
TERMS = ["dowod", "prawo jazdy", "meldunek", "dowód osobisty", "rejestracja auta", "ślub", "akt urodzenia",
         "ceidg", "karta dużej rodziny", "podatek", "zaswiadczenie", "paszport", "wymeldowanie"]  # fmt: skip


def phase_of(elapsed: float, total: float) -> str:
    if elapsed < total / 3:
        return "before"
    if elapsed < total / 2 + 5:
        return "outage"  # server A down, and five seconds for it to come back
    if elapsed < total * 2 / 3:
        return "after"
    return "late"


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
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        sizes.append(kb // 1024)
    return sizes


class Soak:
    def __init__(self, args, tmp: Path, url: str):
        from tests.ops.conftest import make_app

        self.args, self.tmp, self.url = args, tmp, url
        self.app = make_app(url, tmp, "setup")
        self.latencies = defaultdict(list)
        self.errors = defaultdict(lambda: defaultdict(int))
        self.writes = defaultdict(int)
        self.lock = threading.Lock()
        self.started = 0.0
        self.total = args.minutes * 60

    def prepare(self, servers) -> None:
        with self.app.app_context():
            upgrade(revision="heads")
            import_content(self.tmp / "content-setup")
            db.session.commit()
            accounts.create_user("soak-editor", "Redaktor", PASSWORD, [Role.EDITOR])
            accounts.create_user("soak-desk", "BOK", PASSWORD, [Role.FRONT_DESK])
            db.session.commit()
            self.slugs = list(db.session.scalars(select(Card.slug).where(Card.live_edition_id.is_not(None))))
            for server in servers:
                self.app.config["KIOSK_INDEX_DIR"] = str(server.index)
                search.rebuild()
            db.session.remove()

    def record(self, route: str, seconds: float, error: str | None) -> None:
        phase = phase_of(time.monotonic() - self.started, self.total)
        with self.lock:
            if error:
                self.errors[phase][f"{route}: {error}"] += 1
            else:
                self.latencies[route].append(seconds)

    def resident(self, proxy, stop: threading.Event) -> None:
        rng = random.Random()
        while not stop.is_set():
            slug = rng.choice(self.slugs)
            route, path = rng.choices([("card", f"/uslugi/{slug}"), ("search", f"/szukaj?q={rng.choice(TERMS)}"),
                                       ("kiosk", f"/kiosk/uslugi/{slug}"), ("api", f"/api/v1/cards/{slug}")],
                                      weights=[50, 25, 12, 13])[0]  # fmt: skip
            started = time.monotonic()
            try:
                status = proxy.get(quote(path, safe="/?=&")).status
                error = None if status in (200, 304) else f"HTTP {status}"
            except Exception as exc:  # a reset connection during the outage: counted, the client goes on
                error = type(exc).__name__
            self.record(route, time.monotonic() - started, error)

    def writer(self, kind: str, stop: threading.Event) -> None:
        """An editor saving a new card, or a clerk registering an application, every ~0.5 s."""
        rng = random.Random()
        with self.app.app_context():
            while not stop.is_set():
                started = time.monotonic()
                try:
                    self._write(kind, rng)
                    db.session.commit()
                    with self.lock:
                        self.writes[kind] += 1
                    self.record(kind, time.monotonic() - started, None)
                except Exception as exc:  # an outage: the write was not acknowledged, so it may be missing
                    db.session.rollback()
                    self.record(kind, 0, type(exc).__name__)
                time.sleep(0.5)
            db.session.remove()

    def _write(self, kind: str, rng) -> None:
        source = db.session.scalar(select(Card).where(Card.slug == rng.choice(self.slugs)))
        if kind == "editor":
            editor = accounts.get_user("soak-editor")
            card = cards.create_card(f"soak-{time.time_ns()}", editor, owner_department=source.owner_department)
            cards.open_draft(card, editor, edition_to_content(source.live_edition))
        else:
            point = db.session.scalar(select(Location).where(Location.slug == "bok-stary-rynek"))
            intake.register_application(source, point, accounts.get_user("soak-desk"), channel="written",
                                        delivery="pickup", applicant_name="Jan Testowy",
                                        applicant_contact="600 000 000", handed_in=[])  # fmt: skip

    def written(self) -> dict:
        with self.app.app_context():
            new_cards = select(func.count()).select_from(Card).where(Card.slug.like("soak-%"))
            found = {
                "editor": db.session.scalar(new_cards),
                "clerk": db.session.scalar(select(func.count()).select_from(Case)),
            }
            db.session.remove()
            db.engine.dispose()
        return found


def report(soak: Soak, rss_start: dict, rss_end: dict, found: dict, elapsed: float) -> None:
    print(f"\n## Soak: {elapsed / 60:.1f} min, {soak.args.clients} clients, two app servers behind nginx\n")
    print("| route | requests | req/s | p50 ms | p99 ms |\n| --- | --- | --- | --- | --- |")
    for route, values in sorted(soak.latencies.items()):
        ordered = sorted(values)
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        print(f"| {route} | {len(values)} | {len(values) / elapsed:.1f} | {statistics.median(values) * 1000:.1f} | "
              f"{p99 * 1000:.1f} |")  # fmt: skip
    print("\n| phase | errors |\n| --- | --- |")
    for phase in ("before", "outage", "after", "late"):
        detail = ", ".join(f"{k} ×{v}" for k, v in sorted(soak.errors[phase].items())) or "none"
        print(f"| {phase} | {detail} |")
    print(f"\nWrites acknowledged: {dict(soak.writes)}; found in the database: {found}")
    lost = {k: soak.writes[k] - found[k] for k in ("editor", "clerk") if found[k] < soak.writes[k]}
    print(f"Lost writes: {lost or 'none'}")
    for name in rss_start:
        note = " (restarted mid-run)" if name == "a" else ""
        print(f"Worker RSS server {name.upper()}: start {rss_start[name]} MiB, end {rss_end.get(name)} MiB{note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/okienko_soak")
    parser.add_argument(
        "--restart-postgres", action="store_true", help="restart the local cluster once (pg_ctlcluster)"
    )
    args = parser.parse_args()

    import os
    import subprocess

    from sqlalchemy import create_engine, text

    from tests.ops.nginx import Nginx, Proxy, free_port, render_site
    from tests.ops.test_cluster import Server

    base = args.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    name = base.rsplit("/", 1)[1]
    admin = create_engine(base.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    tmp = Path(tempfile.mkdtemp(prefix="okienko-soak-"))
    soak = Soak(args, tmp, args.database_url)
    servers = [Server("a", args.database_url, tmp), Server("b", args.database_url, tmp)]
    soak.prepare(servers)
    port = free_port()
    nginx = None
    try:
        for server in servers:
            server.wait_ready()
        nginx = Nginx(render_site(tmp, [f"127.0.0.1:{s.port}" for s in servers], port, free_port()), port)
        proxy = Proxy(port)
        stop = threading.Event()
        soak.started = time.monotonic()
        threads = [threading.Thread(target=soak.resident, args=(proxy, stop)) for _ in range(args.clients)]
        threads += [threading.Thread(target=soak.writer, args=(kind, stop)) for kind in ("editor", "clerk")]
        for thread in threads:
            thread.start()
        killed = restarted = pg_restarted = False
        rss_start = None
        while (elapsed := time.monotonic() - soak.started) < soak.total:
            if rss_start is None and elapsed >= soak.total / 10:  # after warm-up: Morfeusz and caches loaded
                rss_start = {n: worker_rss(s.process.pid) for n, s in zip("ab", servers, strict=True)}
            if not killed and elapsed >= soak.total / 3:
                print(f"{elapsed:.0f}s: killing server A", flush=True)
                servers[0].kill()
                killed = True
            if killed and not restarted and elapsed >= soak.total / 2:
                print(f"{elapsed:.0f}s: restarting server A", flush=True)
                servers[0] = Server("a", args.database_url, tmp)
                servers[0].wait_ready()
                restarted = True
            if args.restart_postgres and not pg_restarted and elapsed >= soak.total * 2 / 3:
                print(f"{elapsed:.0f}s: restarting PostgreSQL", flush=True)
                version = sorted(os.listdir("/etc/postgresql"))[-1]
                subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True)
                pg_restarted = True
            time.sleep(0.5)
        stop.set()
        for thread in threads:
            thread.join(30)
        rss_end = {n: worker_rss(s.process.pid) for n, s in zip("ab", servers, strict=True)}
        report(soak, rss_start, rss_end, soak.written(), time.monotonic() - soak.started)
    finally:
        if nginx:
            nginx.stop()
        for server in servers:
            server.stop()


if __name__ == "__main__":
    main()
