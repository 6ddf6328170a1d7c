"""The index follows the change log after commits, never before, and survives a broken directory."""

import shutil
from pathlib import Path

from sqlalchemy import func, select

from kiosk.cards import services as cards
from kiosk.cards.models import CardChange
from kiosk.search import services
from kiosk.search.sync import get_index


def found(text):
    return [hit.slug for hit in services.search(text).results if services.search(text).total]


def test_publishing_updates_the_index_after_commit(index, factory):
    factory.published_card("zameldowanie", title="Zameldowanie na pobyt stały")
    assert found("zameldowanie") == ["zameldowanie"]
    assert get_index().applied_id() > 0


def test_rolled_back_publication_leaves_the_index_untouched(index, factory, db):
    editor, approver, publisher = factory.team()
    card = factory.card("wycinka", editor)
    edition = cards.open_draft(card, editor, factory.content(title="Wycinka drzew"))
    cards.submit_edition(edition, editor)
    cards.approve_edition(edition, approver)
    cards.publish_edition(edition, publisher)
    db.session.flush()
    db.session.rollback()
    assert get_index().searcher().doc_count() == 0
    assert services.search("wycinka").total == 0


def test_withdrawing_and_reverting_follow(index, factory, db):
    editor, approver, publisher = team = factory.team()
    card = factory.published_card("wycinka", team=team, title="Wycinka drzew")
    first = card.live_edition
    cards.withdraw_card(card, publisher)
    db.session.commit()
    assert services.search("wycinka").total == 0
    reverted = cards.revert_card(card, first, editor)  # a draft: it goes live through review
    db.session.commit()
    assert services.search("wycinka").total == 0
    cards.submit_edition(reverted, editor)
    cards.approve_edition(reverted, approver)
    cards.publish_edition(reverted, publisher)
    db.session.commit()
    assert found("wycinka") == ["wycinka"]


def test_missing_index_falls_back_to_the_database_and_rebuild_repairs_it(index, factory, app):
    factory.published_card("wycinka", title="Wycinka drzew")
    shutil.rmtree(app.config["KIOSK_INDEX_DIR"])
    response = services.search("Wycinka")
    assert response.degraded and [h.slug for h in response.results] == ["wycinka"]
    services.rebuild()
    response = services.search("wycinki")
    assert not response.degraded and response.results[0].slug == "wycinka"


def test_corrupt_index_falls_back_and_rebuild_repairs_it(index, factory, app):
    factory.published_card("wycinka", title="Wycinka drzew")
    for toc in Path(app.config["KIOSK_INDEX_DIR"]).glob("*.toc"):
        toc.write_bytes(b"garbage")
    get_index()._ix = None  # as a freshly started process would see it
    assert services.search("wycinka").degraded
    services.rebuild()
    assert not services.search("wycinka").degraded


def test_locked_index_is_flagged_and_answered_from_the_database(index, factory, app):
    factory.published_card("dowod", title="Wydanie dowodu osobistego")
    ix = get_index().open()
    writer = ix.writer()  # another process holding the write lock
    try:
        factory.published_card("wycinka", title="Wycinka drzew")  # cannot be applied now: logged, not raised
        response = services.search("wycinka")
        assert response.degraded and response.results[0].slug == "wycinka"
    finally:
        writer.cancel()
    assert not services.search("wycinka").degraded


def test_database_fallback_honours_the_point_and_category_filters(index, factory, app, db):
    from kiosk.facts.models import Location

    db.session.add(Location(slug="miodowa-test", name="POM Miodowa", address="Miodowa 1", is_service_point=True))
    factory.published_card("wycinka-bok", title="Wycinka drzew")
    at_point = [{"point": "miodowa-test", "room": "", "window": "", "note": ""}]
    factory.published_card("wycinka-miodowa", title="Wycinka drzew w pasie drogi", service_points=at_point)
    shutil.rmtree(app.config["KIOSK_INDEX_DIR"])
    everywhere = services.search("wycinka")
    at_miodowa = services.search("wycinka", point="miodowa-test")
    assert everywhere.degraded and {h.slug for h in everywhere.results} == {"wycinka-bok", "wycinka-miodowa"}
    assert at_miodowa.degraded and [h.slug for h in at_miodowa.results] == ["wycinka-miodowa"]
    assert services.search("wycinka", point="miodowa-test", category="nie-ma-takiej").total == 0
    in_category = services.search("wycinka", category="dokumenty")  # the factory's category
    assert in_category.degraded and {h.slug for h in in_category.results} == {"wycinka-bok", "wycinka-miodowa"}
    only_letters = services.search("a b c")  # no word long enough to look for: nothing, flagged
    assert only_letters.degraded and only_letters.total == 0


def test_suggestions_without_an_index_come_from_the_database(index, factory, app):
    factory.published_card("wycinka", title="Wycinka drzew")
    factory.published_card("dowod", title="Wydanie dowodu osobistego")
    shutil.rmtree(app.config["KIOSK_INDEX_DIR"])
    assert services.suggest("wycin") == [{"text": "Wycinka drzew", "slug": "wycinka"}]
    assert services.suggest("w", limit=1) == []  # too short to suggest, index or not


def test_a_publish_that_lands_during_a_rebuild_is_not_lost(index, factory, app, db):
    """Another process publishes mid-rebuild and applies it to the old index; the new index must have it too."""
    from kiosk import create_app
    from kiosk.accounts.models import User
    from kiosk.cards.models import Edition

    editor, approver, publisher = team = factory.team()
    factory.published_card("dowod", team=team, title="Wydanie dowodu osobistego")
    edition = cards.open_draft(factory.card("wycinka", editor), editor, factory.content(title="Wycinka drzew"))
    cards.submit_edition(edition, editor)
    cards.approve_edition(edition, approver)
    db.session.commit()
    other = create_app(
        {k: app.config[k] for k in ("TESTING", "SQLALCHEMY_DATABASE_URI", "KIOSK_INDEX_DIR", "SECRET_KEY")}
    )  # fmt: skip  (its own index handle)
    edition_id, publisher_id, published = edition.id, publisher.id, []

    def publish_in_another_process():
        if published:
            return
        with other.app_context():
            cards.publish_edition(db.session.get(Edition, edition_id), db.session.get(User, publisher_id))
            db.session.commit()  # its commit hook applies the change to the index being replaced
            assert found("wycinka") == ["wycinka"]
            db.session.remove()
        published.append(True)

    assert services.rebuild(progress=publish_in_another_process) == 1  # the build read one card
    assert published
    with other.app_context():
        assert found("wycinka") == ["wycinka"], "the other process thinks itself up to date"
        db.session.remove()
        db.engine.dispose()
    assert found("wycinka") == ["wycinka"]
    assert get_index().applied_id() == db.session.scalar(select(func.max(CardChange.id)))
