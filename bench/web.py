"""Public website benchmark: every public route side by side under gunicorn, and render times in-process.

Usage: .venv/bin/python bench/web.py [--cards 5000] [--duration 10] [--rounds 3] [--write]
           [--database postgresql://postgres@127.0.0.1:5432/bench_web]  (or KIOSK_BENCH_DATABASE_URL)

`--cards 0` serves the real content only; `--duration 2 --rounds 1` is a dry run; `--write` puts the table
into docs/benchmarks.md (section "Every route side by side"), with machine, date, commit and load average.

Side by side, in one run (issue 15): wrk -t2 -c32 against gunicorn with 2 sync workers in production mode on
PostgreSQL, each route walking a list of paths (a Lua script): every card in a random order, and 350
distinct resident queries (bench/query_mix.py). Each route's rate is divided by the ceiling measured in the
same run: a minimal Flask app under the same gunicorn returning the same card bytes. nginx serving the card
page as a static file is shown beside it. Rounds are interleaved (every route once per round) and each
figure is the median of the rounds. Okienko runs three times: as deployed (its card pages rendered into the
page store by `flask pages render --all` after the import), with the page cache off, and without the page
store (each worker renders a page at its first visit, as before the store).

Targets (issue 3): card page and home render p95 ≤ 10 ms in-process with 5,000 cards; a card page weighs
≤ 60 KB with all its assets. Targets (issue 15), ratios to the ceiling: card page (mix) ≥ 0.70, kiosk card
and JSON card ≥ 0.60, search page and /api/v1/search ≥ 0.30 at 81 cards and ≥ 0.15 at 5,081.
Installs wrk and nginx from Debian's packages when they are missing.
"""

import argparse
import gzip
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.query_mix import query_mix
from bench.synthetic import write_synthetic_content
from kiosk import create_app
from kiosk.content.services import import_content
from kiosk.extensions import db

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEFAULT_DB = os.environ.get("KIOSK_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench_web")
SECRET = "bench-secret-key-0123456789abcdef0123456789"
NGINX_CONF = """worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path {tmp}/nginx-body; proxy_temp_path {tmp}/nginx-proxy; fastcgi_temp_path {tmp}/nginx-fcgi;
  uwsgi_temp_path {tmp}/nginx-uwsgi; scgi_temp_path {tmp}/nginx-scgi;
  server {{ listen 127.0.0.1:{port}; root {tmp}/static; default_type text/html; }}
}}
"""
# Each wrk thread walks the list from its own offset; the path file is the script's argument.
WALK_LUA = """
local paths, counter, threads = {}, 0, 0
function setup(thread) threads = threads + 1; thread:set("offset", threads * 7919) end
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  counter = (offset or 0) % #paths
end
function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end
"""
ROUTES = [  # (label, server, path list)
    ("ceiling: minimal Flask, same bytes", "ceiling", "cards"),
    ("nginx, static copy", "nginx", "static"),
    ("card page, one URL", "on", "one"),
    ("card page, random mix", "on", "cards"),
    ("card page, random mix, page cache off", "off", "cards"),
    ("card page, random mix, no page store", "nostore", "cards"),
    ("kiosk card page", "on", "kiosk"),
    ("kiosk card page, no page store", "nostore", "kiosk"),
    ("JSON card /api/v1/cards/<slug>", "on", "api"),
    ("JSON card, no page store", "nostore", "api"),
    ("search page /szukaj", "on", "search"),
    ("/api/v1/search", "on", "api_search"),
]
SEARCH_TARGET = "≥ 0.30 (81 cards) / 0.15 (5,081)"
TARGETS = {"card page, random mix": "≥ 0.70", "kiosk card page": "≥ 0.60", "JSON card /api/v1/cards/<slug>": "≥ 0.60",
           "search page /szukaj": SEARCH_TARGET, "/api/v1/search": SEARCH_TARGET}  # fmt: skip
SLUG = "dowod-osobisty-wydanie"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def ensure_tools() -> None:
    missing = [pkg for pkg, path in (("wrk", "wrk"), ("nginx", "/usr/sbin/nginx")) if not shutil.which(path)]
    if missing:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-q", *missing], check=True, env=env)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def fresh_database(url: str) -> None:
    """An empty PostgreSQL database (created when missing) for the run; SQLite starts from a new file anyway."""
    from sqlalchemy import create_engine, make_url, text

    if not url.startswith("postgresql"):
        return
    target = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}).first():
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    server.dispose()
    engine = create_engine(target)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def site_config(url: str, workdir: Path) -> dict:
    # In-process timings measure renders and this process's page cache: no page store.
    return {"SQLALCHEMY_DATABASE_URI": url, "KIOSK_INDEX_DIR": str(workdir / "index"),
            "KIOSK_CONTENT_DIR": str(workdir / "content"), "KIOSK_PAGE_STORE_DIR": ""}  # fmt: skip


