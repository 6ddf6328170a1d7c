"""Intake queue benchmark: registration time, queue and statistics render times over a large history,
and 50 concurrent registrations on PostgreSQL.

Usage: .venv/bin/python bench/intake.py [--history 200000] [--pg postgresql://postgres@127.0.0.1:5432/db]
Targets (issue 8): register a complete application ≤ 30 ms server-side; with 200,000 historical cases each
queue screen and the statistics render ≤ 100 ms; 50 concurrent registrations on PostgreSQL without a
duplicate number. Times are whole requests through the Flask test client (view, services, SQL, template),
logged in as a front-desk user. With --pg the same run happens on PostgreSQL (the database is wiped).
"""

import argparse
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from sqlalchemy import func, insert, select, text

from kiosk import create_app
from kiosk.accounts import services as accounts
from kiosk.accounts.models import Role
from kiosk.cards.models import Card, Edition
from kiosk.clock import LOCAL_TZ
from kiosk.content.services import import_content
from kiosk.extensions import db
from kiosk.facts.models import Location
from kiosk.intake import services
from kiosk.intake.models import Case, CaseCounter, CaseStatus
from kiosk.search import services as search

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "haslo-benchmarku-123"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SCREENS = ["/admin/bok/kolejki/dzisiaj", "/admin/bok/kolejki/braki", "/admin/bok/kolejki/do-przekazania",
           "/admin/bok/kolejki/w-wydzialach", "/admin/bok/kolejki/do-odbioru", "/admin/bok/statystyki",
           "/admin/bok/kolejki/w-wydzialach?late=1&page=3"]  # fmt: skip
# Share of historical cases by state: most are long closed; the open ones fill the queues.
STATES = [(CaseStatus.ISSUED, 0.70), (CaseStatus.DELIVERED, 0.15), (CaseStatus.LEFT_UNPROCESSED, 0.05),
          (CaseStatus.AT_DEPARTMENT, 0.04), (CaseStatus.READY, 0.02), (CaseStatus.INCOMPLETE, 0.02),
          (CaseStatus.COMPLETE, 0.02)]  # fmt: skip


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def build(url: str, workdir: Path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "KIOSK_INDEX_DIR": str(workdir / "index"),
                      "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 60, "max_overflow": 5} if "postgres" in url else {},
                      "WTF_CSRF_ENABLED": True})  # fmt: skip
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade(revision="heads")
        search.rebuild()  # an empty index first, so the import's commit hook fills it
        import_content(ROOT / "content")
        accounts.create_user("bok", "Okienko", PASSWORD, [Role.FRONT_DESK])
        db.session.commit()
    return app


def bulk_history(app, count: int) -> None:
    """`count` cases over four years across every card and service point, inserted in batches."""
    rng = random.Random(8)
    with app.app_context():
        cards = db.session.execute(select(Card.id, Card.owner_department_id, Edition.title, Edition.settle_days)
                                   .join(Edition, Edition.id == Card.live_edition_id)).all()  # fmt: skip
        points = list(db.session.scalars(select(Location.id).where(Location.is_service_point)))
        now = datetime.now(UTC)
        states, weights = zip(*STATES, strict=True)
        seqs: dict = {}
        rows = []
        for i in range(count):
            card = rng.choice(cards)
            point = rng.choice(points)
            open_state = rng.choices(states, weights)[0]
            closed = open_state in (CaseStatus.ISSUED, CaseStatus.DELIVERED, CaseStatus.LEFT_UNPROCESSED)
            age = rng.randint(1, 1460) if closed else rng.randint(0, 60)
            received = now - timedelta(days=age, minutes=rng.randint(0, 600))
            local = received.astimezone(LOCAL_TZ)
            seq = seqs[(local.year, point)] = seqs.get((local.year, point), 0) + 1
            days = rng.randint(1, 45)
            expected = (received + timedelta(days=card.settle_days or 30)).date()
            rows.append({
                "number": f"H{point}/{local.year}/{seq:07d}", "year": local.year, "seq": seq,
                "period": local.year * 100 + local.month, "code": "HISTORIA", "location_id": point,
                "card_id": card.id, "department_id": card.owner_department_id, "card_title": card.title,
                "handover_to": "", "settle_days": card.settle_days, "channel": "written", "delivery": "pickup",
                "mdok_ref": "", "status": open_state.value, "lock_version": 1, "applicant_name": "",
                "applicant_contact": "", "issued_to": "", "received_at": received, "was_incomplete": rng.random() < 0.2,
                "deadline_on": (received + timedelta(days=7)).date() if open_state == CaseStatus.INCOMPLETE else None,
                "expected_on": expected, "ready_at": received + timedelta(days=days) if open_state == CaseStatus.READY
                or closed else None, "closed_at": received + timedelta(days=days) if closed else None,
                "identity_seen": closed, "delivery_ref": "", "days_to_close": days if closed else None,
                "late": rng.random() < 0.1, "completed_at": received, "handed_over_at": None,
            })  # fmt: skip
            if len(rows) == 10_000 or i == count - 1:
                db.session.execute(insert(Case), rows)
                rows = []
        db.session.commit()
        # What autovacuum (PostgreSQL) or a periodic ANALYZE (SQLite) does for a table that grew over years.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE intake_case" if conn.dialect.name == "postgresql" else "ANALYZE"))


