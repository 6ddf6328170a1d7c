"""A change to a shared fact flags every card whose live edition links it, whichever way it was made."""

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from kiosk.accounts.models import Role
from kiosk.cards import services as cards
from kiosk.clock import frozen
from kiosk.extensions import db
from kiosk.facts.models import Department, FormFile, LegalAct, LegalActStatus
from kiosk.freshness import services
from kiosk.freshness.dependencies import flag_dependents
from kiosk.freshness.models import FlagSource, ReviewFlag


def open_flags(card):
    query = select(ReviewFlag).where(ReviewFlag.card_id == card.id, ReviewFlag.resolved_at.is_(None),
                                     ReviewFlag.source == FlagSource.DEPENDENCY)  # fmt: skip
    return list(db.session.scalars(query))


def test_repealed_act_flags_only_the_cards_that_link_it(db, factory, at_now):
    linked = factory.published_card("dowod")
    other_act = LegalAct(slug="inna", title="Inna ustawa")
    db.session.add(other_act)
    db.session.flush()
    unlinked = factory.published_card("inna-karta", legal_acts=[{"act": "inna", "detail": ""}])
    act = factory.facts()["act"]
    act.status = LegalActStatus.REPEALED
    db.session.commit()
    [flag] = open_flags(linked)
    assert "uchylony" in flag.reason and flag.subject_type == "legal_act" and flag.subject_id == act.id
    assert flag.code == "legal_act_repealed"
    assert open_flags(unlinked) == []


def test_act_back_in_force_or_renamed_flags_nothing(db, factory, at_now):
    card = factory.published_card("dowod")
    act = factory.facts()["act"]
    act.title = "Kodeks postępowania administracyjnego (tekst jednolity)"
    db.session.commit()
    assert open_flags(card) == []


def test_every_kind_of_shared_fact_flags(factory, at_now):
    card = factory.published_card("dowod")
    facts = factory.facts()
    facts["location"].opening_hours = {"mon": ["08:00-16:00"]}
    facts["department"].phone = "24 367 00 00"
    facts["shared_fee"].amount = Decimal("20.00")
    db.session.commit()
    reasons = {f.subject_type: f.reason for f in open_flags(card)}
    assert "godziny otwarcia" in reasons["location"]
    assert "telefon" in reasons["department"]
    assert "17,00" in reasons["shared_fee"] and "20,00" in reasons["shared_fee"]


def test_form_file_replaced_flags_cards_using_it(factory, at_now):
    url = "https://www.plock.eu/formularze/wniosek.pdf"
    card = factory.published_card("dowod", forms=[{"title": "Wniosek", "url": url}])
    form = db.session.scalar(select(FormFile).where(FormFile.url == url))
    form.sha256 = "b" * 64
    db.session.commit()
    [flag] = open_flags(card)
    assert flag.subject_type == "form_file" and "treść pliku" in flag.reason


def test_flag_dependents_is_a_plain_function_and_does_not_duplicate(db, factory, at_now):
    card = factory.published_card("dowod")
    location = factory.facts()["location"]
    assert flag_dependents("location", location, "Przeprowadzka punktu.") == [card.id]
    assert flag_dependents("location", location, "Przeprowadzka punktu.") == []
    assert len(open_flags(card)) == 1


def test_only_the_live_edition_counts(db, factory, at_now):
    card = factory.published_card("dowod")
    editor, approver, publisher = factory.team()
    draft = cards.open_draft(card, editor, factory.content(service_points=[]))
    cards.submit_edition(draft, editor)
    cards.approve_edition(draft, approver)
    cards.publish_edition(draft, publisher)
    db.session.commit()
    factory.facts()["location"].rooms = [{"name": "pokój 5", "note": ""}]
    db.session.commit()
    assert open_flags(card) == []


def test_confirm_clears_dependency_flags_and_keeps_history(db, factory, at_now):
    card = factory.published_card("dowod")
    factory.facts()["department"].email = "nowy@plock.test"
    db.session.commit()
    assert len(open_flags(card)) == 1
    with frozen(at_now + timedelta(hours=1)):
        services.confirm_card_accurate(card, factory.user(roles=[Role.EDITOR]))
        db.session.commit()
    assert open_flags(card) == []
    flag = db.session.scalar(select(ReviewFlag).where(ReviewFlag.card_id == card.id))
    assert flag.resolution == "confirmed" and flag.resolved_at is not None


def test_new_published_edition_clears_dependency_flags(db, factory, at_now):
    card = factory.published_card("dowod")
    factory.facts()["location"].handles = ["dowody osobiste"]
    db.session.commit()
    editor, approver, publisher = factory.team()
    with frozen(at_now + timedelta(hours=1)):
        draft = cards.open_draft(card, editor)
        cards.submit_edition(draft, editor)
        cards.approve_edition(draft, approver)
        cards.publish_edition(draft, publisher)
        db.session.commit()
    assert open_flags(card) == []
    flag = db.session.scalar(select(ReviewFlag).where(ReviewFlag.card_id == card.id))
    assert flag.resolution == "published"


def test_facts_import_flags_through_the_same_hook(db, factory, at_now, tmp_path):
    from kiosk.content.facts import upsert_facts

    card = factory.published_card("dowod")
    (tmp_path / "legal-acts.yaml").write_text(
        "- slug: kpa\n  title: Kodeks postępowania administracyjnego\n  status: amended\n", encoding="utf-8"
    )
    upsert_facts(tmp_path, factory.user(roles=[Role.ADMINISTRATOR]))
    db.session.commit()
    [flag] = open_flags(card)
    assert flag.code == "legal_act_amended"


def test_department_change_flags_cards_of_that_department_only(db, factory, at_now):
    card = factory.published_card("dowod")
    other = Department(slug="inny", name="Inny wydział")
    db.session.add(other)
    db.session.commit()
    other.address = "Stary Rynek 2"
    db.session.commit()
    assert open_flags(card) == []


def test_finding_dependents_is_one_query(factory, at_now):
    from sqlalchemy import event

    factory.published_card("dowod")
    factory.published_card("paszport")
    act = factory.facts()["act"]
    assert act.id  # loaded before counting
    statements = []
    engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        flagged = flag_dependents("legal_act", act, "Nowelizacja.")
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(flagged) == 2
    assert [s.split()[0] for s in statements] == ["SELECT", "INSERT"]
