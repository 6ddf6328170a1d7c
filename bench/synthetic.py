"""Synthetic card files for benchmarks, statistically like the real ones.

Words are drawn from the real cards' own text with their real frequencies (a Zipf-like distribution:
"wniosek" is common, "transkrypcja" rare), so an index over 5,000 synthetic cards has the posting-list
shape a city's real catalogue would have, not 5,000 cards made of the same few dozen words.
"""

import random
import re
import shutil
from collections import Counter
from pathlib import Path

import yaml

WORD_RE = re.compile(r"[a-ząćęłńóśźż]{3,}")


SLUG_FIELDS = {"category", "department", "life_situations", "point", "act", "shared", "form", "url", "channel"}


def real_vocabulary(content: Path) -> tuple[list[str], list[int]]:
    """Every word of three letters or more in the real cards' text, with how often it occurs."""
    counts = Counter()
    for path in (content / "cards").glob("*.md"):
        if path.name.count(".") > 1:  # translations (<slug>.en.md): the Polish vocabulary only
            continue
        _, header, body = path.read_text(encoding="utf-8").split("---\n", 2)
        for text in [*_texts(yaml.safe_load(header)), body]:
            counts.update(WORD_RE.findall(text.lower()))
    words = sorted(counts)
    return words, [counts[w] for w in words]


def _texts(value, key: str = ""):
    """The prose values of a card's front matter (not slugs, links or field names)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _texts(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item, key)
    elif isinstance(value, str) and key not in SLUG_FIELDS:
        yield value


class Writer:
    def __init__(self, content: Path, seed: int):
        self.rng = random.Random(seed)
        self.words, self.weights = real_vocabulary(content)

    def sentence(self, n: int) -> str:
        return " ".join(self.rng.choices(self.words, self.weights, k=n)).capitalize() + "."

    def card(self) -> str:
        rng, s = self.rng, self.sentence
        docs = "".join(f"  - name: {s(4)}\n    form: original\n    note: {s(6)}\n" for _ in range(rng.randint(1, 12)))
        fees = "".join(
            f"  - what: {s(3)}\n    amount: '{rng.randint(0, 500)}.{rng.randint(0, 99):02d}'\n"
            for _ in range(rng.randint(0, 6))
        )
        return (
            f"---\ntitle: {s(5)}\nsummary: {s(14)}\ncategory: dokumenty-i-meldunek\n"
            f"department: wydzial-ewidencji-i-spraw-obywatelskich\nservice_points:\n  - point: bok-stary-rynek\n"
            f"    room: stanowisko {rng.randint(1, 14)}\ndocuments:\n{docs}"
            + (f"fees:\n{fees}" if fees else "")
            + f"legal_acts:\n  - act: kpa\nsettle:\n  days: {rng.choice([7, 14, 30])}\n"
            f"keywords: [{s(1)[:-1].lower()}, {s(1)[:-1].lower()}]\neffective_date: 2026-11-25\n---\n\n"
            + "\n\n".join(s(20) for _ in range(4))
            + "\n"
        )


def write_synthetic_content(source: Path, target: Path, count: int, seed: int = 7) -> list[str]:
    """Copy the real content/ to `target` and add `count` synthetic cards; returns the synthetic slugs."""
    shutil.copytree(source, target)
    writer = Writer(source, seed)
    slugs = []
    for i in range(count):
        slug = f"syntetyczna-karta-{i:05d}"
        (target / "cards" / f"{slug}.md").write_text(writer.card(), encoding="utf-8")
        slugs.append(slug)
    return slugs
