"""Editors teach search a resident's word in one step; the file keeps its comments and other entries."""

import shutil

import pytest

from kiosk.errors import ValidationError
from kiosk.search import services as search


@pytest.fixture
def content(app, tmp_path, content_dir):
    target = tmp_path / "content"
    target.mkdir()
    shutil.copy(content_dir / "synonyms.yaml", target / "synonyms.yaml")
    app.config["KIOSK_CONTENT_DIR"] = str(target)
    return target


def test_a_new_synonym_makes_the_residents_word_find_the_card(db, factory, content):
    factory.published_card("dowod", title="Wydanie dowodu osobistego")
    search.rebuild()
    assert search.search("legitymacja obywatela").total == 0
    search.add_synonym("Legitymacja  obywatela", ["dowód osobisty"])
    result = search.search("legitymacja obywatela")
    assert [r.slug for r in result.results][:1] == ["dowod"]
    text = (content / "synonyms.yaml").read_text(encoding="utf-8")
    assert "# Synonyms for search" in text and "prawko: [prawo jazdy]" in text
    assert "legitymacja obywatela: [dowód osobisty]" in text


def test_adding_to_an_existing_synonym_merges_without_duplicates(db, content):
    search.add_synonym("prawko", ["prawo jazdy", "uprawnienia"])
    text = (content / "synonyms.yaml").read_text(encoding="utf-8")
    assert text.count("prawko:") == 1 and "prawko: [prawo jazdy, uprawnienia]" in text


@pytest.mark.parametrize(("phrase", "words"), [("", ["x"]), ("auto", []), ("a" * 200, ["x"])])
def test_empty_or_overlong_input_is_refused(db, content, phrase, words):
    with pytest.raises(ValidationError):
        search.add_synonym(phrase, words)


def test_a_new_synonym_is_searched_at_once_here_and_within_the_stamp_ttl_elsewhere(db, factory, content, app):
    """Searches look at the file once per WEB_STAMP_TTL; the process that adds a word forgets its copy at once."""
    factory.published_card("dowod", title="Wydanie dowodu osobistego")
    search.rebuild()
    app.config["WEB_STAMP_TTL"] = 60
    assert search.search("legitymacja obywatela").total == 0  # the synonyms are now remembered for a minute
    search.add_synonym("legitymacja obywatela", ["dowód osobisty"])
    assert [r.slug for r in search.search("legitymacja obywatela").results][:1] == ["dowod"]

    path = content / "synonyms.yaml"  # another process (another worker's editor) adds a word
    path.write_text(path.read_text(encoding="utf-8") + "ausweis: [dowód osobisty]\n", encoding="utf-8")
    assert search.search("ausweis").total == 0  # this worker's copy is at most WEB_STAMP_TTL old
    app.extensions["web_stamps"].clear()  # WEB_STAMP_TTL has passed
    assert [r.slug for r in search.search("ausweis").results][:1] == ["dowod"]
