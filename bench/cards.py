"""Card benchmark: import 5,000 synthetic cards (plus the real ones), load cards, publish, peak memory.

Usage: .venv/bin/python bench/cards.py [--cards 5000] [--db sqlite|postgres|both]
Targets (issue 2): loading a card p95 ≤ 3 ms; import of 5,000 cards ≤ 60 s; queries per card constant.
"""

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, event, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import write_synthetic_content
from kiosk import create_app
from kiosk.accounts.models import Role, User
from kiosk.cards import services
from kiosk.cards.models import Card
from kiosk.cards.published import get_published_card
from kiosk.content.services import import_content
from kiosk.extensions import db

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgresql://postgres@127.0.0.1:5432/okienko_bench"


def fresh_database(kind: str, workdir: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'bench.db'}"
    admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS okienko_bench WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE okienko_bench"))
    admin.dispose()
    return PG_URL


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def count_queries(slug: str) -> int:
    counter = {"n": 0}

    def on_execute(*args):
        counter["n"] += 1

    event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        db.session.remove()
        get_published_card(slug)
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)
    return counter["n"]


def time_loads(slugs: list[str], samples: int) -> list[float]:
    rng = random.Random(1)
    timings = []
    for slug in rng.choices(slugs, k=samples):
        db.session.remove()  # no identity-map help: every load goes to the database
        start = time.perf_counter()
        card = get_published_card(slug)
        _ = [len(card.live_edition.documents), len(card.live_edition.fees), len(card.live_edition.points)]
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def time_publishing(slugs: list[str], rounds: int) -> list[float]:
    editor, approver, publisher = (User(username=f"bench-{r}", display_name=r) for r in ("e", "a", "p"))
    editor.roles, approver.roles, publisher.roles = [Role.EDITOR], [Role.APPROVER], [Role.PUBLISHER]
    db.session.add_all([editor, approver, publisher])
    db.session.commit()
    timings = []
    for slug in slugs[:rounds]:
        card = db.session.scalar(select(Card).where(Card.slug == slug))
        draft = services.open_draft(card, editor)
        services.submit_edition(draft, editor)
        services.approve_edition(draft, approver)
        db.session.commit()
        start = time.perf_counter()
        services.publish_edition(draft, publisher)
        db.session.commit()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def run(kind: str, count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        content = workdir / "content"
        synthetic = write_synthetic_content(ROOT / "content", content, count)
        url = fresh_database(kind, workdir)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "KIOSK_INDEX_DIR": str(workdir / "index")})
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(revision="heads")
            total = len([p for p in (content / "cards").glob("*.md") if p.name.count(".") == 1])
            start = time.perf_counter()
            done = 0

            def progress(path):
                nonlocal done
                done += 1
                if done % 1000 == 0:
                    print(f"  … {done}/{total} files read", file=sys.stderr)

            report = import_content(content, progress=progress)
            db.session.commit()
            import_seconds = time.perf_counter() - start
            loads = time_loads(synthetic, 1000)
            few, many = count_queries("dowod-osobisty-wydanie"), count_queries(_largest_card(synthetic))
            publishing = time_publishing(synthetic, 50)
            db.session.remove()
            db.engine.dispose()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"[{kind}] cards imported: {len(report.created)} (of which synthetic {count})")
        print(f"[{kind}] import time: {import_seconds:.1f} s  (target ≤ 60 s)")
        print(
            f"[{kind}] load one published card: median {statistics.median(loads):.2f} ms, "
            f"p95 {percentile(loads, 95):.2f} ms  (target p95 ≤ 3 ms)"
        )
        print(f"[{kind}] queries per card load: {few} (small card) vs {many} (largest card) – must be equal")
        print(
            f"[{kind}] publish an edition (publish + commit): median {statistics.median(publishing):.2f} ms, "
            f"p95 {percentile(publishing, 95):.2f} ms"
        )
        print(f"[{kind}] peak memory (RSS): {peak:.0f} MiB")


def _largest_card(slugs: list[str]) -> str:
    from kiosk.cards.models import Edition, EditionDocument

    query = (
        select(Card.slug)
        .join(Edition, Card.live_edition_id == Edition.id)
        .join(EditionDocument)
        .group_by(Card.slug)
        .order_by(db.func.count().desc())
        .limit(1)
    )
    return db.session.scalar(query)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=5000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    for kind in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        run(kind, args.cards)


if __name__ == "__main__":
    main()
