"""The shared page store in-process: how long rendering every card's pages takes, and what a request costs when
its page is rendered, read from the store (a new worker, a restart) or found in the worker's own page cache.

Usage: .venv/bin/python bench/page_store.py [--cards 0] [--database sqlite|postgresql://...]

CPU time of this process (time.process_time), so a loaded machine inflates it less than wall time; each
figure is the median over every card of one route, in one run, side by side.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import write_synthetic_content
from bench.web import ROOT, fresh_database
from kiosk import create_app
from kiosk.content.services import import_content
from kiosk.extensions import db
from kiosk.pages import services as pages

ROUTES = {"card page": "/uslugi/{}", "kiosk card": "/kiosk/uslugi/{}", "JSON card": "/api/v1/cards/{}"}


def build(url: str, workdir: Path, count: int) -> dict:
    from flask_migrate import upgrade

    write_synthetic_content(ROOT / "content", workdir / "content", count)
    fresh_database(url)
    config = {"SQLALCHEMY_DATABASE_URI": url, "KIOSK_INDEX_DIR": str(workdir / "index"),
              "KIOSK_CONTENT_DIR": str(workdir / "content"), "KIOSK_PAGE_STORE_DIR": str(workdir / "pages"),
              "WEB_STAMP_TTL": 0}  # fmt: skip
    app = create_app(config)
    with app.app_context():
        upgrade(revision="heads")
        import_content(workdir / "content")
        db.session.commit()
        db.session.remove()
    return config


def cpu_per_request(app, paths: list[str]) -> float:
    """Median CPU milliseconds of one request, each in its own app context as in production."""
    client, costs = app.test_client(), []
    for path in paths:
        with app.app_context():
            start = time.process_time()
            response = client.get(path)
            costs.append((time.process_time() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(costs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=0, help="synthetic cards besides the real ones")
    parser.add_argument("--database", default="sqlite", help="sqlite, or a PostgreSQL URL (emptied)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url = f"sqlite:///{workdir / 'b.db'}" if args.database == "sqlite" else args.database
        config = build(url, workdir, args.cards)
        app = create_app(config)
        with app.app_context():
            cards = pages.live_cards()
            wall, cpu = time.perf_counter(), time.process_time()
            report = pages.render_cards(cards)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            slugs = [slug for slug, _ in cards]
        print(f"render all: {report.cards} cards, {report.pages} pages in {cpu:.1f} s CPU ({wall:.1f} s wall), "
              f"{cpu / report.pages * 1000:.1f} ms CPU per page; store: {size(workdir / 'pages')}")  # fmt: skip
        rendering = create_app({**config, "KIOSK_PAGE_STORE_DIR": ""})  # no store: every first visit renders
        stored = create_app(config)  # a new worker: its page cache is empty, the store is full
        print(f"{'median CPU ms per request':<28}{'render':>10}{'store hit':>11}{'cache hit':>11}")
        for label, pattern in ROUTES.items():
            paths = [pattern.format(slug) for slug in slugs]
            render = cpu_per_request(rendering, paths)
            from_store = cpu_per_request(stored, paths)
            from_cache = cpu_per_request(stored, paths)
            print(f"{label:<28}{render:>10.2f}{from_store:>11.2f}{from_cache:>11.2f}")


def size(root: Path) -> str:
    files = [p for p in root.rglob("*") if p.is_file()]
    return f"{len(files)} files, {sum(p.stat().st_size for p in files) / 1024 / 1024:.1f} MB"


if __name__ == "__main__":
    main()
