"""Typo expansion through a deletion map finds exactly the terms Whoosh's Levenshtein automaton finds.

Compared on every segment of a real index of several segments, one with deleted documents.
"""

import random

import pytest
from whoosh import index
from whoosh import query as wq

from kiosk.search import query as q
from kiosk.search.engine import make_schema, to_whoosh
from kiosk.search.polish import fold

pytestmark = pytest.mark.db_independent  # no database: the SQLite leg runs it, the PostgreSQL leg need not

TEXT = """dowód osobisty paszport zameldowanie wymeldowanie pobyt stały czasowy rejestracja pojazdu samochód
    podatek nieruchomości odpady deklaracja opłata skarbowa mieszkanie komunalne lokal najem dodatek mieszkaniowy
    zasiłek karta rodziny wniosek urząd zaświadczenie akt urodzenia małżeństwa zgonu odpis budowa domu działka
    mapa parkowanie abonament strefa"""
WORDS = TEXT.split()


def _doc(rng: random.Random, n: int) -> dict:
    def text(k: int) -> str:
        return " ".join(rng.choices(WORDS, k=k))

    return {"slug": f"karta-{n:04d}", "title": text(3), "summary": text(10), "keywords": text(2),
            "documents": text(4), "body": text(30), "category": rng.choice(["dokumenty", "podatki", ""]),
            "points": rng.sample(["bok", "usc", "mzd"], rng.randint(0, 2))}  # fmt: skip


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    """Three segments (300, 200 and 100 cards), 40 of the first deleted: not one atomic reader."""
    rng, path = random.Random(3), tmp_path_factory.mktemp("fast-index")
    ix = index.create_in(str(path), make_schema())
    for start, count in ((0, 300), (300, 200), (500, 100)):
        writer = ix.writer()
        for n in range(start, start + count):
            writer.add_document(**to_whoosh(_doc(rng, n)))
        writer.commit(merge=False)
    writer = ix.writer()
    for n in range(0, 80, 2):
        writer.delete_by_term("slug", f"karta-{n:04d}")
    writer.commit(merge=False)
    with ix.searcher() as s:
        assert len(s.leaf_searchers()) == 3 and s.reader().has_deletions()
        yield s


def test_typo_expansion_equals_whooshs_levenshtein_automaton(searcher):
    typed = {fold(w) for w in WORDS} | {"dowud", "zameldowanei", "rejestarcja", "mieszkanei", "podatke", "odapdy"}
    typed |= {w[:-1] for w in list(typed)}
    checked = 0
    for leaf, _offset in searcher.leaf_searchers():
        reader = leaf.reader()
        for word in sorted(typed):
            for field in q.FUZZY_FIELDS:
                for maxdist in {1, q.max_edits(word)} - {0}:
                    expected = sorted(wq.FuzzyTerm(field, word, maxdist=maxdist, prefixlength=1)._btexts(reader))
                    assert q.near_terms(reader, field, word, maxdist, 1) == expected, (word, field, maxdist)
                    checked += bool(expected)
    assert checked > 100  # most words do find near terms, so the comparison is not vacuous


def test_expansions_on_the_whole_index_are_the_union_of_its_segments(searcher):
    """Highlights read the expansions of the multi-segment reader: built from the segments' own, the same
    terms as expanding over the whole index's term list (and, for prefixes, as Whoosh's own Prefix)."""
    reader, checked = searcher.reader(), 0
    assert not reader.is_atomic()
    for word in sorted({fold(w) for w in WORDS} | {"dowud", "rejestarcja", "po", "za", "mie"}):
        for field in q.FUZZY_FIELDS:
            for maxdist in {1, q.max_edits(word)} - {0}:
                mine = q.FuzzyTerm(field, word, maxdist=maxdist, prefixlength=1)._btexts(reader)
                assert list(mine) == q.near_terms(reader, field, word, maxdist, 1), (word, field, maxdist)
                checked += bool(mine)
            assert list(q.Prefix(field, word)._btexts(reader)) == list(wq.Prefix(field, word)._btexts(reader))
    assert checked > 50
