"""Polish text handling: folding, lemmas, synonyms."""

import pytest

from kiosk.search.polish import Synonyms, analyse_query, fold, lemma_analyzer, lemmas, synonyms_from

pytestmark = pytest.mark.db_independent  # no database: the SQLite leg runs it, the PostgreSQL leg need not


def test_fold_strips_polish_diacritics_including_l_stroke():
    assert fold("Zaświadczenie DOWÓD Łódź źdźbło żółć") == "zaswiadczenie dowod lodz zdzblo zolc"


def test_lemmas_undo_inflection():
    assert lemmas("dowodu") == ("dowód",)
    assert "zameldować" in lemmas("zameldowania")
    assert lemmas("pkk") == ("pkk",)  # unknown words stay as typed


def test_lemma_analyzer_folds_lemmas_and_drops_stop_words():
    words = [t.text for t in lemma_analyzer()("Wydanie dowodu osobistego dla dziecka")]
    assert "dowod" in words and "osobisty" in words and "dziecko" in words
    assert "dla" not in words


def test_synonym_keys_match_any_form_with_or_without_diacritics():
    synonyms = Synonyms({"auto": ["pojazd"], "prawko": ["prawo jazdy"]})
    expanded = analyse_query("rejestracja auta", synonyms)
    assert [w.text for w in expanded[1].expansions[0]] == ["pojazd"]
    assert [w.text for w in analyse_query("PRAWKA", synonyms)[0].expansions[0]] == ["prawo", "jazdy"]


def test_synonyms_file_is_read_and_reloaded_when_it_changes(tmp_path):
    path = tmp_path / "synonyms.yaml"
    assert synonyms_from(path).entries == []
    path.write_text("meldunek: [zameldowanie]\n", encoding="utf-8")
    assert synonyms_from(path).entries[0].expansions == ["zameldowanie"]


def test_project_synonyms_file_is_valid(content_dir):
    synonyms = Synonyms.load(content_dir / "synonyms.yaml")
    assert len(synonyms.entries) > 20
    words = analyse_query("prawko", synonyms)
    assert words[0].expansions
