"""Refresh the screenshots in docs/img that docs/kiosk.md and docs/web.md show, from the browser tests.

Usage: .venv/bin/python bench/screenshots.py [--docs docs/kiosk.md docs/web.md] [--tests tests/kiosk_ui tests/web]
Runs the browser tests with OKIENKO_DOCS_SHOTS=1 and OKIENKO_TEST_ARTIFACTS set to a fresh temporary directory
(the tests write their screenshots there, never into the repository), then copies every image the given docs
reference (`img/<name>.png`) from that directory into docs/img. Exits 1 when a test failed or a referenced image
was not produced, so a stale picture never passes for a fresh one. Not part of the test suite.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGE = re.compile(r"\(img/([\w.-]+\.png)\)")


def referenced(docs: list[str]) -> list[str]:
    """Every img/<name>.png a document shows, in order of first appearance."""
    names: dict[str, None] = {}
    for doc in docs:
        names.update(dict.fromkeys(IMAGE.findall((ROOT / doc).read_text(encoding="utf-8"))))
    return list(names)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", nargs="+", default=["docs/kiosk.md", "docs/web.md"])
    parser.add_argument("--tests", nargs="+", default=["tests/kiosk_ui", "tests/web"])
    args = parser.parse_args()
    wanted = referenced(args.docs)
    with tempfile.TemporaryDirectory(prefix="okienko-shots-") as shots:
        env = {**os.environ, "OKIENKO_DOCS_SHOTS": "1", "OKIENKO_TEST_ARTIFACTS": shots}
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "browser",
                   "--basetemp", str(Path(shots) / "tmp"), *args.tests]  # fmt: skip
        tests_passed = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode == 0
        missing = [name for name in wanted if not (Path(shots) / name).is_file()]
        for name in wanted:
            if name not in missing:
                shutil.copyfile(Path(shots) / name, ROOT / "docs" / "img" / name)
    print(f"copied {len(wanted) - len(missing)} of {len(wanted)} images into docs/img")
    for name in missing:
        print(f"not produced by any test: {name}", file=sys.stderr)
    if not tests_passed:
        print("a browser test failed: check the images before committing them", file=sys.stderr)
    return 0 if tests_passed and not missing else 1


if __name__ == "__main__":
    sys.exit(main())
