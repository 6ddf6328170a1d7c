"""`kiosk.search.scoring` returns exactly what Whoosh's own search returns for the queries search builds.

Every query of `bench/query_mix.py` (pruned and in full), its as-you-type prefixes and filtered searches
are run both ways on real on-disk indexes of several segments with deleted documents: the same documents,
the same scores (float for float), the same order, totals and facets.
"""

import random
from collections import Counter
from pathlib import Path

import pytest
from whoosh import index

from bench.query_mix import prefixes, query_mix
from bench.search_speed import whoosh_ranked
from kiosk.search import query as q
from kiosk.search import scoring
from kiosk.search.engine import make_schema, to_whoosh
from kiosk.search.polish import analyse_query, synonyms_from
from kiosk.search.sync import get_index

CONTENT = Path(__file__).resolve().parent.parent.parent / "content"
TEXT = """dowód osobisty paszport zameldowanie wymeldowanie pobyt stały czasowy rejestracja pojazdu samochód
    podatek nieruchomości odpady deklaracja opłata skarbowa mieszkanie komunalne lokal najem dodatek mieszkaniowy
    zasiłek karta rodziny wniosek urząd zaświadczenie akt urodzenia małżeństwa zgonu odpis budowa domu działka
    mapa parkowanie abonament strefa dowodu dowody paszportu meldunek auto rower"""
WORDS = TEXT.split()


def assert_same(searcher, query, point=None, category=None):
    allow = q.allowed_docs(searcher, point, category)
    expected = whoosh_ranked(searcher, query, point, category)
    assert scoring.top(scoring.matches(searcher, query, allow), None) == expected, str(query)
    hits, total, facets = q.run(searcher, query, allow, 10)
    assert total == len(expected)
    assert [h.score for h in hits] == [round(s, 4) for _d, s in expected[:10]]
    assert [h.slug for h in hits] == [searcher.stored_fields(d)["slug"] for d, _s in expected[:10]]
    assert facets == q.facet_counts(searcher, {d for d, _s in expected}) == stored_facets(searcher, expected)
    whoosh_terms = {t.decode() for _f, t in query.existing_terms(searcher.reader(), expand=True)}
    assert q.matched_words(searcher.reader(), query) == whoosh_terms  # the highlighted words


def stored_facets(searcher, ranked) -> dict:
    """Facet counts straight from each matching card's stored category and points."""
    counts = {"category": Counter(), "point": Counter()}
    for docnum, _score in ranked:
        stored = searcher.stored_fields(docnum)
        counts["category"][stored["category"]] += 1
        counts["point"].update(p for p in stored["points"].split(",") if p)
    return {name: {v: n for v, n in sorted(values.items()) if v} for name, values in counts.items()}


def queries(searcher, texts, **options):
    synonyms = synonyms_from(CONTENT / "synonyms.yaml")
    for text in texts:
        built = q.build_query(analyse_query(text, synonyms), searcher.reader(), **options)
        if built is not None:
            yield text, built


@pytest.fixture(scope="module")
def segmented(tmp_path_factory):
    """Three segments (300, 200 and 100 cards), 40 of the first deleted, one card updated twice."""
    rng, path = random.Random(5), tmp_path_factory.mktemp("segmented-index")
    ix = index.create_in(str(path), make_schema())

    def doc(n: int) -> dict:
        def text(k: int) -> str:
            return " ".join(rng.choices(WORDS, k=k))

        return {"slug": f"karta-{n:04d}", "title": text(3), "summary": text(8), "keywords": text(2),
                "documents": text(3), "body": text(rng.randint(5, 40)),
                "category": rng.choice(["dokumenty", "podatki", ""]),
                "points": rng.sample(["bok", "usc", "mzd"], rng.randint(0, 2))}  # fmt: skip

    for start, count in ((0, 300), (300, 200), (500, 100)):
        writer = ix.writer()
        for n in range(start, start + count):
            writer.add_document(**to_whoosh(doc(n)))
        writer.commit(merge=False)
    writer = ix.writer()
    for n in range(0, 80, 2):
        writer.delete_by_term("slug", f"karta-{n:04d}")
    writer.update_document(**to_whoosh(doc(401)))
    writer.commit(merge=False)
    with ix.searcher() as s:
        assert len(s.leaf_searchers()) == 4 and s.reader().has_deletions()
        yield s


