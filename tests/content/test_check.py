"""`flask content check`: unsourced facts, outdated consolidated texts, editorial doubt in resident text."""

from pathlib import Path

import pytest

from kiosk.content.check import check_content, consolidated_year

FACTS = {
    "categories.yaml": "- {slug: dokumenty, name: Dokumenty}\n",
    "departments.yaml": "- {slug: wydzial, name: Wydział Testowy}\n",
    "life-situations.yaml": "",
    "locations.yaml": "- slug: bok\n  name: BOK\n  address: Stary Rynek 1\n  hours_note: Kasa do 15:00.\n"
    "  source: plock.eu, strona BOK, stan na 2026-11\n",
    "legal-acts.yaml": "- slug: ustawa\n  title: Ustawa z dnia 6 sierpnia 2010 r. o dowodach osobistych\n"
    "  reference: Dz.U. 2025 poz. 1\n  source: https://isap.sejm.gov.pl/\n"
    "- slug: uchwala\n  title: Uchwała Nr 604/XXXV/2013 Rady Miasta Płocka z dnia 28 maja 2013 r.\n"
    "  reference: Dz. Urz. Woj. Maz. 2013 poz. 1\n  source: Uchwała z 28.05.2013\n",
    "shared-fees.yaml": "- {slug: pelnomocnictwo, what: Pełnomocnictwo, amount: '17.00', source: ustawa o opłacie}\n",
}
CARD = """---
title: Wydanie dowodu
summary: Dowód wyrobisz w urzędzie. Gdy urząd musi sprawdzić dokument, trwa to dłużej.
category: dokumenty
department: wydzial
service_points:
  - point: bok
documents:
  - name: Wniosek
    note: Formularz dostaniesz na miejscu.
fees:
  - what: Opłata
    amount: '0.00'
    source: ustawa o dowodach osobistych, art. 1
  - what: Pełnomocnictwo
    shared: pelnomocnictwo
    unverified: czy dotyczy wszystkich
settle:
  days: 30
  source: ustawa o dowodach osobistych, art. 2
legal_acts:
  - act: ustawa
    source: https://isap.sejm.gov.pl/
  - act: uchwala
    unverified: tekst ujednolicony
online:
  channel: gov.pl
  url: https://www.gov.pl/web/gov/dowod
  source: https://www.gov.pl/web/gov/dowod
forms:
  - title: Wniosek
    url: https://bip.plock.eu/wniosek.pdf
    source: bip.plock.eu, stan na 2026-11
unverified:
  - być może inny pokój
effective_date: 2026-11-25
---

## Kto składa

Wniosek składasz osobiście.
"""


@pytest.fixture
def content(tmp_path) -> Path:
    root = tmp_path / "content"
    (root / "cards").mkdir(parents=True)
    for name, text in FACTS.items():
        (root / name).write_text(text, encoding="utf-8")
    (root / "cards" / "dowod.md").write_text(CARD, encoding="utf-8")
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(runner, directory: Path):
    return runner.invoke(args=["content", "check", str(directory)])


def test_a_clean_directory_passes(app, runner, content):
    result = run(runner, content)
    assert result.exit_code == 0, result.output
    assert "bez uwag" in result.output


@pytest.mark.parametrize(
    ("text", "flagged"),
    [("Wniosek składasz chyba osobiście.", True), ("Nie ujawnia nazwiska, chyba że się zgodzisz.", False),
     ("Nie ujawnia nazwiska, chyba, że się zgodzisz.", False)],
)  # fmt: skip
def test_unless_is_plain_polish_but_a_bare_chyba_is_doubt(app, runner, content, text, flagged):
    edit(content / CARD_PATH, "Wniosek składasz osobiście.", text)
    result = run(runner, content)
    assert (result.exit_code == 1) is flagged, result.output
    assert ("editorial_doubt 1" in result.output) is flagged


def test_the_real_content_passes(app, runner, content_dir):
    # Expected to pass once content/ is fully sourced (issue 12); `make test` runs it on every change.
    result = run(runner, content_dir)
    assert result.exit_code == 0, result.output


CARD_PATH = "cards/dowod.md"


@pytest.mark.parametrize(
    ("file", "old", "new", "where"),
    [
        (CARD_PATH, "    source: ustawa o dowodach osobistych, art. 1\n", "", "dowod.md:12: fees[0]:"),
        (CARD_PATH, "    unverified: czy dotyczy wszystkich\n", "", "dowod.md:15: fees[1]:"),
        (CARD_PATH, "  source: ustawa o dowodach osobistych, art. 2\n", "", "dowod.md:19: settle:"),
        (CARD_PATH, "    source: https://isap.sejm.gov.pl/\n", "", "dowod.md:22: legal_acts[0]:"),
        (CARD_PATH, "  source: https://www.gov.pl/web/gov/dowod\n", "", "dowod.md:27: online:"),
        (CARD_PATH, "    source: bip.plock.eu, stan na 2026-11\n", "", "dowod.md:31: forms[0]:"),
        ("locations.yaml", "  source: plock.eu, strona BOK, stan na 2026-11\n", "", "locations.yaml:1: [0]:"),
        ("legal-acts.yaml", "  source: Uchwała z 28.05.2013\n", "", "legal-acts.yaml:5: [1]:"),
        ("shared-fees.yaml", ", source: ustawa o opłacie", "", "shared-fees.yaml:1: [0]:"),
    ],
)
def test_a_fact_without_source_or_doubt_fails(app, runner, content, file, old, new, where):
    edit(content / file, old, new)
    result = run(runner, content)
    assert result.exit_code == 1
    assert where in result.output and "nie ma ani „source”, ani „unverified”" in result.output
    assert "no_source 1" in result.output


