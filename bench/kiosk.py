"""Kiosk benchmark: page weight, first screen, tap to card, Lighthouse, in Debian's headless Chromium.

Usage: .venv/bin/python bench/kiosk.py [--runs 20] [--no-lighthouse]
Targets (issue 6): everything a kiosk screen loads, all assets included, ≤ 100 KB transferred; first
screen ready ≤ 500 ms and a tap to a card painted ≤ 150 ms (browser performance timings, median of
20); Lighthouse 12.8.2 on a kiosk card page: performance ≥ 95, accessibility 100.

The real content (content/, 59 cards) is imported into a fresh SQLite database and served by gunicorn
(2 workers) on a loopback port, as a kiosk machine's local server would be.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk import create_app
from kiosk.content.services import import_content
from kiosk.extensions import db
from kiosk.facts.services import get_location
from kiosk.kiosk_ui.services import register_kiosk
from kiosk.search import services as search

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
SIZES = {"portrait": {"width": 1080, "height": 1920}, "landscape": {"width": 1920, "height": 1080}}
CARD = "dowod-osobisty-wydanie"
SCREENS = {"home": "/kiosk/?k=bok-1&lang=pl", "list": "/kiosk/kategorie/dokumenty-i-meldunek?k=bok-1&lang=pl",
           "results": "/kiosk/szukaj?q=dowod&k=bok-1&lang=pl", "card": f"/kiosk/uslugi/{CARD}?k=bok-1&lang=pl",
           "here": "/kiosk/tutaj?k=bok-1&lang=pl"}  # fmt: skip
# Bytes over the wire for the document and every resource, and when the screen was ready.
WEIGHT_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  return {bytes: nav.transferSize + res.reduce((s, r) => s + r.transferSize, 0), requests: 1 + res.length,
          ready: nav.loadEventEnd, fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime};
}"""
TAP_MARK = "document.addEventListener('pointerdown', () => sessionStorage.setItem('bench.tap', "
TAP_MARK += "String(performance.timeOrigin + performance.now())), {capture: true})"
PAINTED_JS = """() => new Promise((resolve) => {
  const done = (fcp) => resolve(performance.timeOrigin + fcp - Number(sessionStorage.getItem('bench.tap')));
  const entry = performance.getEntriesByName('first-contentful-paint')[0];
  if (entry) return done(entry.startTime);
  new PerformanceObserver((list) => done(list.getEntries()[0].startTime)).observe({type: 'paint', buffered: true});
})"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_site(workdir: Path) -> dict:
    """A migrated SQLite database with the real content, the search index and one registered kiosk."""
    env = {"KIOSK_DATABASE_URL": f"sqlite:///{workdir / 'kiosk.db'}", "KIOSK_INDEX_DIR": str(workdir / "index"),
           "KIOSK_SECRET_KEY": "bench-" + "x" * 40}  # fmt: skip
    app = create_app({"SQLALCHEMY_DATABASE_URI": env["KIOSK_DATABASE_URL"], "KIOSK_INDEX_DIR": env["KIOSK_INDEX_DIR"]})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(revision="heads")
        import_content(ROOT / "content")
        db.session.commit()
        search.rebuild()
        register_kiosk("bok-1", "BOK – hol", get_location("bok-stary-rynek"), has_printer=True)
        db.session.commit()
        db.engine.dispose()
    return env


def serve(env: dict, port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "--no-control-socket", "--log-level", "warning",
               "kiosk:create_app()"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def weights(browser, base: str) -> dict:
    """Every kiosk screen loaded cold (no cache, no service worker): bytes, requests, load time."""
    out = {}
    for size, viewport in SIZES.items():
        for name, path in SCREENS.items():
            context = browser.new_context(viewport=viewport, service_workers="block", locale="pl-PL")
            page = context.new_page()
            page.goto(base + path, wait_until="load")
            page.wait_for_timeout(200)  # QR images below the fold finish loading
            out[f"{name} ({size})"] = page.evaluate(WEIGHT_JS)
            context.close()
    return out


def first_screen(browser, base: str, runs: int) -> list[float]:
    """The start screen in a fresh browser profile: navigation start to the load event, ms."""
    timings = []
    for _ in range(runs):
        context = browser.new_context(viewport=SIZES["portrait"], service_workers="block", locale="pl-PL")
        page = context.new_page()
        page.goto(base + SCREENS["home"], wait_until="load")
        timings.append(page.evaluate(WEIGHT_JS)["ready"])
        context.close()
    return timings


def tap_to_card(browser, base: str, runs: int) -> list[float]:
    """A running kiosk (service worker active, assets cached): tap a card in a list until the card is painted."""
    context = browser.new_context(viewport=SIZES["portrait"], has_touch=True, locale="pl-PL")
    context.add_init_script(TAP_MARK)
    page = context.new_page()
    page.goto(base + SCREENS["home"])
    page.wait_for_function("document.documentElement.dataset.offlineReady", timeout=30000)
    timings = []
    for _ in range(runs):
        page.goto(base + SCREENS["list"], wait_until="load")
        page.locator(f"a.row[href*='{CARD}']").tap()
        page.wait_for_url(f"**/uslugi/{CARD}**", wait_until="commit")
        timings.append(page.evaluate(PAINTED_JS))
    context.close()
    return timings


def lighthouse(base: str, workdir: Path) -> dict:
    """Lighthouse 12.8.2 (mobile preset, simulated throttling) on a kiosk card page."""
    out = workdir / "lighthouse.json"
    flags = " ".join(["--headless=new", *FLAGS])
    command = ["npx", "--yes", "lighthouse@12.8.2", base + SCREENS["card"], f"--chrome-flags={flags}",
               "--only-categories=performance,accessibility", "--no-enable-error-reporting",
               "--output=json", f"--output-path={out}", "--quiet"]  # fmt: skip
    subprocess.run(command, check=True, cwd=ROOT, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300)
    report = json.loads(out.read_text())
    scores = {name: round(cat["score"] * 100) for name, cat in report["categories"].items()}
    audits = report["audits"]
    scores["fcp_ms"] = round(audits["first-contentful-paint"]["numericValue"])
    scores["lcp_ms"] = round(audits["largest-contentful-paint"]["numericValue"])
    scores["failed_a11y"] = [ref["id"] for ref in report["categories"]["accessibility"]["auditRefs"]
                             if audits[ref["id"]].get("score") not in (None, 1)]  # fmt: skip
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        env = build_site(workdir)
        port = free_port()
        server = serve(env, port)
        base = f"http://127.0.0.1:{port}"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
                sizes = weights(browser, base)
                ready = first_screen(browser, base, args.runs)
                taps = tap_to_card(browser, base, args.runs)
                browser.close()
            scores = None if args.no_lighthouse else lighthouse(base, workdir)
        finally:
            server.terminate()
            server.wait(10)
    report(sizes, ready, taps, scores)


def report(sizes: dict, ready: list[float], taps: list[float], scores: dict | None) -> None:
    print("screen weight (cold, no service worker), target ≤ 100 KB:")
    for name, row in sizes.items():
        print(f"  {name:22} {row['bytes'] / 1024:6.1f} KB in {row['requests']} requests")
    heaviest = max(row["bytes"] for row in sizes.values()) / 1024
    print(f"  heaviest: {heaviest:.1f} KB  {'OK' if heaviest <= 100 else 'OVER'}")
    median_ready, median_tap = statistics.median(ready), statistics.median(taps)
    print(
        f"first screen ready (load event, fresh profile), median of {len(ready)}: {median_ready:.0f} ms "
        f"(min {min(ready):.0f}, max {max(ready):.0f}), target ≤ 500 ms  {'OK' if median_ready <= 500 else 'OVER'}"
    )
    print(
        f"tap to card painted (pointerdown → first contentful paint), median of {len(taps)}: {median_tap:.0f} ms "
        f"(min {min(taps):.0f}, max {max(taps):.0f}), target ≤ 150 ms  {'OK' if median_tap <= 150 else 'OVER'}"
    )
    if scores:
        print(
            f"Lighthouse 12.8.2 on /kiosk/uslugi/{CARD}: performance {scores['performance']}, "
            f"accessibility {scores['accessibility']} (FCP {scores['fcp_ms']} ms, LCP {scores['lcp_ms']} ms"
            f"{', failing: ' + ', '.join(scores['failed_a11y']) if scores['failed_a11y'] else ''})"
        )


if __name__ == "__main__":
    main()