def build_site(url: str, workdir: Path, count: int) -> list[str]:
    """A migrated database with the real content plus `count` synthetic cards, and its search index."""
    from flask_migrate import upgrade

    from kiosk.cards.models import Card
    from kiosk.search import services as search

    write_synthetic_content(ROOT / "content", workdir / "content", count)
    fresh_database(url)
    app = create_app(site_config(url, workdir))
    with app.app_context():
        upgrade(revision="heads")
        start = time.perf_counter()
        import_content(workdir / "content")
        db.session.commit()
        search.rebuild()
        slugs = list(db.session.scalars(db.select(Card.slug).where(Card.live_edition_id.is_not(None))))
        print(f"  {len(slugs)} cards imported and indexed in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        db.session.remove()
        db.engine.dispose()
    render_pages(url, workdir)
    return sorted(slugs)


def render_pages(url: str, workdir: Path) -> None:
    """What production runs after an import: `flask pages render --all`, with the servers' settings."""
    start = time.perf_counter()
    command = [str(VENV_BIN / "flask"), "--app", "kiosk", "pages", "render", "--all"]
    env = production_env(url, workdir)
    done = subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout.strip()
    print(f"  {done} (flask pages render --all: {time.perf_counter() - start:.0f} s wall)", file=sys.stderr)


def time_renders(app, paths: list[str], samples: int) -> list[float]:
    client = app.test_client()
    rng = random.Random(3)
    timings = []
    for path in rng.choices(paths, k=samples):
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return timings


def in_process(url: str, workdir: Path, slugs: list[str], samples: int) -> dict:
    """Render timings with the page cache off (real rendering) and on (what a repeat visitor costs)."""
    results = {}
    for cache in (False, True):
        app = create_app({**site_config(url, workdir), "WEB_PAGE_CACHE": cache})
        with app.app_context():
            time_renders(app, ["/", *[f"/uslugi/{s}" for s in slugs[:50]]], 100)  # warm-up
            # Cache off: any card; cache on: a popular few, as under real traffic.
            cards = time_renders(app, [f"/uslugi/{s}" for s in (slugs[:20] if cache else slugs)], samples)
            home = time_renders(app, ["/"], samples // 2)
            db.session.remove()
            db.engine.dispose()
        results[cache] = (cards, home)
    return results


def wrk(url: str, duration: int, connections: int, headers: dict | None = None, paths: Path | None = None) -> dict:
    """One wrk run; with `paths`, each request takes the next path of that file (WALK_LUA)."""
    args = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency"]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    tail = []
    if paths is not None:
        args += ["-s", str(paths.parent / "walk.lua")]
        tail = ["--", str(paths)]
    out = subprocess.run([*args, url, *tail], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    return {
        "rps": rps,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(int(x) for x in sock.groups()) if sock else 0,
        "p99": p99.group(1) if p99 else "?",
    }


def production_env(url: str, workdir: Path, **extra) -> dict:
    env = {**os.environ, "KIOSK_ENV": "production", "KIOSK_PUBLIC_URL": "https://okienko.plock.eu",
           "KIOSK_SECRET_KEY": SECRET, "KIOSK_DATABASE_URL": url, "KIOSK_INDEX_DIR": str(workdir / "index"),
           "KIOSK_CONTENT_DIR": str(workdir / "content"), "KIOSK_PAGE_STORE_DIR": str(workdir / "pages"),
           "PYTHONPATH": str(ROOT), **extra}  # fmt: skip
    env.pop("KIOSK_TEST_DATABASE_URL", None)
    return env


def start_gunicorn(app: str, env: dict, port: int, log: Path) -> subprocess.Popen:
    """gunicorn with 2 sync workers (no access log, as behind nginx), stopped by its own process group."""
    args = [str(VENV_BIN / "gunicorn"), "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    with open(log, "ab") as out:
        proc = subprocess.Popen([*args, app], env=env, cwd=ROOT, stdout=out, stderr=out, start_new_session=True)
    wait_for(port)
    return proc


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


def start_nginx(workdir: Path, port: int, page: bytes) -> subprocess.Popen:
    static = workdir / "static"
    (static / "uslugi").mkdir(parents=True, exist_ok=True)
    for folder in (workdir, static, static / "uslugi"):  # nginx's workers run as another user: 403 otherwise
        folder.chmod(0o755)
    (static / "uslugi" / "karta.html").write_bytes(page)
    conf = workdir / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=workdir, port=port))
    proc = subprocess.Popen(["/usr/sbin/nginx", "-c", str(conf), "-g", "daemon off;"], start_new_session=True)
    wait_for(port)
    return proc


def page_weight(base: str, path: str) -> tuple[int, int, int]:
    """Bytes of the HTML and every stylesheet, script and image it references (raw and gzipped)."""
    html = urllib.request.urlopen(base + path).read()
    assets = re.findall(rb'(?:href|src)="(/[^"]+\.(?:css|js|png|svg|jpg|woff2?)(?:\?[^"]*)?)"', html)
    bodies = [html] + [urllib.request.urlopen(base + a.decode()).read() for a in assets]
    return sum(map(len, bodies)), sum(len(gzip.compress(b)) for b in bodies), len(assets)


def path_lists(workdir: Path, slugs: list[str]) -> dict[str, Path]:
    """The path files wrk walks: every card in a random order, and the distinct queries."""
    rng = random.Random(5)
    cards = rng.sample(slugs, len(slugs))
    queries = rng.sample(query_mix(), len(query_mix()))
    quoted = [urllib.parse.quote(text) for text in queries]
    lists = {
        "cards": [f"/uslugi/{s}" for s in cards],
        "one": [f"/uslugi/{SLUG}"],
        "static": ["/uslugi/karta.html"],
        "kiosk": [f"/kiosk/uslugi/{s}" for s in cards],
        "api": [f"/api/v1/cards/{s}" for s in cards],
        "search": [f"/szukaj?q={q}" for q in quoted],
        "api_search": [f"/api/v1/search?q={q}" for q in quoted],
    }
    (workdir / "walk.lua").write_text(WALK_LUA)
    files = {}
    for name, paths in lists.items():
        files[name] = workdir / f"paths-{name}.txt"
        files[name].write_text("\n".join(paths) + "\n")
    return files


def check_paths(base: str, files: dict[str, Path], limit: int) -> None:
    """The paths the routes walk answer 200 (a 404 would be measured as fast as a page)."""
    for name, file in files.items():
        if name in ("static", "one"):
            continue
        for path in file.read_text().split()[:limit]:
            status = urllib.request.urlopen(base + path).status
            assert status == 200, (path, status)


def side_by_side(url: str, workdir: Path, slugs: list[str], args) -> dict:
    """Every route once per round, interleaved; returns {label: [wrk result per round]} and the page weight."""
    files = path_lists(workdir, slugs)
    log = workdir / "gunicorn.log"
    rendered_before = time.time()  # page-store files written after this were rendered by the servers
    ports = {name: free_port() for name in ("ceiling", "nginx", "on", "off", "nostore")}
    servers = {"on": start_gunicorn("bench.web_apps:okienko()", production_env(url, workdir), ports["on"], log),
               "off": start_gunicorn("bench.web_apps:okienko(page_cache=False)", production_env(url, workdir),
                                     ports["off"], log),
               "nostore": start_gunicorn("bench.web_apps:okienko()", production_env(url, workdir,
                                         KIOSK_PAGE_STORE_DIR="off"), ports["nostore"], log)}  # fmt: skip
    results: dict = {}
    try:
        base = f"http://127.0.0.1:{ports['on']}"
        page = urllib.request.urlopen(f"{base}/uslugi/{SLUG}").read()
        (workdir / "card.html").write_bytes(page)
        env = production_env(url, workdir, BENCH_PAGE=str(workdir / "card.html"))
        servers["ceiling"] = start_gunicorn("bench.web_apps:ceiling()", env, ports["ceiling"], log)
        servers["nginx"] = start_nginx(workdir, ports["nginx"], page)
        check_paths(base, files, 1_000_000 if args.cards == 0 else 50)
        results["weight"] = page_weight(base, f"/uslugi/{SLUG}")
        routes = [r for r in ROUTES if r is ROUTES[0] or args.only in r[0]]
        for _label, server, paths in routes:  # warm-up: every worker imports, opens the index, fills caches
            wrk(f"http://127.0.0.1:{ports[server]}", 2, args.connections, paths=files[paths])
        for round_no in range(args.rounds):
            print(f"  round {round_no + 1} of {args.rounds}", file=sys.stderr)
            for label, server, paths in routes:
                result = wrk(f"http://127.0.0.1:{ports[server]}", args.duration, args.connections, paths=files[paths])
                results.setdefault(label, []).append(result)
        results["load_end"] = os.getloadavg()
        stored = [p.stat().st_mtime for p in (workdir / "pages").rglob("*") if p.is_file()]
        results["store"] = (len(stored), sum(moment > rendered_before for moment in stored))
    finally:
        for proc in servers.values():
            stop(proc)
    return results


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory = int(next(line.split()[1] for line in meminfo if line.startswith("MemTotal"))) / 2**20
    return f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB, Python {platform.python_version()}"


def commit() -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "kiosk", "bench"], cwd=ROOT,
                           capture_output=True, text=True).stdout  # fmt: skip
    return head.strip() + (" with uncommitted changes" if dirty.strip() else "")