def login(app):
    client = app.test_client()
    token = TOKEN.search(client.get("/admin/login").get_data(as_text=True)).group(1)
    response = client.post("/admin/login", data={"username": "bok", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.status_code
    return client


def time_registrations(app, client, samples: int) -> list[float]:
    with app.app_context():
        slugs = list(db.session.scalars(select(Card.slug).where(Card.live_edition_id.is_not(None)).limit(20)))
        point = db.session.scalar(select(Location.id).where(Location.slug == "bok-stary-rynek"))
    token = TOKEN.search(client.get("/admin/bok/").get_data(as_text=True)).group(1)
    timings = []
    for i in range(samples):
        data = {"card": slugs[i % len(slugs)], "point": str(point), "channel": "written", "delivery": "pickup",
                "applicant_name": "Jan Kowalski", "applicant_contact": "600 100 200",
                "doc": [str(n) for n in range(12)], "csrf_token": token}  # fmt: skip
        start = time.perf_counter()
        response = client.post("/admin/bok/", data=data)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return timings[len(timings) // 8 :]  # without the warm-up


def time_screens(client, samples: int) -> dict:
    results = {}
    for path in SCREENS:
        for _ in range(3):
            assert client.get(path).status_code == 200, path
        timings = []
        for _ in range(samples):
            start = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        results[path] = timings
    return results


def concurrent(app, threads: int = 50) -> tuple[int, int, int]:
    """`threads` registrations at once at one point: (registered, distinct numbers, gaps)."""
    with app.app_context():
        slug = db.session.scalar(select(Card.slug).where(Card.live_edition_id.is_not(None)))
        point = db.session.scalar(select(Location.id).where(Location.slug == "pom-miodowa"))
        user_id = accounts.get_user("bok").id
    barrier, numbers, errors = threading.Barrier(threads), [], []

    def one(i: int) -> None:
        with app.app_context():
            try:
                card, user = services.find_card(slug), db.session.get(services.User, user_id)
                location = db.session.get(Location, point)
                barrier.wait(30)
                case = services.register_application(card, location, user, channel="written", delivery="pickup",
                                                      applicant_name=f"Osoba {i}", applicant_contact="tel",
                                                      handed_in=range(20))  # fmt: skip
                db.session.commit()
                numbers.append(case.seq)
            except Exception as exc:
                errors.append(exc)
            finally:
                db.session.remove()

    workers = [threading.Thread(target=one, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert not errors, errors[:3]
    with app.app_context():
        seqs = sorted(db.session.scalars(select(Case.seq).where(Case.location_id == point,
                                                                 Case.code != "HISTORIA")))  # fmt: skip
        top = db.session.scalar(select(func.max(CaseCounter.last_number)).where(CaseCounter.location_id == point))
    gaps = len(set(range(1, top + 1)) - set(seqs))
    return len(numbers), len(set(seqs)), gaps


def run(url: str, history: int, samples: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = build(url, Path(tmp))
        start = time.perf_counter()
        bulk_history(app, history)
        print(f"  {history:,} historical cases inserted in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        client = login(app)
        reg = time_registrations(app, client, samples)
        print(f"register (POST /admin/bok/, complete): p50 {statistics.median(reg):.1f} ms, "
              f"p95 {pct(reg, 95):.1f} ms (target ≤ 30)")  # fmt: skip
        for path, timings in time_screens(client, samples).items():
            print(f"{path}: p50 {statistics.median(timings):.1f} ms, p95 {pct(timings, 95):.1f} ms (target ≤ 100)")
        if "postgres" in url:
            made, distinct, gaps = concurrent(app)
            print(f"50 concurrent registrations: {made} registered, {distinct} distinct numbers, {gaps} gaps")
        with app.app_context():
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=int, default=200_000)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--pg", default="", help="PostgreSQL URL (its public schema is wiped)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"SQLite, {args.history:,} historical cases")
        run(f"sqlite:///{tmp}/intake.db", args.history, args.samples)
    if args.pg:
        print(f"PostgreSQL, {args.history:,} historical cases")
        run(args.pg, args.history, args.samples)


if __name__ == "__main__":
    main()
