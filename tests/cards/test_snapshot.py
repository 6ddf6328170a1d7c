"""Card pages load in one query from the edition snapshot and cached facts: same content, fresh facts."""

from sqlalchemy import event, func, select

from kiosk.accounts.models import User
from kiosk.cards import services
from kiosk.cards.content import edition_to_content
from kiosk.cards.models import Card, EditionDocument
from kiosk.cards.published import get_published_card
from kiosk.facts.models import Location


def test_snapshot_load_gives_the_same_content_as_the_orm(db, factory):
    card = factory.published_card("dowod")
    expected = edition_to_content(card.live_edition)
    db.session.remove()
    hydrated = get_published_card("dowod")
    assert edition_to_content(hydrated.live_edition) == expected


def test_card_load_takes_a_fixed_small_number_of_queries(db, factory):
    factory.published_card("dowod")
    get_published_card("dowod")  # warm the facts cache
    statements = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    db.session.remove()
    get_published_card("dowod")
    assert len(statements) == 1


def test_a_changed_service_point_shows_at_once(db, factory, client):
    factory.published_card("dowod")
    location = db.session.scalar(select(Location).where(Location.slug == "bok-test"))
    location.address = "ul. Testowa 1"
    db.session.commit()
    assert "ul. Testowa 1" in client.get("/uslugi/dowod").get_data(as_text=True)
    location.address = "ul. Zduńska 3"
    db.session.commit()
    html = client.get("/uslugi/dowod").get_data(as_text=True)
    assert "ul. Zduńska 3" in html and "ul. Testowa 1" not in html


def test_flushing_after_a_hydrated_read_inserts_no_copies(db, factory):
    team = factory.team()
    factory.published_card("dowod", team=team)
    editor_id = team[0].id
    db.session.remove()
    editor = db.session.get(User, editor_id)
    card = get_published_card("dowod")
    before = db.session.scalar(select(func.count()).select_from(EditionDocument))
    draft = services.open_draft(card, editor)  # cascades through the hydrated live edition
    db.session.commit()
    after = db.session.scalar(select(func.count()).select_from(EditionDocument))
    assert after == before + len(draft.documents)
    assert db.session.get(Card, card.id).live_edition_id == card.live_edition_id


def test_a_card_published_before_snapshots_reads_its_stored_rows(db, factory, client):
    card = factory.published_card("bez-migawki")
    expected = edition_to_content(card.live_edition)
    card.live_edition.rows_snapshot = None
    db.session.commit()
    db.session.remove()
    assert edition_to_content(get_published_card("bez-migawki").live_edition) == expected
    html = client.get("/uslugi/bez-migawki").get_data(as_text=True)
    assert "Wniosek składasz osobiście." in html and "Fotografia 35 × 45 mm" in html
