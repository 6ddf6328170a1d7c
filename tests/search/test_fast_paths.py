"""The fast paths of a search give exactly what Whoosh's slow ones gave, on a real multi-segment index.

Top-N scoring with block skipping, totals and facets from posting sets, and typo expansion through a
deletion map are each compared with Whoosh scoring every match and with its Levenshtein automaton, over
an index of several segments, one with deleted documents, and postings longer than one block.
"""

import random

import pytest
from whoosh import index
from whoosh import query as wq

from kiosk.search import query as q
from kiosk.search.engine import make_schema, to_whoosh
from kiosk.search.polish import Synonyms, analyse_query, fold

TEXT = """dowód osobisty paszport zameldowanie wymeldowanie pobyt stały czasowy rejestracja pojazdu samochód
    podatek nieruchomości odpady deklaracja opłata skarbowa mieszkanie komunalne lokal najem dodatek mieszkaniowy
    zasiłek karta rodziny wniosek urząd zaświadczenie akt urodzenia małżeństwa zgonu odpis budowa domu działka
    mapa parkowanie abonament strefa"""
WORDS = TEXT.split()
QUERIES = ["dowód", "dowodu osobistego", "mieszkanie komunalne", "podatek od nieruchomości", "wniosek urząd",
           "rejestarcja pojazdu", "zameldowanei", "deklaracja smieciowa", "karta", "opłata skarbowa odpis",
           "mieszkanei komunalen", "akt urodzenia", "xyzzy", "budowa domu działka"]  # fmt: skip


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


def _slow_run(searcher, query, filt, limit):
    """What `q.run` did before: score every match, count and facet from the same pass."""
    results = searcher.search(query, limit=None, filter=filt)
    docs = results.docs()
    return [(h["slug"], round(h.score, 4)) for h in results[:limit]], len(docs), q.facet_counts(searcher, docs)


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("filters", [(None, None), ("bok", None), (None, "podatki"), ("usc", "dokumenty")])
def test_top_hits_totals_and_facets_equal_scoring_every_match(searcher, text, filters):
    words = analyse_query(text, Synonyms({"auto": ["samochód", "pojazd"]}))
    for prune in (True, False):
        query = q.build_query(words, searcher.reader(), prune=prune)
        filt = q.filter_query(*filters)
        hits, total, facets = q.run(searcher, query, filt, 10)
        assert ([(h.slug, h.score) for h in hits], total, facets) == _slow_run(searcher, query, filt, 10)
    if text != "xyzzy":
        assert total > 0


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
