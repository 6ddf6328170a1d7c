"""The card page through the nginx page cache against nginx serving the same page as a static file.

Usage: .venv/bin/python bench/nginx_cache.py [--duration 10] [--connections 32] [--rounds 2]

Loopback only, SQLite, every card of content/. One gunicorn server (deploy/gunicorn.conf.py, production
settings, two workers) behind deploy/nginx/okienko.conf over HTTPS; the card page as nginx first served it
is saved to a file and served by the same nginx from a `location` added for the run. wrk measures both in
the same run, alternating, plain and with `Accept-Encoding: gzip`. The cached page expires every 5 s
(s-maxage) and is revalidated in the background meanwhile, as in production. Target (issue 16): the cached
card page reaches at least 50 % of the static file's rate.
"""

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade

from bench.web import ensure_tools, wrk
from kiosk.content.services import import_content
from kiosk.extensions import db
from kiosk.search import services as search

SLUG = "dowod-osobisty-wydanie"
HOST = "okienko.plock.eu"


def serve_saved_page(conf: Path, page: Path) -> None:
    """Add a location serving `page` to the rendered site, next to the cached pages."""
    site = conf.parent / "okienko.conf"
    text = site.read_text()
    anchor = "    location / {\n"
    static = f"    location = /bench/karta.html {{\n        alias {page};\n        default_type text/html;\n    }}\n"
    at = text.rindex(anchor)  # the HTTPS server's (the first one only redirects plain HTTP)
    site.write_text(text[:at] + static + text[at:])


def prepare(tmp: Path, url: str, index: Path) -> None:
    from tests.ops.conftest import make_app

    app = make_app(url, tmp, "setup")
    with app.app_context():
        upgrade(revision="heads")
        import_content(tmp / "content-setup")
        db.session.commit()
        app.config["KIOSK_INDEX_DIR"] = str(index)
        search.rebuild()
        db.session.remove()


def measure(port: int, args) -> dict[str, list[dict]]:
    base = f"https://127.0.0.1:{port}"
    targets = {"static file": f"{base}/bench/karta.html", "cached card page": f"{base}/uslugi/{SLUG}"}
    results = {}
    for encoding in ("identity", "gzip"):
        headers = {"Host": HOST, "Accept-Encoding": encoding}
        for url in targets.values():
            wrk(url, 2, args.connections, headers)  # warm-up
        for _ in range(args.rounds):
            for name, url in targets.items():
                results.setdefault((name, encoding), []).append(wrk(url, args.duration, args.connections, headers))
    return results


def report(results: dict, args) -> None:
    print(f"\n## nginx page cache vs static file (wrk -t2 -c{args.connections} -d{args.duration}s over HTTPS, "
          f"{args.rounds} alternating rounds, median)\n")  # fmt: skip
    print("| request | encoding | req/s | p99 | errors | ratio to the static file |")
    print("| --- | --- | --- | --- | --- | --- |")
    for encoding in ("identity", "gzip"):
        static = statistics.median(r["rps"] for r in results[("static file", encoding)])
        for name in ("static file", "cached card page"):
            runs = results[(name, encoding)]
            rps = statistics.median(r["rps"] for r in runs)
            errors = sum(r["non2xx"] + r["socket_errors"] for r in runs)
            print(f"| {name} | {encoding} | {rps:,.0f} | {runs[-1]['p99']} | {errors} | {rps / static:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    ensure_tools()

    from tests.ops.nginx import Nginx, Proxy, free_port, render_site
    from tests.ops.test_cluster import Server

    tmp = Path(tempfile.mkdtemp(prefix="okienko-nginx-cache-"))
    url = f"sqlite:///{tmp / 'site.db'}"
    prepare(tmp, url, tmp / "index-a")  # the index directory Server("a") uses
    server = Server("a", url, tmp)
    nginx = None
    try:
        server.wait_ready()
        port = free_port()
        conf = render_site(tmp, [f"127.0.0.1:{server.port}"], port, free_port())
        page = tmp / "karta.html"
        serve_saved_page(conf, page)
        nginx = Nginx(conf, port)
        first = Proxy(port).get(f"/uslugi/{SLUG}")
        assert first.status == 200 and first.getheader("X-Cache-Status") == "MISS", first.status
        page.write_bytes(first.body)
        saved = Proxy(port).get("/bench/karta.html")
        assert saved.body == first.body, (saved.status, saved.body[:300])
        assert Proxy(port).get(f"/uslugi/{SLUG}").getheader("X-Cache-Status") == "HIT"
        report(measure(port, args), args)
    finally:
        if nginx:
            nginx.stop()
        server.stop()


if __name__ == "__main__":
    main()
