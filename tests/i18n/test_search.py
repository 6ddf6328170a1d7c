"""Search in Ukrainian and English over the real cards, their translations and the vocabulary."""

from pathlib import Path

import pytest
import yaml

from kiosk.search import multilingual
from kiosk.search import services as search

QUERIES = Path(__file__).resolve().parents[2] / "bench" / "queries"
# A held-in subset of the benchmark sets (bench/search_quality.py measures all of them).
HELD_IN = {"uk": slice(0, 50, 3), "en": slice(1, 50, 3)}


@pytest.fixture
def real_cards(real_content):
    return real_content


@pytest.mark.parametrize(
    ("a", "b"),
    [("прописка", "propyska"), ("прописка", "propiska"), ("паспорт", "pasport"), ("паспорт", "passport"),
     ("ґанок", "ганок"), ("їжа", "іжа"), ("єдиний", "единий"), ("ёлка", "елка"), ("посвідчення", "посвидчення")],
)  # fmt: skip
def test_cyrillic_folding_and_transliteration_meet(a, b):
    assert multilingual.similar(multilingual.stem(a), multilingual.stem(b)) >= 0.7


@pytest.mark.parametrize("language", ["uk", "en"])
def test_held_in_queries_find_the_right_card_in_the_top_three(real_cards, language):
    items = yaml.safe_load((QUERIES / f"{language}.yaml").read_text(encoding="utf-8"))[HELD_IN[language]]
    misses = [i["q"] for i in items if not {h.slug for h in search.search(i["q"]).results[:3]} & set(i["want"])]
    assert len(items) >= 16 and len(misses) <= 1, misses


@pytest.mark.parametrize(
    ("query", "slug"),
    [("ID card", "dowod-osobisty-wydanie"), ("посвідчення особи", "dowod-osobisty-wydanie"),
     ("прописка", "zameldowanie-pobyt-staly"), ("propyska", "zameldowanie-pobyt-staly"), ("pasport", "paszport"),
     ("паспорт", "paszport"), ("паспорд", "paszport")],
)  # fmt: skip
def test_the_issues_examples(real_cards, query, slug):
    assert slug in [h.slug for h in search.search(query).results[:3]]


def test_polish_queries_are_left_to_the_polish_engine(real_cards, app):
    vocabulary = Path(app.config["KIOSK_CONTENT_DIR"]) / "vocabulary.yaml"
    for query in ("dowód osobisty", "zameldowanie", "rejestracja samochodu", "prawo jazdy", "paszport"):
        assert multilingual.understand(query, vocabulary) is None, query


def test_results_show_titles_in_the_readers_language(real_cards, client):
    data = client.get("/api/v1/search?q=прописка&lang=uk").get_json()
    titles = {r["slug"]: r["title"] for r in data["results"]}
    assert titles["zameldowanie-pobyt-staly"].startswith("Постійна реєстрація")
    assert titles["zameldowanie-pobyt-czasowy"].startswith("Тимчасова реєстрація")
    html = client.get("/szukaj?q=ID+card&lang=en").get_data(as_text=True)
    assert "Getting an ID card" in html
    polish = client.get("/api/v1/search?q=dowód&lang=pl").get_json()
    assert polish["results"][0]["title"] == "Wydanie dowodu osobistego"


def test_api_card_in_ukrainian_keeps_polish_facts_and_says_which_language(real_cards, client):
    response = client.get("/api/v1/cards/zameldowanie-pobyt-staly?lang=uk")
    data = response.get_json()
    assert response.headers["Content-Language"] == "uk"
    assert data["title"].startswith("Постійна реєстрація")
    assert data["documents"][1]["name"] == "Посвідчення особи або паспорт"
    assert data["language"] == {"requested": "uk", "text": "uk", "translation": data["language"]["translation"]}
    assert data["language"]["translation"]["reviewed"] is False and data["language"]["translation"]["partial"] is True
    assert "<span" not in str(data)  # plain text: a Polish part is given as it is, the flags say so
    assert data["service_points"][0]["address"]  # addresses come from the shared facts, never retyped


def test_kiosk_card_and_take_home_checklist_follow_the_language(real_cards, client):
    html = client.get("/kiosk/uslugi/zameldowanie-pobyt-staly?lang=en").get_data(as_text=True)
    assert '<h1 lang="en">Registering your permanent address (zameldowanie)</h1>' in html
    assert "not yet been reviewed" in html
    home = client.get("/kiosk/uslugi/zameldowanie-pobyt-staly/lista?lang=uk").get_data(as_text=True)
    assert "Посвідчення особи або паспорт" in home and "ще не перевірено" in home
    printed = client.get("/uslugi/zameldowanie-pobyt-staly/druk?lang=uk").get_data(as_text=True)
    assert "Посвідчення особи або паспорт" in printed and "translation-notice" in printed


@pytest.mark.parametrize(
    ("query", "slug"),
    [("домашнє насильство", "przemoc-domowa-niebieska-karta"), ("domestic violence", "przemoc-domowa-niebieska-karta"),
     ("судовий виконавець", "komornik-egzekucja-komornicza"), ("bailiff", "komornik-egzekucja-komornicza"),
     ("банкрутство", "upadlosc-konsumencka"), ("consumer bankruptcy", "upadlosc-konsumencka"),
     ("техогляд авто", "badanie-techniczne-pojazdu-skp"), ("car inspection", "badanie-techniczne-pojazdu-skp"),
     ("mobywatel не працює", "mobywatel-aplikacja"), ("mObywatel app not working", "mobywatel-aplikacja")],
)  # fmt: skip
def test_the_new_referral_doors_are_found_through_their_translations(real_cards, query, slug):
    assert search.search(query).results[0].slug == slug


@pytest.mark.parametrize(
    ("text", "words"),
    [("tel. 800 120 002.", ["tel"]), ("24 367-14-00 lub 112", ["lub", "112"]),
     ("800+ na dziecko", ["800", "na", "dziecko"]), ("od 1.12.2026", ["od", "12", "2026"]), ("500 zł", ["500", "zł"])],
)  # fmt: skip
def test_phone_numbers_are_no_card_words(text, words):
    assert multilingual.card_words(text) == words


def test_a_helpline_number_does_not_pull_a_card_into_the_800_plus_query(real_cards):
    # The domestic-violence card's translations give the helpline 800 120 002.
    assert search.search("800 плюс на дитину").results[0].slug == "rodzina-800-plus"


def test_a_tie_between_similar_stems_is_broken_by_the_stems_not_by_hash_order():
    """Two stems of one field equally similar to the query stem: the alphabetically first one's rarity counts,
    so every worker (each with its own hash seed) ranks the same cards the same way."""
    import math

    cat = multilingual.Catalogue(cards={"a": {"title": {"zzz", "aaa"}}, "b": {"title": {"zzz"}}},
                                 df={"aaa": 1, "zzz": 2}, vocabulary=[], polish=multilingual.Stems(()))  # fmt: skip
    cat.stems._near["qqq"] = {"zzz": 0.8, "aaa": 0.8}  # equally similar (as `similar` would score them)
    found = multilingual._stem_scores("qqq", cat)
    title = multilingual.FIELD_WEIGHTS["title"]
    assert found["a"] == 0.8 * title * math.log(1 + 2 / 1)  # "aaa" (in 1 card of 2), not "zzz" (in 2)
    assert found["b"] == 0.8 * title * math.log(1 + 2 / 2)
