"""A translated card page costs no more than 10 % over the Polish one (issue 14).

Usage: .venv/bin/python bench/translated_page.py [--rounds 300] [--page-cache off|on|both]
Requests the real cards in-process in Polish and with `?lang=uk` (a published translation) and `?lang=en`,
interleaved, and prints the median and p95 per language and the ratio of medians, in wall time and in this
process's CPU time (the CPU figure holds on a machine shared with other jobs, where wall time mostly
measures the neighbours). With the page cache off every request renders; with it on (production) every
request is a hit that still reads the card's stamp (validator memo off, so each request pays its query).
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk import create_app
from kiosk.content.services import import_content
from kiosk.extensions import db

ROOT = Path(__file__).resolve().parent.parent
SLUGS = ("zameldowanie-pobyt-staly", "dowod-osobisty-wydanie", "rejestracja-pojazdu-sprowadzonego", "paszport")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--page-cache", choices=("off", "on", "both"), default="both")
    args = parser.parse_args()
    for cache in ("off", "on") if args.page_cache == "both" else (args.page_cache,):
        print(f"page cache {cache}:")
        measure(args.rounds, cache == "on")


def measure(rounds: int, page_cache: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/b.db", "KIOSK_INDEX_DIR": f"{tmp}/index",
                          "KIOSK_CONTENT_DIR": str(ROOT / "content"), "WEB_PAGE_CACHE": page_cache,
                          "WEB_STAMP_TTL": 0})  # fmt: skip
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(revision="heads")
            import_content(ROOT / "content")
            db.session.commit()
        times = {"pl": [], "uk": [], "en": []}
        cpu = {"pl": [], "uk": [], "en": []}
        client = app.test_client()
        for lang in times:  # warm up templates, caches and catalogues
            for slug in SLUGS:
                client.get(f"/uslugi/{slug}?lang={lang}")
        for i in range(rounds):
            slug = SLUGS[i % len(SLUGS)]
            for lang in times:
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.get(f"/uslugi/{slug}?lang={lang}")
                times[lang].append((time.perf_counter() - start) * 1000)
                cpu[lang].append((time.process_time() - start_cpu) * 1000)
                assert response.status_code == 200
        with app.app_context():
            db.engine.dispose()
    for clock, samples in (("wall", times), ("cpu", cpu)):
        base = statistics.median(samples["pl"])
        for lang, values in samples.items():
            p95 = sorted(values)[int(0.95 * (len(values) - 1))]
            print(f"  card page {lang} ({clock}): median {statistics.median(values):.2f} ms, p95 {p95:.2f} ms, "
                  f"median vs pl {statistics.median(values) / base - 1:+.1%}")  # fmt: skip


if __name__ == "__main__":
    main()
