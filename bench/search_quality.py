"""Search quality: success@1, success@3 and MRR over a list of resident queries, against the real cards.

Usage: .venv/bin/python bench/search_quality.py [--queries ../shared/search/queries-dev.yaml] [--misses]
Targets (issue 4): success@3 ≥ 0.95 and success@1 ≥ 0.85. The baseline is plain Whoosh
(StandardAnalyzer, default parser) over the same cards.
"""

import argparse
import sys
import tempfile
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk import create_app
from kiosk.content.services import import_content
from kiosk.extensions import db
from kiosk.search import services
from kiosk.search.baseline import BaselineIndex
from kiosk.search.documents import iter_all_documents

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_QUERIES = ROOT.parent / "shared" / "search" / "queries-dev.yaml"
# Ukrainian and English resident queries (issue 14): success@3 ≥ 0.90 in each language.
LANGUAGE_QUERIES = {"uk": ROOT / "bench" / "queries" / "uk.yaml", "en": ROOT / "bench" / "queries" / "en.yaml"}


def metrics(rankings: list[tuple[list[str], list[str]]]) -> dict:
    """success@1, success@3 and mean reciprocal rank of the first wanted card (top 10)."""
    s1 = s3 = rr = 0.0
    for ranked, want in rankings:
        rank = next((i for i, slug in enumerate(ranked[:10], 1) if slug in want), None)
        s1 += rank == 1
        s3 += rank is not None and rank <= 3
        rr += 1 / rank if rank else 0
    n = max(1, len(rankings))
    return {"success@1": s1 / n, "success@3": s3 / n, "MRR": rr / n}


def run(queries: list[dict], show_misses: bool, languages: dict | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/q.db", "KIOSK_INDEX_DIR": f"{tmp}/index",
                          "KIOSK_CONTENT_DIR": str(ROOT / "content")})  # fmt: skip
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(revision="heads")
            import_content(ROOT / "content")
            db.session.commit()
            services.rebuild()
            with Session(db.engine) as session:
                baseline = BaselineIndex(Path(tmp) / "baseline", iter_all_documents(session))
            known = {d["slug"] for d in iter_all_documents(db.session)}
            tuned, plain = [], []
            for item in queries:
                want = list(item["want"])
                tuned.append(([h.slug for h in _results(item["q"])], want))
                plain.append((baseline.search(item["q"]), want))
            missing = sorted({w for item in queries for w in item["want"]} - known)
            per_language = {lang: [([h.slug for h in _results(i["q"])], list(i["want"])) for i in items]
                            for lang, items in (languages or {}).items()}  # fmt: skip
            db.session.remove()
            db.engine.dispose()
    _report(queries, tuned, plain, missing, show_misses)
    for lang, rankings in per_language.items():
        m = metrics(rankings)
        print(f"{lang} ({len(rankings)} queries){'':10}{m['success@1']:>10.3f}{m['success@3']:>10.3f}{m['MRR']:>8.3f}")
        if show_misses:
            for item, (ranked, want) in zip(languages[lang], rankings, strict=True):
                if not set(ranked[:3]) & set(want):
                    print(f"  miss@3: {item['q']!r} want {want} got {ranked[:3]}")


def _results(text: str):
    response = services.search(text, limit=10)
    return response.results if response.total else []


def _report(queries, tuned, plain, missing, show_misses) -> None:
    print(f"queries: {len(queries)}; cards wanted but not in content/: {len(missing)} {missing if missing else ''}")
    print(f"{'':22}{'success@1':>10}{'success@3':>10}{'MRR':>8}")
    for name, rankings in (("tuned (kiosk.search)", tuned), ("baseline (plain)", plain)):
        m = metrics(rankings)
        print(f"{name:22}{m['success@1']:>10.3f}{m['success@3']:>10.3f}{m['MRR']:>8.3f}")
    if show_misses:
        for item, (ranked, want) in zip(queries, tuned, strict=True):
            if not ranked[:1] or ranked[0] not in want:
                print(f"  miss@1: {item['q']!r} want {want} got {ranked[:3]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--misses", action="store_true", help="list the queries whose first result is wrong")
    parser.add_argument("--no-languages", action="store_true", help="skip the Ukrainian and English sets")
    args = parser.parse_args()
    languages = {} if args.no_languages else {
        lang: yaml.safe_load(path.read_text(encoding="utf-8")) for lang, path in LANGUAGE_QUERIES.items()
    }  # fmt: skip
    run(yaml.safe_load(args.queries.read_text(encoding="utf-8")), args.misses, languages)


if __name__ == "__main__":
    main()