def test_every_word_its_typos_and_its_prefixes_score_as_in_whoosh(segmented):
    texts = WORDS + [" ".join(pair) for pair in zip(WORDS[:-3], WORDS[3:], strict=True)]
    texts += ["dowud osobsity", "zameldowanei", "rejestarcja pojzdu", "podatke od nieruchmosci", "odapdy"]
    for _text, query in queries(segmented, texts):
        assert_same(segmented, query)
    for _text, query in queries(segmented, prefixes(texts), prefix_last=True, only=q.HEAD):
        assert_same(segmented, query)


def test_short_prefixes_expanding_to_many_words_score_as_in_whoosh(segmented):
    """Two and three letters: Whoosh's array matcher gives each card 1.0, unboosted, in small segments."""
    for prefix in ["po", "pa", "do", "za", "mie", "ka", "od", "ak"]:
        for _text, query in queries(segmented, [prefix], prefix_last=True, only=q.HEAD):
            assert_same(segmented, query)


def test_filtered_searches_score_and_count_as_in_whoosh(segmented):
    for _text, query in queries(segmented, ["dowód osobisty", "podatek", "mieszkanie komunalne", "karta"]):
        for point, category in [("bok", None), (None, "podatki"), ("usc", "dokumenty"), ("nigdzie", None)]:
            assert_same(segmented, query, point, category)


@pytest.fixture
def real_segmented(real_index, db):
    """The real cards, then a dozen of them re-indexed: a second segment, deletions in the first."""
    from kiosk.search.documents import iter_all_documents

    idx = get_index()
    docs = list(iter_all_documents(db.session))
    idx.apply(docs[::7], [docs[3]["slug"]], idx.applied_id())
    searcher = idx.searcher()
    assert len(searcher.leaf_searchers()) >= 2 and searcher.reader().has_deletions()
    return searcher


def test_the_query_mix_scores_as_in_whoosh_on_the_real_cards(real_segmented):
    texts = query_mix()
    for prune in (True, False):
        for _text, query in queries(real_segmented, texts, prune=prune):
            assert_same(real_segmented, query)


def test_suggest_prefixes_and_filters_score_as_in_whoosh_on_the_real_cards(real_segmented):
    typed = prefixes(query_mix())
    for _text, query in queries(real_segmented, random.Random(1).sample(typed, 300), prefix_last=True, only=q.HEAD):
        assert scoring.top(scoring.matches(real_segmented, query), 8) == whoosh_ranked(real_segmented, query)[:8]
    facets = q.facet_counts(real_segmented, set(range(real_segmented.doc_count_all())))
    points, categories = sorted(facets["point"])[:3], sorted(facets["category"])[:3]
    for _text, query in queries(real_segmented, query_mix()[:40]):
        for point in points:
            assert_same(real_segmented, query, point=point)
        for category in categories:
            assert_same(real_segmented, query, category=category)


def test_expansions_in_a_segment_above_five_thousand_cards_score_as_in_whoosh(tmp_path):
    """Above 5,000 documents in a segment Whoosh scores a many-term expansion (boosted BM25, not 1.0)."""
    rng = random.Random(8)
    ix = index.create_in(str(tmp_path), make_schema())
    writer = ix.writer()
    for n in range(5_020):
        title = " ".join(rng.choices(WORDS, k=2))
        writer.add_document(**to_whoosh({"slug": f"k{n}", "title": title, "keywords": rng.choice(WORDS)}))
    writer.commit()
    with ix.searcher() as searcher:
        assert searcher.reader().is_atomic() and searcher.doc_count_all() > scoring.ARRAY_OR_UP_TO
        for _text, query in queries(searcher, ["po", "do", "za", "mi", "dowod o", "podatek od n"], prefix_last=True,
                                    only=q.HEAD):  # fmt: skip
            assert_same(searcher, query)