def test_a_doubt_counts_as_an_honest_answer(app, runner, content):
    edit(content / "locations.yaml", "  source: plock.eu, strona BOK, stan na 2026-11\n", "  unverified: [godziny]\n")
    assert run(runner, content).exit_code == 0


@pytest.mark.parametrize(
    ("reference", "flagged"),
    [("Dz.U. 2022 poz. 671", True), ("Dz.U. 2023 poz. 1", False), ("Dz.U. 2010 nr 167 poz. 1131", False)],
)
def test_an_old_consolidated_text_fails_for_a_later_card(app, runner, content, reference, flagged):
    # The act is of 2010; a 2022 text is more than 3 years older than the card (2026), a 2010 one is the original.
    edit(content / "legal-acts.yaml", "Dz.U. 2025 poz. 1", reference)
    result = run(runner, content)
    assert (result.exit_code == 1) is flagged, result.output
    if flagged:
        assert "dowod.md:22: legal_acts[0].act:" in result.output and "z 2022 r." in result.output


def test_an_old_text_noted_as_unverified_passes_and_the_age_is_an_option(app, runner, content):
    edit(content / "legal-acts.yaml", "Dz.U. 2025 poz. 1", "Dz.U. 2019 poz. 1")
    assert run(runner, content).exit_code == 1
    assert runner.invoke(args=["content", "check", str(content), "--max-text-age", "8"]).exit_code == 0
    edit(content / "legal-acts.yaml", "  source: https://isap.sejm.gov.pl/\n", "  unverified: nowszy tekst jednolity\n")
    assert run(runner, content).exit_code == 0


def test_a_repealed_act_fails(app, runner, content):
    edit(
        content / "legal-acts.yaml",
        "  reference: Dz.U. 2025 poz. 1\n",
        "  reference: Dz.U. 2025 poz. 1\n  status: repealed\n",
    )
    result = run(runner, content)
    assert result.exit_code == 1 and "jest uchylony" in result.output


def test_consolidated_year_reads_only_statutes_and_regulations():
    act = {"title": "Ustawa z dnia 6 sierpnia 2010 r. o dowodach", "reference": "Dz.U. 2022 poz. 671"}
    assert consolidated_year(act) == 2022
    assert consolidated_year({**act, "title": "Konwencja z dnia 8 listopada 1968 r."}) is None
    assert consolidated_year({**act, "reference": ""}) is None


@pytest.mark.parametrize(
    ("file", "old", "new", "where"),
    [
        (CARD_PATH, "Dowód wyrobisz w urzędzie.", "Dowód wyrobisz być może w urzędzie.", "dowod.md:3: summary:"),
        (CARD_PATH, "Wydanie dowodu\n", "Wydanie dowodu (do potwierdzenia)\n", "dowod.md:2: title:"),
        (
            CARD_PATH,
            "dostaniesz na miejscu.",
            "dostaniesz na miejscu według starszej karty.",
            "dowod.md:10: documents[0].note:",
        ),
        (CARD_PATH, "Wniosek składasz osobiście.", "Wniosek składasz prawdopodobnie osobiście.", "dowod.md:41: body:"),
        (CARD_PATH, "Wniosek składasz osobiście.", "Wniosek składasz osobiście (sprawdzić).", "dowod.md:41: body:"),
        (CARD_PATH, "Wniosek składasz osobiście.", "Godzin nie potwierdzono.", "dowod.md:41: body:"),
        ("locations.yaml", "Kasa do 15:00.", "Kasa do 15:00 (do weryfikacji).", "locations.yaml:4: [0].hours_note:"),
        (
            "legal-acts.yaml",
            "o dowodach osobistych",
            "o dowodach osobistych (numer do potwierdzenia)",
            "legal-acts.yaml:2:",
        ),
    ],
)
def test_editorial_doubt_in_resident_text_fails(app, runner, content, file, old, new, where):
    edit(content / file, old, new)
    result = run(runner, content)
    assert result.exit_code == 1
    assert where in result.output and "przenieś ją do „unverified”" in result.output, result.output
    assert "editorial_doubt 1" in result.output


def test_an_invalid_file_is_a_finding_not_a_crash(app, runner, content):
    (content / "cards" / "zla.md").write_text("---\ntitle: X\ncategory: nie-ma\n---\n", encoding="utf-8")
    result = run(runner, content)
    assert result.exit_code == 1 and "zla.md:3: category: nieznana wartość" in result.output


def test_a_missing_directory_is_a_clear_error(app, runner, tmp_path):
    result = run(runner, tmp_path / "nie-ma")
    assert result.exit_code == 1 and "Nie ma katalogu" in result.output


def test_the_check_reads_files_only(app, content):
    assert check_content(content) == []
