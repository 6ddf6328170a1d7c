"""Translations as content files: imported with the Polish cards, exported byte for byte, behind after a Polish edit."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.cards.translation_models import Translation, TranslationStatus
from kiosk.content.services import export_content, import_content
from kiosk.content.translationfile import translation_paths
from kiosk.content.yamlsource import ContentFileError


@pytest.fixture
def content_dir(app):
    """This test's own copy of content/ (the files are edited here)."""
    return Path(app.config["KIOSK_CONTENT_DIR"])


def published(db):
    return list(db.session.scalars(select(Translation).where(Translation.status == TranslationStatus.PUBLISHED)))


def test_every_card_has_unreviewed_english_and_ukrainian_files_that_round_trip(db, content_dir, tmp_path):
    import_content(content_dir)
    db.session.commit()
    files = translation_paths(content_dir)
    cards = {p.name.split(".")[0] for p in files}
    assert {p.name.split(".")[1] for p in files} == {"en", "uk"} and len(files) == 2 * len(cards) >= 100
    rows = published(db)
    assert len(rows) == len(files)
    assert not any(t.reviewed for t in rows)
    assert [t.card.slug for t in rows if t.behind_since] == []
    export_content(tmp_path / "out")
    for path in files:
        assert (tmp_path / "out" / "cards" / path.name).read_bytes() == path.read_bytes(), path.name
    import_content(content_dir)  # unchanged files publish nothing new
    assert db.session.scalar(select(func.count()).select_from(Translation)) == len(files)


def test_a_polish_file_edit_marks_its_translations_behind_and_hides_the_old_text(db, content_dir, client):
    import_content(content_dir)
    db.session.commit()
    card_file = content_dir / "cards" / "zameldowanie-pobyt-staly.md"
    text = card_file.read_text(encoding="utf-8")
    card_file.write_text(text.replace("Dowód osobisty lub paszport", "Dowód osobisty, paszport lub karta pobytu"))
    import_content(content_dir)
    db.session.commit()
    behind = {t.language for t in published(db) if t.behind_since is not None}
    assert behind == {"en", "uk"}
    html = client.get("/uslugi/zameldowanie-pobyt-staly?lang=en").get_data(as_text=True)
    assert "being updated" in html and '<span lang="pl">Dowód osobisty, paszport lub karta pobytu</span>' in html
    assert "ID card or passport" not in html and "Registering your permanent address" in html


def test_a_translation_file_written_for_older_polish_text_is_imported_as_behind(db, content_dir):
    path = content_dir / "cards" / "paszport.uk.md"
    path.write_text(path.read_text(encoding="utf-8").replace("source: ", "source: 0"), encoding="utf-8")
    import_content(content_dir)
    tr = next(t for t in published(db) if t.card.slug == "paszport" and t.language == "uk")
    assert tr.behind_since is not None and tr.pairs == []


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("paszport.uk.md", "---\ntitle: x\nprice: 10\n---\n", "price"),
        ("nie-ma-takiej.en.md", "---\ntitle: x\n---\n", "brak opublikowanej karty"),
        ("paszport.de.md", "---\ntitle: x\n---\n", "<karta>.en.md"),
        ("paszport.uk.md", "---\nsummary: bez tytułu\n---\n", "title"),
        ("zameldowanie-pobyt-staly.en.md", "---\ntitle: x\ndocuments: [a, b, c, d, e, f]\n---\n", "więcej pozycji"),
    ],
)
def test_bad_translation_files_stop_the_import_with_file_and_field(db, content_dir, name, text, message):
    (content_dir / "cards" / name).write_text(text, encoding="utf-8")
    with pytest.raises(ContentFileError, match=message):
        import_content(content_dir)
