"""A mix of distinct resident queries for speed benchmarks: every query set, plus variants residents type.

The sets (dev, Ukrainian, English) and a few extra lines, each also without diacritics and with one typo
(two letters swapped in its longest word), de-duplicated: well over 300 distinct strings, so caches keyed
by the query text cannot make a benchmark look faster than a real day's traffic.
"""

import random
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
QUERY_FILES = [ROOT / "bench" / "queries" / "uk.yaml", ROOT / "bench" / "queries" / "en.yaml"]
EXTRA = ["dowod", "zaświadczenie o zameldowaniu", "rejestarcja pojazdu", "podatek", "wniosek opłata", "karta",
         "akt urodzenia odpis", "budowa domu", "xyzzy", "ile kosztuje prawo jazdy", "mapa działki"]  # fmt: skip
STRIP = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def dev_queries_path() -> Path:
    """shared/search/queries-dev.yaml, next to the main checkout (worktrees sit one level deeper)."""
    for base in (ROOT.parent, ROOT.parent.parent, Path("/work")):
        path = base / "shared" / "search" / "queries-dev.yaml"
        if path.is_file():
            return path
    raise SystemExit("shared/search/queries-dev.yaml not found")


def base_queries() -> list[str]:
    texts = []
    for path in [dev_queries_path(), *QUERY_FILES]:
        texts += [item["q"] for item in yaml.safe_load(path.read_text(encoding="utf-8"))]
    return texts + EXTRA


def with_typo(text: str, rng: random.Random) -> str:
    words = text.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) < 4:
        return text
    i = rng.randrange(1, len(word) - 2)
    words[longest] = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return " ".join(words)


def query_mix(seed: int = 11) -> list[str]:
    """Distinct queries: the sets as written, without diacritics, and with one typo."""
    rng = random.Random(seed)
    texts = base_queries()
    variants = texts + [t.translate(STRIP) for t in texts] + [with_typo(t, rng) for t in texts]
    return list(dict.fromkeys(variants))


def prefixes(texts: list[str]) -> list[str]:
    """What the suggest box sees while those queries are typed: distinct prefixes of 2 to 14 letters."""
    return list(dict.fromkeys(t[:n] for t in texts for n in (2, 3, 4, 6, 9, 14) if len(t) >= n))


if __name__ == "__main__":
    mix = query_mix()
    print(f"{len(mix)} distinct queries, {len(prefixes(mix))} distinct prefixes")
