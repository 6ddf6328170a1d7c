"""Freshness benchmark: flagging dependents, the nightly check, and the dashboard, at city scale.

Usage: .venv/bin/python bench/freshness.py [--cards 5000] [--acts 200] [--links 20000] [--database-url URL]
Targets (issue 7): with 5,000 cards, 200 legal acts and 20,000 card–act links, flagging the dependents
of one changed legal act ≤ 100 ms; `flask freshness check` over all cards ≤ 20 s; the dashboard
renders ≤ 150 ms. Rows are bulk-inserted (the workflow is not what is measured).
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from sqlalchemy import insert, update

from kiosk import create_app
from kiosk.accounts import services as accounts
from kiosk.accounts.models import Role
from kiosk.cards.models import Card, Edition, EditionDocument, EditionLegalAct, EditionStatus
from kiosk.extensions import db
from kiosk.facts.models import Department, LegalAct, LegalActStatus
from kiosk.freshness.dependencies import flag_dependents
from kiosk.search.models import SearchQuery

PASSWORD = "haslo-benchmarku-123"


def fill(cards: int, acts: int, links: int) -> None:
    """Bulk rows: departments, acts, cards with a live edition, documents, card–act links, search log."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    db.session.execute(insert(Department), [{"slug": f"wydzial-{i}", "name": f"Wydział {i}", "phone": "", "email": "",
                       "address": "", "head_name": "", "head_email": f"naczelnik{i}@plock.test",
                       "cards_contact_name": "", "cards_contact_email": f"karty{i}@plock.test", "unverified": [],
                       "updated_at": now} for i in range(1, 21)])  # fmt: skip
    db.session.execute(insert(LegalAct), [{"slug": f"akt-{i}", "title": f"Ustawa nr {i}", "reference": "", "url": "",
                       "status": LegalActStatus.IN_FORCE, "updated_at": now} for i in range(1, acts + 1)])  # fmt: skip
    db.session.execute(insert(Card), [{"id": i, "slug": f"karta-{i}", "owner_department_id": 1 + i % 20,
                       "owner_name": "", "owner_email": f"wlasciciel{i % 300}@plock.test",
                       "review_interval_days": 180, "last_verified_at": now - timedelta(days=rng.randint(0, 400)),
                       "last_verified_by": "import", "created_at": now} for i in range(1, cards + 1)])  # fmt: skip
    body = "## Kto składa\n\nWniosek składasz osobiście. Zobacz też [inną kartę](/uslugi/karta-{n}).\n" * 5
    db.session.execute(insert(Edition), [{"id": i, "card_id": i, "number": 1, "status": EditionStatus.PUBLISHED,
                       "lock_version": 1, "title": f"Sprawa {i}", "summary": "Krótko o sprawie.",
                       "body": body.format(n=rng.randint(1, cards + 50)), "settle_text": "", "online_channel": "",
                       "online_url": "", "online_text": "", "appeal": "", "keywords": [],
                       "unverified": ["godziny kasy"] if i % 50 == 0 else [], "effective_date": now.date(),
                       "content_hash": "", "comment": "", "created_at": now, "updated_at": now, "published_at": now}
                       for i in range(1, cards + 1)])  # fmt: skip
    db.session.execute(update(Card).where(Card.id == Edition.id).values(live_edition_id=Edition.id))
    db.session.execute(insert(EditionDocument), [{"edition_id": i, "position": 0, "name": "Wniosek", "form": "original",
                       "required": True, "note": ""} for i in range(1, cards + 1) if i % 40])  # fmt: skip
    pairs = set()
    while len(pairs) < links:
        pairs.add((rng.randint(1, cards), rng.randint(1, acts)))
    db.session.execute(insert(EditionLegalAct), [{"edition_id": e, "legal_act_id": a, "position": 0, "detail": ""}
                                                 for e, a in sorted(pairs)])  # fmt: skip
    db.session.execute(insert(SearchQuery), [{"text": f"zapytanie {rng.randint(1, 800)}", "at": now,
                       "result_count": rng.choice([0, 0, 3]), "opened_slug": None} for _ in range(5000)])  # fmt: skip
    accounts.create_user("redaktor", "Redaktor", PASSWORD, [Role.EDITOR])
    db.session.commit()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def bench_flagging(acts: int) -> dict:
    """flag_dependents on several acts (plain call), and the same through the flush hook."""
    plain, hooked, counts = [], [], []
    for i in range(1, 11):
        act = db.session.get(LegalAct, i)
        start = time.perf_counter()
        counts.append(len(flag_dependents("legal_act", act, "Nowelizacja.", code="bench")))
        plain.append(time.perf_counter() - start)
        db.session.rollback()
    for i in range(11, 21):
        act = db.session.get(LegalAct, i)
        act.status = LegalActStatus.AMENDED
        start = time.perf_counter()
        db.session.flush()
        hooked.append(time.perf_counter() - start)
        db.session.rollback()
    return {"plain": statistics.median(plain), "plain_max": max(plain), "hooked": statistics.median(hooked),
            "dependents": statistics.median(counts)}  # fmt: skip


def bench_check(app) -> float:
    runner = app.test_cli_runner()
    start = time.perf_counter()
    result = runner.invoke(args=["freshness", "check"])
    elapsed = time.perf_counter() - start
    assert result.exit_code == 0, result.output
    print(result.output.strip())
    return elapsed


def bench_dashboard(app, samples: int = 15) -> dict:
    client = app.test_client()
    page = client.get("/admin/login").get_data(as_text=True)
    token = page.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    client.post("/admin/login", data={"username": "redaktor", "password": PASSWORD, "csrf_token": token})
    times = []
    for _ in range(samples + 2):
        with app.app_context():
            start = time.perf_counter()
            response = client.get("/admin/swiezosc/")
            times.append(time.perf_counter() - start)
        assert response.status_code == 200
    times = sorted(times[2:])
    return {"median": statistics.median(times), "p95": times[int(0.95 * (len(times) - 1))],
            "size": len(response.data)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=5000)
    parser.add_argument("--acts", type=int, default=200)
    parser.add_argument("--links", type=int, default=20000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "KIOSK_INDEX_DIR": f"{tmp}/index",
                          "SECRET_KEY": "benchmark-secret-key-0123456789abcdef", "ARGON2_TIME_COST": 1,
                          "ARGON2_MEMORY_COST": 8, "ARGON2_PARALLELISM": 1})  # fmt: skip
        with app.app_context():
            upgrade(revision="heads")
            start = time.perf_counter()
            fill(args.cards, args.acts, args.links)
            took = time.perf_counter() - start
            print(f"Filled {args.cards} cards, {args.acts} acts, {args.links} links in {took:.1f} s")
            flagging = bench_flagging(args.acts)
            check = bench_check(app)
            db.session.remove()
            dashboard = bench_dashboard(app)
    print(
        f"flag dependents of one act (~{flagging['dependents']:.0f} cards): median {ms(flagging['plain'])}, "
        f"max {ms(flagging['plain_max'])}; through the flush hook: median {ms(flagging['hooked'])} (target ≤ 100 ms)"
    )
    print(f"freshness check over {args.cards} cards: {check:.2f} s (target ≤ 20 s)")
    print(
        f"dashboard render: median {ms(dashboard['median'])}, p95 {ms(dashboard['p95'])}, "
        f"{dashboard['size'] / 1024:.0f} KB (target ≤ 150 ms)"
    )


if __name__ == "__main__":
    main()
