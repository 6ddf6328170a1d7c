"""The edition lifecycle: four-eyes, transitions, scheduling, withdraw, revert, audit."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from kiosk.accounts.models import Role
from kiosk.audit import AuditRecord
from kiosk.cards import services
from kiosk.cards.models import Card, CardChange, EditionStatus
from kiosk.cards.published import get_published_card
from kiosk.clock import frozen
from kiosk.errors import ConflictError, InvalidTransition, NotFound, PermissionDenied


def test_full_workflow_publishes_and_records_who_did_what(db, factory):
    editor, approver, publisher = factory.team()
    card = factory.card("dowod", editor)
    edition = services.open_draft(card, editor, factory.content())
    services.submit_edition(edition, editor)
    services.approve_edition(edition, approver, "Zgodne z ustawą")
    with frozen(datetime(2026, 5, 12, 9, 0, tzinfo=UTC)):
        services.publish_edition(edition, publisher)
    db.session.commit()

    card = get_published_card("dowod")
    assert card.live_edition.id == edition.id
    assert edition.status == EditionStatus.PUBLISHED
    assert edition.label == "Wydanie 01 z dnia 12.05.2026"
    assert (edition.author, edition.approver, edition.publisher) == (editor, approver, publisher)
    assert card.last_verified_at == datetime(2026, 5, 12, 9, 0, tzinfo=UTC)
    actions = db.session.scalars(select(AuditRecord.action).where(AuditRecord.card_id == card.id)).all()
    assert actions == ["create_card", "open_draft", "submit", "approve", "publish"]
    assert db.session.scalars(select(CardChange.kind)).all() == ["published"]


def test_author_cannot_approve_or_publish_own_edition_even_with_every_role(db, factory):
    boss = factory.user(roles=[Role.EDITOR, Role.APPROVER, Role.PUBLISHER])
    card = factory.card(editor=boss)
    edition = services.open_draft(card, boss, factory.content())
    services.submit_edition(edition, boss)
    with pytest.raises(PermissionDenied, match="czterech oczu"):
        services.approve_edition(edition, boss)
    services.approve_edition(edition, factory.user(roles=[Role.APPROVER]))
    with pytest.raises(PermissionDenied, match="czterech oczu"):
        services.publish_edition(edition, boss)


def test_roles_are_enforced_by_the_domain(db, factory):
    editor, approver, publisher = factory.team()
    card = factory.card(editor=editor)
    edition = services.open_draft(card, editor, factory.content())
    with pytest.raises(PermissionDenied):
        services.open_draft(card, approver, factory.content())
    services.submit_edition(edition, editor)
    with pytest.raises(PermissionDenied):
        services.approve_edition(edition, publisher)


def test_approver_is_limited_to_their_departments(db, factory):
    from kiosk.facts.models import Department

    other = Department(slug="inny", name="Inny wydział")
    db.session.add(other)
    editor = factory.user(roles=[Role.EDITOR])
    outsider = factory.user(roles=[Role.APPROVER], departments=[other])
    card = factory.card(editor=editor)
    edition = services.open_draft(card, editor, factory.content())
    services.submit_edition(edition, editor)
    with pytest.raises(PermissionDenied, match="swoich wydziałów"):
        services.approve_edition(edition, outsider)


@pytest.mark.parametrize("step", ["approve", "publish", "submit_twice"])
def test_illegal_transitions_are_errors(db, factory, step):
    editor, approver, publisher = factory.team()
    card = factory.card(editor=editor)
    edition = services.open_draft(card, editor, factory.content())
    with pytest.raises(InvalidTransition):
        if step == "approve":
            services.approve_edition(edition, approver)
        elif step == "publish":
            services.publish_edition(edition, publisher)
        else:
            services.submit_edition(edition, editor)
            services.submit_edition(edition, editor)


def test_submitted_edition_is_immutable(db, factory):
    editor, _, _ = factory.team()
    card = factory.card(editor=editor)
    edition = services.open_draft(card, editor, factory.content())
    services.submit_edition(edition, editor)
    with pytest.raises(InvalidTransition):
        services.save_draft(edition, factory.content(title="Inny"), editor, edition.lock_version)


def test_send_back_keeps_the_comment_and_reopens_the_draft(db, factory):
    editor, approver, _ = factory.team()
    card = factory.card(editor=editor)
    edition = services.open_draft(card, editor, factory.content())
    services.submit_edition(edition, editor)
    with pytest.raises(InvalidTransition):
        services.send_back_edition(edition, approver, "  ")
    services.send_back_edition(edition, approver, "Brakuje opłaty za pełnomocnictwo")
    assert edition.status == EditionStatus.DRAFT
    assert edition.comment == "Brakuje opłaty za pełnomocnictwo"
    audit = db.session.scalar(select(AuditRecord).where(AuditRecord.action == "send_back"))
    assert audit.comment == "Brakuje opłaty za pełnomocnictwo"


def test_new_edition_supersedes_the_previous_one(db, factory):
    team = factory.team()
    editor, approver, publisher = team
    card = factory.published_card("dowod", team=team)
    first = card.live_edition
    draft = services.open_draft(card, editor)
    assert draft.number == 2 and draft.title == first.title
    assert draft.effective_date == first.effective_date  # opening a draft keeps the effective date
    services.save_draft(draft, factory.content(title="Dowód osobisty – wydanie"), editor, draft.lock_version)
    services.submit_edition(draft, editor)
    services.approve_edition(draft, approver)
    services.publish_edition(draft, publisher)
    db.session.commit()
    assert first.status == EditionStatus.SUPERSEDED
    assert get_published_card("dowod").live_edition.title == "Dowód osobisty – wydanie"


def test_only_one_open_draft_per_card(db, factory):
    team = factory.team()
    card = factory.published_card(team=team)
    services.open_draft(card, team[0])
    with pytest.raises(InvalidTransition, match="otwarte wydanie"):
        services.open_draft(card, team[0])


def test_scheduled_edition_goes_live_by_command_on_its_date(db, factory, runner):
    editor, approver, publisher = factory.team()
    card = factory.card("zameldowanie", editor)
    edition = services.open_draft(card, editor, factory.content(effective_date=date(2026, 12, 1)))
    services.submit_edition(edition, editor)
    services.approve_edition(edition, approver)
    with frozen(datetime(2026, 11, 25, 10, tzinfo=UTC)):
        services.publish_edition(edition, publisher)
        db.session.commit()
        assert edition.status == EditionStatus.APPROVED
        assert runner.invoke(args=["cards", "publish-due"]).output.strip().endswith("0.")
    with frozen(datetime(2026, 12, 1, 6, tzinfo=UTC)):
        result = runner.invoke(args=["cards", "publish-due"])
    assert "zameldowanie: Wydanie 01 z dnia 01.12.2026" in result.output
    db.session.expire_all()
    assert db.session.get(Card, card.id).live_edition_id == edition.id


def test_reading_a_card_after_its_scheduled_date_shows_the_previous_edition_until_it_is_published(db, factory, client):
    team = factory.team()
    card = factory.published_card("wymeldowanie", team=team, title="Wymeldowanie (stare)")
    edition = factory.scheduled_edition(card, team, date(2026, 11, 30), title="Wymeldowanie (nowe)")
    with frozen(datetime(2026, 11, 30, 8, tzinfo=UTC)):
        for path in ("/uslugi/wymeldowanie", "/api/v1/cards/wymeldowanie", "/kiosk/uslugi/wymeldowanie"):
            page = client.get(path).get_data(as_text=True)
            assert "Wymeldowanie (stare)" in page and "Wymeldowanie (nowe)" not in page, path
        db.session.expire_all()
        assert db.session.get(Card, card.id).live_edition_id != edition.id  # reading published nothing
        assert [e.id for e in services.publish_due()] == [edition.id]  # the explicit step (the job calls it)
        db.session.commit()
        response = client.get("/uslugi/wymeldowanie")
    assert "Wymeldowanie (nowe)" in response.get_data(as_text=True)
    assert "Wydanie 02 z dnia 30.11.2026" in response.get_data(as_text=True)


def test_a_first_edition_scheduled_for_a_past_date_is_not_shown_before_it_is_published(db, factory, client):
    team = factory.team()
    factory.scheduled_edition(factory.card("zgloszenie-psa", team[0]), team, date(2026, 11, 30))
    with frozen(datetime(2026, 11, 30, 8, tzinfo=UTC)):
        assert client.get("/uslugi/zgloszenie-psa").status_code == 404
        assert client.get("/api/v1/cards/zgloszenie-psa").status_code == 404
        services.publish_due()
        db.session.commit()
        assert client.get("/uslugi/zgloszenie-psa").status_code == 200


def test_publish_date_in_the_past_is_refused(db, factory):
    editor, approver, publisher = factory.team()
    card = factory.card(editor=editor)
    edition = services.open_draft(card, editor, factory.content())
    services.submit_edition(edition, editor)
    services.approve_edition(edition, approver)
    with pytest.raises(InvalidTransition, match="przeszłości"):
        services.publish_edition(edition, publisher, on=date(2000, 1, 1))


def test_withdraw_hides_the_card_and_revert_brings_back_old_content(db, factory, client):
    team = factory.team()
    editor, approver, publisher = team
    card = factory.published_card("karta-do-wycofania", team=team, title="Treść pierwsza")
    first = card.live_edition
    second = services.open_draft(card, editor, factory.content(title="Treść druga"))
    services.submit_edition(second, editor)
    services.approve_edition(second, approver)
    services.publish_edition(second, publisher)
    services.withdraw_card(card, publisher, "Nieaktualne")
    db.session.commit()
    assert client.get("/uslugi/karta-do-wycofania").status_code == 404
    reverted = services.revert_card(card, first, editor)
    assert reverted.number == 3 and reverted.reverted_from_id == first.id
    assert reverted.title == "Treść pierwsza" and reverted.status == EditionStatus.DRAFT
    services.submit_edition(reverted, editor)
    services.approve_edition(reverted, approver)
    services.publish_edition(reverted, publisher)
    db.session.commit()
    assert "Treść pierwsza" in client.get("/uslugi/karta-do-wycofania").get_data(as_text=True)
    kinds = db.session.scalars(select(CardChange.kind).order_by(CardChange.id)).all()
    assert kinds == ["published", "published", "withdrawn", "published"]


def test_diff_lists_changed_fields_with_word_and_row_detail(db, factory):
    team = factory.team()
    editor = team[0]
    card = factory.published_card(team=team)
    old = card.live_edition
    fees = factory.content()["fees"]
    fees[1] = {**fees[1], "amount": Decimal("25.00")}
    content = factory.content(summary="Dowód wyrobisz w każdym urzędzie.", fees=fees, effective_date=old.effective_date)
    new = services.open_draft(card, editor, content)
    changes = {c.field: c for c in services.diff_editions(old, new)}
    assert set(changes) == {"summary", "fees"}
    assert ("-", " osobisty") in changes["summary"].words and ("+", "każdym ") in changes["summary"].words
    ops = [op for op, _ in changes["fees"].rows]
    assert ops == ["=", "-", "+"]


def test_stale_save_is_refused_with_the_other_editors_changes(db, factory):
    editor, _, _ = factory.team()
    other = factory.user(roles=[Role.EDITOR])
    card = factory.card(editor=editor)
    draft = services.open_draft(card, editor, factory.content())
    version = draft.lock_version
    services.save_draft(draft, factory.content(title="Zapis pierwszego"), other, version)
    db.session.commit()
    with pytest.raises(ConflictError) as error:
        services.save_draft(draft, factory.content(title="Zapis drugiego"), editor, version)
    assert [c.field for c in error.value.changes] == ["title"]
    assert f"ostatnio: {other.display_name}" in error.value.message
    assert db.session.get(type(draft), draft.id).title == "Zapis pierwszego"


def test_revert_guards_role_card_status_and_open_edition(db, factory):
    team = factory.team()
    editor, _, publisher = team
    card = factory.published_card(team=team)
    other = factory.published_card(team=team)
    with pytest.raises(PermissionDenied, match="roli"):
        services.revert_card(card, card.live_edition, publisher)
    with pytest.raises(NotFound, match="nie należy do tej karty"):
        services.revert_card(card, other.live_edition, editor)
    draft = services.open_draft(card, editor)
    with pytest.raises(InvalidTransition, match="tylko wydanie, które było opublikowane"):
        services.revert_card(card, draft, editor)
    with pytest.raises(InvalidTransition, match="otwarte wydanie"):
        services.revert_card(card, card.live_edition, editor)


def test_withdrawing_a_card_with_no_live_edition_is_refused(db, factory):
    team = factory.team()
    editor, _, publisher = team
    never_published = factory.card(editor=editor)
    services.open_draft(never_published, editor, factory.content())
    withdrawn = factory.published_card(team=team)
    services.withdraw_card(withdrawn, publisher)
    for card in (never_published, withdrawn):
        with pytest.raises(InvalidTransition, match="nie ma opublikowanego wydania"):
            services.withdraw_card(card, publisher)
    assert db.session.scalars(select(CardChange.kind).where(CardChange.card_id == withdrawn.id)).all() == [
        "published",
        "withdrawn",
    ]
