"""Content as code: import is idempotent and atomic, errors name file/line/field, export round-trips."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.cards.models import Card, Edition, EditionStatus
from kiosk.content.services import card_paths, import_content
from kiosk.content.yamlsource import ContentFileError


@pytest.fixture
def work_dir(tmp_path, content_dir) -> Path:
    """A copy of the real content/ to change freely."""
    target = tmp_path / "content"
    shutil.copytree(content_dir, target)
    return target


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_real_content_imports_and_every_card_is_published(db, runner, content_dir):
    result = runner.invoke(args=["content", "import", str(content_dir)])
    assert result.exit_code == 0, result.output
    files = card_paths(content_dir)
    assert count(db, Card) == len(files) >= 1
    published = db.session.scalar(
        select(func.count()).select_from(Edition).where(Edition.status == EditionStatus.PUBLISHED)
    )
    assert published == len(files)
    assert f"nowe {len(files)}" in result.output


def test_reimporting_unchanged_files_creates_no_edition(db, runner, work_dir):
    runner.invoke(args=["content", "import", str(work_dir)])
    editions = count(db, Edition)
    result = runner.invoke(args=["content", "import", str(work_dir)])
    assert result.exit_code == 0
    assert count(db, Edition) == editions
    assert "zmienione 0" in result.output and "zmienione fakty wspólne: 0" in result.output


def test_changed_file_creates_a_new_published_edition_by_the_importer(db, runner, work_dir):
    runner.invoke(args=["content", "import", str(work_dir)])
    path = work_dir / "cards" / "dowod-osobisty-wydanie.md"
    path.write_text(path.read_text().replace("Wydanie dowodu osobistego\n", "Wydanie dowodu osobistego (nowe)\n", 1))
    result = runner.invoke(args=["content", "import", str(work_dir)])
    assert "zmienione 1" in result.output, result.output
    card = db.session.scalar(select(Card).where(Card.slug == "dowod-osobisty-wydanie"))
    assert card.live_edition.number == 2
    assert card.live_edition.title == "Wydanie dowodu osobistego (nowe)"
    assert card.live_edition.author.username == "import"
    assert card.editions[0].status == EditionStatus.SUPERSEDED


BAD_FILES = [
    ("title: Test\n  zle: wciecie\ncategory: dokumenty-i-meldunek\n", 3, "", "błędny YAML"),
    (
        "title: Test\ncategory: dokumenty-i-meldunek\nservice_points:\n  - point: ratusz-na-ksiezycu\n",
        5,
        "service_points[0].point",
        "ratusz-na-ksiezycu",
    ),
    (
        "title: Test\ncategory: dokumenty-i-meldunek\nfees:\n  - what: Opłata\n    amount: '-5'\n",
        6,
        "fees[0].amount",
        "ujemna",
    ),
    ("summary: Bez tytułu\ncategory: dokumenty-i-meldunek\n", None, "title", "wymagane"),
    (
        "title: Test\ncategory: dokumenty-i-meldunek\nfees:\n  - what: Opłata\n    amount: abc\n",
        6,
        "fees[0].amount",
        "nie jest kwotą",
    ),
    ("title: Test\ncategory: dokumenty-i-meldunek\ntitel: literówka\n", 4, "titel", "nieznane pole"),
]


@pytest.mark.parametrize(("header", "line", "field", "message"), BAD_FILES)
def test_invalid_file_stops_the_import_naming_file_line_and_field(db, runner, work_dir, header, line, field, message):
    bad = work_dir / "cards" / "zly-plik.md"
    bad.write_text(f"---\n{header}---\n\nTreść.\n")
    result = runner.invoke(args=["content", "import", str(work_dir)])
    assert result.exit_code == 1
    assert "nic nie zapisano" in result.output
    assert "zly-plik.md" in result.output and message in result.output
    if line:
        assert f"zly-plik.md:{line}:" in result.output
    if field:
        assert f": {field}:" in result.output
    assert count(db, Card) == 0 and count(db, Edition) == 0


def test_error_in_a_later_file_keeps_nothing_of_the_earlier_ones(db, work_dir):
    (work_dir / "cards" / "zzz-zly.md").write_text("---\ntitle: X\ncategory: nie-ma-takiej\n---\n")
    with pytest.raises(ContentFileError):
        import_content(work_dir)
    db.session.rollback()
    assert count(db, Card) == 0


def test_file_without_front_matter_is_rejected(db, work_dir):
    (work_dir / "cards" / "bez-naglowka.md").write_text("Sam tekst\n")
    with pytest.raises(ContentFileError, match=r"bez-naglowka\.md:1"):
        import_content(work_dir)


def test_export_import_export_is_byte_identical(db, runner, work_dir, tmp_path):
    runner.invoke(args=["content", "import", str(work_dir)])
    first, second = tmp_path / "export1", tmp_path / "export2"
    assert runner.invoke(args=["content", "export", str(first)]).exit_code == 0
    result = runner.invoke(args=["content", "import", str(first)])
    assert result.exit_code == 0 and "zmienione 0" in result.output, result.output
    assert runner.invoke(args=["content", "export", str(second)]).exit_code == 0
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert len(files) > 5
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
