"""Synthetic card files for benchmarks: plausible Polish cards with varied sizes."""

import random
import shutil
from pathlib import Path

WORDS = [
    "wniosek",
    "zaświadczenie",
    "dowód",
    "rejestracja",
    "pojazd",
    "podatek",
    "opłata",
    "zgłoszenie",
    "decyzja",
    "odpis",
    "akt",
    "karta",
    "meldunek",
    "zameldowanie",
    "działalność",
    "zezwolenie",
    "nieruchomość",
    "budowa",
    "drzewo",
    "parkowanie",
    "rodzina",
    "senior",
    "mieszkanie",
    "lokal",
    "geodezja",
    "mapa",
    "wypis",
    "wyrys",
    "pełnomocnictwo",
    "fotografia",
    "paszport",
    "umowa",
    "faktura",
]


def _sentence(rng: random.Random, n: int = 8) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def write_synthetic_content(source: Path, target: Path, count: int, seed: int = 7) -> list[str]:
    """Copy the real content/ to `target` and add `count` synthetic cards; returns the synthetic slugs."""
    shutil.copytree(source, target)
    rng = random.Random(seed)
    slugs = []
    for i in range(count):
        slug = f"syntetyczna-karta-{i:05d}"
        docs = "".join(
            f"  - name: {_sentence(rng, 4)}\n    form: original\n    note: {_sentence(rng, 6)}\n"
            for _ in range(rng.randint(1, 12))
        )
        fees = "".join(
            f"  - what: {_sentence(rng, 3)}\n    amount: '{rng.randint(0, 500)}.{rng.randint(0, 99):02d}'\n"
            for _ in range(rng.randint(0, 6))
        )
        (target / "cards" / f"{slug}.md").write_text(
            f"---\ntitle: {_sentence(rng, 5)}\nsummary: {_sentence(rng, 14)}\ncategory: dokumenty-i-meldunek\n"
            f"department: wydzial-ewidencji-i-spraw-obywatelskich\nservice_points:\n  - point: bok-stary-rynek\n"
            f"    room: stanowisko {rng.randint(1, 14)}\ndocuments:\n{docs}"
            + (f"fees:\n{fees}" if fees else "")
            + f"legal_acts:\n  - act: kpa\nsettle:\n  days: {rng.choice([7, 14, 30])}\n"
            f"keywords: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\neffective_date: 2026-11-25\n---\n\n"
            + "\n\n".join(_sentence(rng, 20) for _ in range(4))
            + "\n",
            encoding="utf-8",
        )
        slugs.append(slug)
    return slugs
