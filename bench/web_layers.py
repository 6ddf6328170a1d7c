"""Each caching layer's measured win: public routes timed in-process with all layers on, then one layer off.

Usage: .venv/bin/python bench/web_layers.py [--cards 0] [--requests 400] [--profile ROUTE]
           [--database postgresql://postgres@127.0.0.1:5432/bench_web]  (or KIOSK_BENCH_DATABASE_URL)

Every variant runs in its own process (bench/web_apps.py switches a layer off for the whole process) over
the same path mixes bench/web.py serves: every card in a random order, 350 distinct queries. Times are per
request, after one warm-up pass over the mix: CPU time of the Python process (what a gunicorn worker
spends; the database server's own time is not in it) and wall-clock time (with it). `--profile ROUTE`
prints the top frames of that route with every layer on (cProfile).
"""

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.web import DEFAULT_DB, build_site, path_lists, site_config

VARIANTS = {  # name: keyword arguments of bench.web_apps.okienko
    "all layers on": {},
    "fast lane off (page-cache hits through Flask)": {"fast_lane": False},
    "page cache off": {"page_cache": False},
    "validator memo off (WEB_STAMP_TTL=0)": {"stamp_ttl": 0},
    "shared-facts cache off": {"facts_cache": False},
    "snapshot hydration off (rows from their tables)": {"snapshot": False},
    "stored body HTML off (Markdown on every read)": {"stored_body": False},
    "search log commit waits for the disk (before)": {"durable_search_log": True},
}
ROUTES = {"card page": "cards", "home": "home", "kiosk card page": "kiosk", "JSON card": "api",
          "search page": "search", "/api/v1/search": "api_search"}  # fmt: skip


def run_variant(url: str, workdir: Path, flags: dict, requests: int, profile: str | None) -> dict:
    """Per-route median CPU and wall milliseconds per request in this process (layers switched off by flags)."""
    from bench.web_apps import okienko

    lists = {name: (workdir / f"paths-{key}.txt").read_text().split() for name, key in ROUTES.items() if key != "home"}
    lists["home"] = ["/"]
    for key, value in site_config(url, workdir).items():  # the settings' environment variables
        os.environ[{"SQLALCHEMY_DATABASE_URI": "KIOSK_DATABASE_URL"}.get(key, key)] = value
    app = okienko(**flags)
    client = app.test_client()
    results = {}
    for name, paths in lists.items():
        for path in paths[: min(len(paths), requests)]:  # warm-up pass
            client.get(path)
        cpu, wall = [], []
        profiler = cProfile.Profile(time.process_time) if profile == name else None  # CPU, not waits
        for i in range(requests):
            path = paths[i % len(paths)]
            c0, w0 = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            response = client.get(path)
            if profiler:
                profiler.disable()
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        results[name] = (statistics.median(cpu), statistics.median(wall), statistics.mean(cpu))
        if profiler:
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(18)
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(60)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=0)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--database", default=DEFAULT_DB)
    parser.add_argument("--profile", default=None, help="a route name to profile, e.g. 'search page'")
    parser.add_argument("--only", default=None, help="run only this variant")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        flags = json.loads(args.worker)
        print(json.dumps(run_variant(args.database, Path(args.workdir), flags, args.requests, args.profile)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        path_lists(workdir, build_site(args.database, workdir, args.cards))
        table = {}
        for name, flags in VARIANTS.items():
            if args.only and name != args.only:
                continue
            print(f"  {name}", file=sys.stderr)
            command = [sys.executable, __file__, "--worker", json.dumps(flags), "--workdir", str(workdir),
                       "--database", args.database, "--requests", str(args.requests)]  # fmt: skip
            if args.profile and not flags:
                command += ["--profile", args.profile]
            out = subprocess.run(command, capture_output=False, stdout=subprocess.PIPE, text=True, check=True).stdout
            table[name] = json.loads(out.strip().splitlines()[-1])
    print(f"\nPer request, in-process, {args.cards} synthetic cards: median CPU ms / median wall ms\n")
    print("| variant | " + " | ".join(ROUTES) + " |")
    print("| --- |" + " --- |" * len(ROUTES))
    for name, routes in table.items():
        print(f"| {name} | " + " | ".join(f"{routes[r][0]:.2f} / {routes[r][1]:.2f}" for r in ROUTES) + " |")


if __name__ == "__main__":
    main()