def database_name(url: str) -> str:
    if not url.startswith("postgresql"):
        return "SQLite"
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar()
    engine.dispose()
    return f"PostgreSQL {version.split()[0]}"


def side_by_side_table(results: dict, cards: int, args, load_start: tuple, database: str) -> str:
    ceiling = statistics.median(r["rps"] for r in results[ROUTES[0][0]])
    loads = " / ".join(f"{x:.1f}" for x in load_start), " / ".join(f"{x:.1f}" for x in results["load_end"])
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit()}, {machine()}, {database}; "
        f"{cards:,} cards; load average (1/5/15 min) {loads[0]} at the start, {loads[1]} at the end. "
        f"wrk -t2 -c{args.connections} -d{args.duration}s, median of {args.rounds} interleaved rounds; gunicorn "
        "with 2 sync workers, production settings.",
        "",
        "| route | req/s | ratio to the ceiling | each round's ratio | p99 | non-2xx / socket errors | target |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    ceilings = [r["rps"] for r in results[ROUTES[0][0]]]
    for label in [label for label, _, _ in ROUTES if label in results]:
        runs = results[label]
        rps = statistics.median(r["rps"] for r in runs)
        errors = f"{sum(r['non2xx'] for r in runs)} / {sum(r['socket_errors'] for r in runs)}"
        p99 = sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]["p99"]
        # Against the ceiling of the same round: how far the machine's own swings move a figure.
        rounds = " ".join(f"{r['rps'] / c:.2f}" for r, c in zip(runs, ceilings, strict=True))
        lines.append(f"| {label} | {rps:,.0f} | {rps / ceiling:.2f} | {rounds} | {p99} | {errors} | "
                     f"{TARGETS.get(label, '')} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def write_into_docs(table: str, cards: int) -> None:
    """Replace (or add) this card count's table in docs/benchmarks.md, between markers."""
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8")
    begin, end = f"<!-- bench/web.py side by side, {cards} synthetic cards -->", "<!-- end -->"
    block = f"{begin}\n{table}{end}"
    if begin in text:
        start = text.index(begin)
        text = text[:start] + block + text[text.index(end, start) + len(end) :]
    else:
        anchor = text.index("## Kiosk (")
        text = text[:anchor] + block + "\n\n" + text[anchor:]
    path.write_text(text, encoding="utf-8")


def render_report(renders: dict, count: int) -> None:
    def line(name, values, target=""):
        print(f"| {name} | {statistics.median(values):.2f} | {percentile(values, 95):.2f} | {target} |")

    print(f"\nIn-process render with {count} synthetic cards (ms):\n")
    print("| page | median | p95 | target |\n| --- | --- | --- | --- |")
    line("card page, rendered (page cache off)", renders[False][0], "p95 ≤ 10")
    line("home page, rendered (page cache off)", renders[False][1], "p95 ≤ 10")
    line("card page, page-cache hit", renders[True][0])
    line("home page, page-cache hit", renders[True][1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=5000, help="synthetic cards besides the real ones (0: none)")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--samples", type=int, default=1000, help="in-process renders timed (0: skip)")
    parser.add_argument("--database", default=DEFAULT_DB, help="PostgreSQL URL (emptied), or sqlite")
    parser.add_argument("--write", action="store_true", help="write the table into docs/benchmarks.md")
    parser.add_argument("--only", default="", help="time only the routes whose label contains this (and the ceiling)")
    args = parser.parse_args()
    ensure_tools()
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url = f"sqlite:///{workdir / 'web.db'}" if args.database == "sqlite" else args.database
        slugs = build_site(url, workdir, args.cards)
        if args.samples:
            render_report(in_process(url, workdir, slugs, args.samples), args.cards)
        results = side_by_side(url, workdir, slugs, args)
        database = database_name(url)
    table = side_by_side_table(results, len(slugs), args, load_start, database)
    print("\n" + table)
    raw, gz, assets = results["weight"]
    print(f"Page store: {results['store'][0]} pages, {results['store'][1]} of them rendered by the servers "
          "(the rest were served as rendered by `flask pages render --all`)")  # fmt: skip
    print(f"Card page weight with all assets ({assets} file(s) besides the HTML): {raw / 1024:.1f} KB raw, "
          f"{gz / 1024:.1f} KB gzipped (target ≤ 60 KB)")  # fmt: skip
    if args.write:
        write_into_docs(table, args.cards)


if __name__ == "__main__":
    main()
