"""Public website benchmark: render times in-process, throughput under gunicorn vs nginx, page weight.

Usage: .venv/bin/python bench/web.py [--cards 5000] [--duration 10] [--connections 32]
Targets (issue 3): card page and home render p95 ≤ 10 ms in-process with 5,000 cards; the card page
served by gunicorn (2 workers) sustains ≥ 1,500 req/s without errors, measured with wrk in the same
run as nginx serving the same page saved as a static file; 304s sustain more; a card page weighs
≤ 60 KB with all its assets. Installs wrk and nginx from Debian's packages when they are missing.
"""

import argparse
import gzip
import os
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import write_synthetic_content
from kiosk import create_app
from kiosk.content.services import import_content
from kiosk.extensions import db

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
NGINX_CONF = """worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/nginx-body; proxy_temp_path {tmp}/nginx-proxy; fastcgi_temp_path {tmp}/nginx-fcgi;
  uwsgi_temp_path {tmp}/nginx-uwsgi; scgi_temp_path {tmp}/nginx-scgi;
  server {{ listen 127.0.0.1:{port}; root {tmp}/static; default_type text/html; }}
}}
"""


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


def wait_for(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def build_site(workdir: Path, count: int) -> tuple[str, list[str]]:
    """A migrated SQLite database with the real content plus `count` synthetic cards."""
    content = workdir / "content"
    synthetic = write_synthetic_content(ROOT / "content", content, count)
    url = f"sqlite:///{workdir / 'web.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "KIOSK_INDEX_DIR": str(workdir / "index")})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(revision="heads")
        start = time.perf_counter()
        import_content(content)
        db.session.commit()
        print(f"  imported {count} synthetic + real cards in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        db.engine.dispose()
    return url, synthetic


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
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "KIOSK_INDEX_DIR": str(workdir / "index"), "WEB_PAGE_CACHE": cache}
        )
        with app.app_context():
            time_renders(app, ["/", *[f"/uslugi/{s}" for s in slugs[:50]]], 100)  # warm-up
            # Cache off: any of the 5,000 cards; cache on: a popular few, as under real traffic.
            cards = time_renders(app, [f"/uslugi/{s}" for s in (slugs[:20] if cache else slugs)], samples)
            home = time_renders(app, ["/"], samples // 2)
            db.engine.dispose()
        results[cache] = (cards, home)
    return results


def wrk(url: str, duration: int, connections: int, headers: dict | None = None) -> dict:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
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


def start_gunicorn(url: str, workdir: Path, port: int, worker_class: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "KIOSK_DATABASE_URL": url,
        "KIOSK_INDEX_DIR": str(workdir / "index"),
        "KIOSK_SECRET_KEY": "bench-secret-key-0123456789abcdef0123456789",
        "PYTHONPATH": str(ROOT),
    }
    args = [str(VENV_BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    if worker_class == "gthread":
        args += ["-k", "gthread", "--threads", "1", "--keep-alive", "5"]  # threads only add GIL contention
    proc = subprocess.Popen([*args, "kiosk:create_app()"], env=env, cwd=ROOT, start_new_session=True)
    wait_for(port)
    return proc


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


def start_nginx(workdir: Path, port: int, page: bytes) -> subprocess.Popen:
    static = workdir / "static"
    (static / "uslugi").mkdir(parents=True, exist_ok=True)
    (static / "uslugi" / "karta.html").write_bytes(page)
    conf = workdir / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=workdir, port=port))
    proc = subprocess.Popen(["/usr/sbin/nginx", "-c", str(conf), "-g", "daemon off;"], start_new_session=True)
    wait_for(port)
    return proc


def page_weight(base: str, path: str) -> tuple[int, int, int]:
    """Bytes of the HTML and every stylesheet, script and image it references (raw and gzipped)."""
    import urllib.request

    html = urllib.request.urlopen(base + path).read()
    assets = re.findall(rb'(?:href|src)="(/[^"]+\.(?:css|js|png|svg|jpg|woff2?))"', html)
    bodies = [html] + [urllib.request.urlopen(base + a.decode()).read() for a in assets]
    return sum(map(len, bodies)), sum(len(gzip.compress(b)) for b in bodies), len(assets)


def served(url: str, workdir: Path, slug: str, duration: int, connections: int) -> dict:
    import urllib.request

    results = {}
    nginx_port = free_port()
    for worker_class in ("sync", "gthread"):
        port = free_port()
        proc = start_gunicorn(url, workdir, port, worker_class)
        try:
            base = f"http://127.0.0.1:{port}"
            response = urllib.request.urlopen(f"{base}/uslugi/{slug}")
            page, etag = response.read(), response.headers["ETag"]
            wrk(f"{base}/uslugi/{slug}", 2, connections)  # warm-up: every worker renders and caches the page
            results[worker_class] = {
                "page": wrk(f"{base}/uslugi/{slug}", duration, connections),
                "304": wrk(f"{base}/uslugi/{slug}", duration, connections, {"If-None-Match": etag}),
                "print": wrk(f"{base}/uslugi/{slug}/druk", duration, connections),
                "home": wrk(f"{base}/", duration, connections),
            }
            results["weight"] = page_weight(base, f"/uslugi/{slug}")
        finally:
            stop(proc)
    nginx = start_nginx(workdir, nginx_port, page)
    try:
        results["nginx"] = wrk(f"http://127.0.0.1:{nginx_port}/uslugi/karta.html", duration, connections)
    finally:
        stop(nginx)
    return results


def report(renders: dict, serving: dict, count: int, connections: int) -> None:
    def line(name, values, target=""):
        print(f"| {name} | {statistics.median(values):.2f} | {percentile(values, 95):.2f} | {target} |")

    print(f"\nIn-process render with {count} synthetic cards (ms):\n")
    print("| page | median | p95 | target |\n| --- | --- | --- | --- |")
    line("card page, rendered (page cache off)", renders[False][0], "p95 ≤ 10")
    line("home page, rendered (page cache off)", renders[False][1], "p95 ≤ 10")
    line("card page, page-cache hit", renders[True][0])
    line("home page, page-cache hit", renders[True][1])
    nginx = serving["nginx"]["rps"]
    print(f"\nServed over HTTP (wrk -t2 -c{connections}, same run, same machine; nginx: {nginx:,.0f} req/s):\n")
    print("| gunicorn 2 workers | request | req/s | ratio to nginx | p99 | errors |")
    print("| --- | --- | --- | --- | --- | --- |")
    for worker_class in ("sync", "gthread"):
        for kind, label in (
            ("page", "card page 200"),
            ("304", "card page 304 (If-None-Match)"),
            ("print", "print view 200"),
            ("home", "home 200"),
        ):
            r = serving[worker_class][kind]
            errors = r["non2xx"] + r["socket_errors"]
            print(f"| {worker_class} | {label} | {r['rps']:,.0f} | {r['rps'] / nginx:.2f} | {r['p99']} | {errors} |")
    print(f"\nLoad average during the run (1/5/15 min): {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
    raw, gz, assets = serving["weight"]
    print(
        f"\nCard page weight with all assets ({assets} file(s) besides the HTML): {raw / 1024:.1f} KB raw, "
        f"{gz / 1024:.1f} KB gzipped (target ≤ 60 KB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=5000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--samples", type=int, default=1000)
    args = parser.parse_args()
    ensure_tools()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url, slugs = build_site(workdir, args.cards)
        renders = in_process(url, workdir, slugs, args.samples)
        serving = served(url, workdir, "dowod-osobisty-wydanie", args.duration, args.connections)
    report(renders, serving, args.cards, args.connections)


if __name__ == "__main__":
    main()
