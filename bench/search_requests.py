"""CPU per search request in-process: the search page and /api/v1/search over the 350-query mix.

Usage: .venv/bin/python bench/search_requests.py [--cards 0] [--requests 700] [--before DIR]
           [--profile page|api] [--database postgresql://postgres@127.0.0.1:5432/bench_web]

Both routes walk the same distinct queries bench/web.py serves under wrk (bench/query_mix.py), through the
test client, after one warm-up pass. `--before DIR` also times another checkout of the code (e.g. `git
archive main` unpacked, with its compiled .mo files) over the same database and index, each tree in its own
process, in interleaved rounds; each keeps its lowest figure. CPU time of the Python process (what a gunicorn
worker spends; the database server's own time is not in it). `--profile` prints the top frames of a route.
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

ROOT = Path(__file__).resolve().parent.parent
ROUTES = {"page": "search", "api": "api_search"}


def time_route(client, paths: list[str], requests: int, profiler) -> dict:
    for path in paths:  # warm-up pass
        client.get(path)
    cpu = []
    for i in range(requests):
        path = paths[i % len(paths)]
        c0 = time.process_time()
        if profiler:
            profiler.enable()
        response = client.get(path)
        if profiler:
            profiler.disable()
        cpu.append((time.process_time() - c0) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return {"median": statistics.median(cpu), "mean": statistics.mean(cpu)}


def worker(tree: Path, url: str, workdir: Path, requests: int, profile: str | None) -> dict:
    """Time both routes with the code of `tree` (its kiosk package first on the path)."""
    sys.path.insert(0, str(tree))
    from kiosk import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "KIOSK_INDEX_DIR": str(workdir / "index"),
                      "KIOSK_CONTENT_DIR": str(workdir / "content")})  # fmt: skip
    client = app.test_client()
    results = {}
    for name, key in ROUTES.items():
        paths = (workdir / f"paths-{key}.txt").read_text().split()
        profiler = cProfile.Profile(time.process_time) if profile == name else None
        results[name] = time_route(client, paths, requests, profiler)
        if profiler:
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(25)
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(45)
    return results


def run(tree: Path, args, workdir: Path) -> dict:
    command = [sys.executable, __file__, "--worker", str(tree), "--workdir", str(workdir),
               "--database", args.database, "--requests", str(args.requests)]  # fmt: skip
    if args.profile:
        command += ["--profile", args.profile]
    out = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True, cwd=tree).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=0)
    parser.add_argument("--requests", type=int, default=700)
    default_db = os.environ.get("KIOSK_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench_web")
    parser.add_argument("--database", default=default_db)
    parser.add_argument("--before", default=None, help="another checkout to time side by side")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds; the lowest figure is kept")
    parser.add_argument("--profile", choices=list(ROUTES), default=None)
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(Path(args.worker), args.database, Path(args.workdir), args.requests, args.profile)))
        return
    sys.path.insert(0, str(ROOT))
    from bench.web import build_site, path_lists

    trees = {"before": Path(args.before).resolve()} if args.before else {}
    trees["after" if args.before else "this tree"] = ROOT
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        path_lists(workdir, build_site(args.database, workdir, args.cards))
        rounds = [{name: run(tree, args, workdir) for name, tree in trees.items()} for _ in range(args.rounds)]
    table = {name: {r: {k: min(one[name][r][k] for one in rounds) for k in ("median", "mean")} for r in ROUTES}
             for name in trees}  # fmt: skip
    print(f"\nPer search request, in-process, {args.cards} synthetic cards: CPU ms, median / mean\n")
    print("| code | search page | /api/v1/search |\n| --- | --- | --- |")
    for name, routes in table.items():
        cells = [f"{routes[r]['median']:.2f} / {routes[r]['mean']:.2f}" for r in ROUTES]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
