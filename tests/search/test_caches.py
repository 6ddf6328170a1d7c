"""Search's per-process caches never serve stale content after a change committed by another process.

The caches (typo and prefix expansions per index reader, referral cards, facet labels, the catalogue of
translations) key on what each search reads from the database first; here "another process" is a second
app with its own index handle and facts cache, writing to the same database and index.
"""

import pytest

from kiosk import create_app
from kiosk.extensions import db as _db
from kiosk.facts.models import Location
from kiosk.search import services
from tests.factories import Factory


@pytest.fixture
def other(app):
    other = create_app({k: app.config[k] for k in ("TESTING", "SQLALCHEMY_DATABASE_URI", "KIOSK_INDEX_DIR",
                                                   "SECRET_KEY", "KIOSK_CONTENT_DIR")})  # fmt: skip
    return other  # its engine is disposed with every other engine the test used (tests/conftest.py)


def in_other(other, work):
    """Run `work` in the other app (its own session, index handle and caches), then commit there."""
    with other.app_context():
        work(Factory(_db))
        _db.session.commit()
        _db.session.remove()


def test_a_card_published_elsewhere_is_found_by_a_typo_already_expanded_here(index, factory, other):
    factory.published_card("dowod", title="Wydanie dowodu osobistego")
    assert services.search("wycinkka").total == 0  # the typo's expansion is now remembered by this reader
    in_other(other, lambda f: f.published_card("wycinka", title="Wycinka drzew"))
    assert [h.slug for h in services.search("wycinkka").results][:1] == ["wycinka"]


def test_suggest_completes_a_title_published_elsewhere(index, factory, other):
    factory.published_card("dowod", title="Wydanie dowodu osobistego")
    assert services.suggest("wycin") == []
    in_other(other, lambda f: f.published_card("wycinka", title="Wycinka drzew"))
    assert services.suggest("wycin") == [{"text": "Wycinka drzew", "slug": "wycinka"}]


def test_a_referral_published_elsewhere_is_marked_as_one(index, factory, other):
    factory.published_card("dowod", title="Wydanie dowodu osobistego")
    assert services.search("emerytura").total == 0  # referral cards read and remembered: none yet
    in_other(other, lambda f: f.published_card("emerytura-zus", title="Emerytura", kind="referral"))
    hit = services.search("emerytura").results[0]
    assert (hit.slug, hit.kind, hit.referral_to) == ("emerytura-zus", "referral", "BOK")


def test_a_service_point_renamed_elsewhere_shows_its_new_name_in_the_facets(index, factory, other):
    factory.published_card("dowod", title="Wydanie dowodu osobistego")
    assert [f["label"] for f in services.search("dowodu").facets["point"]] == ["BOK"]

    def rename(_factory):
        _db.session.scalar(_db.select(Location).where(Location.slug == "bok-test")).name = "Biuro Obsługi"

    in_other(other, rename)
    assert [f["label"] for f in services.search("dowodu").facets["point"]] == ["Biuro Obsługi"]


def test_a_card_published_elsewhere_is_scored_with_the_new_index_as_whoosh_scores_it(index, factory, other):
    """Postings and scores are kept per index reader: a publish elsewhere means a new reader, new scores."""
    from bench.search_speed import whoosh_ranked
    from kiosk.search import query as q
    from kiosk.search.polish import analyse_query
    from kiosk.search.sync import get_index

    factory.published_card("dowod", title="Wydanie dowodu osobistego")
    before = services.search("dowodu")
    assert before.total == 1  # this reader now keeps the word's postings and scores
    in_other(other, lambda f: f.published_card("dowod-tymczasowy", title="Tymczasowy dowód osobisty"))
    after = services.search("dowodu")
    assert after.total == 2 and {h.slug for h in after.results} == {"dowod", "dowod-tymczasowy"}
    searcher = get_index().searcher()
    query = q.build_query(analyse_query("dowodu", services._synonyms()), searcher.reader())
    expected = [(searcher.stored_fields(d)["slug"], round(s, 4)) for d, s in whoosh_ranked(searcher, query)]
    assert [(h.slug, h.score) for h in after.results] == expected
    assert dict(expected)["dowod"] != before.results[0].score  # the IDF moved with the new card


def test_the_stamp_is_kept_while_the_content_version_stands_and_a_publish_elsewhere_moves_it(app, index, factory,
                                                                                                other):  # fmt: skip
    """Under load a search reads no stamp: it keeps the last one while the content version (re-read at most
    once per WEB_STAMP_TTL) stands; a publish committed by another process moves the version, and the next
    search after that second reads the new stamp and finds the new card."""
    factory.published_card("dowod", title="Wydanie dowodu osobistego")
    _db.session.commit()
    app.config["WEB_STAMP_TTL"] = 60
    first = services.read_stamp()
    assert services.read_stamp() is first  # kept, not read again (a read builds a new stamp)
    in_other(other, lambda f: f.published_card("wycinka", title="Wycinka drzew"))
    assert services.read_stamp() is first  # still the remembered content version: at most WEB_STAMP_TTL old
    app.extensions["web_stamps"].clear()  # WEB_STAMP_TTL has passed
    moved = services.read_stamp()
    assert moved.change > first.change and moved.live != first.live
    assert [h.slug for h in services.search("wycinka").results] == ["wycinka"]


def test_a_publish_in_this_process_is_searched_at_once_while_the_kept_stamp_is_behind_it(app, index, factory):
    """The commit applies the publish to the index here at once; the kept stamp (at most WEB_STAMP_TTL old) is
    then behind the index, which is not the index being ahead of the database: no degraded search."""
    factory.published_card("dowod", title="Wydanie dowodu osobistego")
    _db.session.commit()
    app.config["WEB_STAMP_TTL"] = 60
    assert services.search("wycinka").total == 0  # the stamp is kept from here on
    factory.published_card("wycinka", title="Wycinka drzew")
    _db.session.commit()
    response = services.search("wycinka")
    assert not response.degraded and [h.slug for h in response.results] == ["wycinka"]


def test_a_rebuild_elsewhere_is_searched_here_with_a_new_searcher(index, factory, other):
    """A rebuild swaps in a new directory with a new state file: this process opens it at its next search."""
    from kiosk.search.sync import get_index

    factory.published_card("dowod", title="Wydanie dowodu osobistego")
    assert services.search("dowodu").total == 1
    before = get_index().searcher()
    assert get_index().searcher() is before  # kept while the index stands

    def rebuild(_factory):
        services.rebuild()

    in_other(other, rebuild)
    response = services.search("dowodu")
    assert not response.degraded and [h.slug for h in response.results] == ["dowod"]
    assert get_index().searcher() is not before
