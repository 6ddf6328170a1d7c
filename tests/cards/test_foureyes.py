"""Four-eyes integrity against an insider who holds every card role.

Whoever changed an edition's content is its contributor and never signs it off; a sign-off is tied to
the exact content it was given for; a draft never changes what another card shows today.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from kiosk.accounts.models import Role
from kiosk.audit import AuditRecord
from kiosk.cards import services
from kiosk.cards.models import Card, Edition, EditionContributor, EditionDocument, EditionFee, EditionStatus
from kiosk.cards.published import get_published_card
from kiosk.clock import frozen
from kiosk.errors import ConflictError, InvalidTransition, PermissionDenied

ALL_ROLES = [Role.EDITOR, Role.APPROVER, Role.PUBLISHER]


@pytest.fixture
def insider(factory):
    return factory.user("insider", roles=ALL_ROLES)


def test_whoever_saved_a_draft_can_neither_approve_nor_publish_it(db, factory, insider):
    editor, approver, publisher = factory.team()
    card = factory.published_card("dowod", team=(editor, approver, publisher))
    draft = services.open_draft(card, editor)
    services.save_draft(draft, factory.content(summary="Tekst insidera."), insider, draft.lock_version)
    services.submit_edition(draft, editor)
    with pytest.raises(PermissionDenied, match="czterech oczu"):
        services.approve_edition(draft, insider)
    services.approve_edition(draft, approver)
    with pytest.raises(PermissionDenied, match="czterech oczu"):
        services.publish_edition(draft, insider)
    services.publish_edition(draft, publisher)
    rows = db.session.execute(
        select(EditionContributor.user_id, EditionContributor.kind).where(EditionContributor.edition_id == draft.id)
    ).all()
    assert sorted(rows) == sorted([(editor.id, "open"), (insider.id, "save")])


def test_whoever_approved_on_substance_does_not_also_approve_for_use(db, factory, insider):
    editor, _, publisher = factory.team()
    card = factory.published_card("dowod", team=(editor, insider, publisher))
    draft = services.open_draft(card, editor)
    services.submit_edition(draft, editor)
    services.approve_edition(draft, insider)
    with pytest.raises(PermissionDenied, match="inna osoba"):
        services.publish_edition(draft, insider)
    assert draft.status == EditionStatus.APPROVED
    services.publish_edition(draft, publisher)
    assert (draft.approver, draft.publisher) == (insider, publisher)


def test_one_contributor_row_per_person_however_often_they_save(db, factory, insider):
    editor = factory.user(roles=[Role.EDITOR])
    card = factory.card(editor=editor)
    draft = services.open_draft(card, editor, factory.content())
    for title in ("Pierwszy", "Drugi", "Trzeci"):
        services.save_draft(draft, factory.content(title=title), insider, draft.lock_version)
        services.save_draft(draft, factory.content(title=title + "!"), editor, draft.lock_version)
    db.session.commit()
    assert db.session.query(EditionContributor).filter_by(edition_id=draft.id).count() == 2
    assert draft.updated_by == editor


def test_public_metryczka_names_everyone_who_prepared_the_edition(db, factory, client, insider):
    editor, approver, publisher = factory.team()
    card = factory.published_card("metryczka", team=(editor, approver, publisher))
    draft = services.open_draft(card, editor)
    services.save_draft(draft, factory.content(summary="Poprawione."), insider, draft.lock_version)
    services.submit_edition(draft, editor)
    services.approve_edition(draft, approver)
    services.publish_edition(draft, publisher)
    db.session.commit()
    for url in ("/uslugi/metryczka", "/uslugi/metryczka/druk"):
        html = client.get(url).get_data(as_text=True)
        prepared = html.split("Przygotował(a)", 1)[1].split("</dd>", 1)[0]
        assert editor.display_name in prepared and insider.display_name in prepared, url
        assert approver.display_name in html and publisher.display_name in html
    meta = client.get("/api/v1/cards/metryczka").get_json()["edition"]
    assert editor.display_name in meta["prepared_by"] and insider.display_name in meta["prepared_by"]


def _approved(factory, team, **content):
    editor, approver, _ = team
    card = factory.card(editor=editor)
    edition = services.open_draft(card, editor, factory.content(**content))
    services.submit_edition(edition, editor)
    services.approve_edition(edition, approver)
    return card, edition


def test_send_back_voids_the_approver_the_publisher_and_the_schedule(db, factory, runner):
    team = factory.team()
    editor, approver, publisher = team
    with frozen(datetime(2026, 11, 20, 10, tzinfo=UTC)):
        card, edition = _approved(factory, team)
        services.publish_edition(edition, publisher, on=date(2026, 12, 1))
        assert card.next_scheduled_on == date(2026, 12, 1)
        services.send_back_edition(edition, approver, "Jednak nie")
        assert (edition.approver, edition.publisher, edition.effective_date) == (None, None, None)
        assert edition.approved_hash == edition.submitted_hash == ""
        assert card.next_scheduled_on is None
        # Reworked and approved again: without a new publisher's sign-off it must never go live.
        services.save_draft(edition, factory.content(title="Po poprawkach"), editor, edition.lock_version)
        services.submit_edition(edition, editor)
        services.approve_edition(edition, approver)
        db.session.commit()
    with frozen(datetime(2026, 12, 1, 6, tzinfo=UTC)):
        assert runner.invoke(args=["cards", "publish-due"]).output.strip().endswith("0.")
    db.session.expire_all()
    assert db.session.get(Card, card.id).live_edition_id is None
    audit = db.session.scalar(select(AuditRecord).where(AuditRecord.action == "send_back"))
    assert audit.detail["voided_schedule"] is True


def test_publish_refuses_content_that_is_not_what_was_approved(db, factory):
    team = factory.team()
    card, edition = _approved(factory, team)
    # Any write path that reaches the rows (a generic model view, a script, SQL) is caught at publication.
    edition.documents.append(EditionDocument(position=9, name="Dopisane po zatwierdzeniu"))
    db.session.flush()
    with pytest.raises(InvalidTransition, match="różni się od treści"):
        services.publish_edition(edition, team[2])
    assert edition.status == EditionStatus.APPROVED and card.live_edition_id is None


def test_approve_refuses_content_changed_after_submission(db, factory):
    editor, approver, _ = factory.team()
    card = factory.card(editor=editor)
    edition = services.open_draft(card, editor, factory.content())
    services.submit_edition(edition, editor)
    edition.summary = "Zmienione po przekazaniu."
    with pytest.raises(InvalidTransition, match="różni się od treści"):
        services.approve_edition(edition, approver)


@pytest.mark.parametrize("route", ["command", "step"])
def test_scheduled_edition_with_changed_content_never_goes_live(db, factory, runner, client, route):
    team = factory.team()
    with frozen(datetime(2026, 11, 25, 10, tzinfo=UTC)):
        card, edition = _approved(factory, team)
        services.publish_edition(edition, team[2], on=date(2026, 11, 30))
        db.session.commit()
    fee = db.session.scalar(select(EditionFee).where(EditionFee.edition_id == edition.id, EditionFee.position == 1))
    fee.amount = Decimal("170.00")
    db.session.commit()
    with frozen(datetime(2026, 11, 30, 8, tzinfo=UTC)):
        if route == "command":
            output = runner.invoke(args=["cards", "publish-due"]).output
            assert output.strip().endswith("0.") and f"wstrzymano {card.slug}" in output
        else:
            assert client.get(f"/uslugi/{card.slug}").status_code == 404  # reading publishes nothing
            assert services.publish_due() == []
            db.session.commit()
    db.session.expire_all()
    edition = db.session.get(Edition, edition.id)
    assert edition.status == EditionStatus.APPROVED and edition.publisher_id is None
    assert db.session.get(Card, card.id).live_edition_id is None
    assert db.session.get(Card, card.id).next_scheduled_on is None
    voided = db.session.scalars(select(AuditRecord.action).where(AuditRecord.edition_id == edition.id)).all()
    assert voided[-1] == "schedule_voided"


def test_scheduled_edition_with_the_approved_content_goes_live(db, factory, runner):
    team = factory.team()
    with frozen(datetime(2026, 11, 25, 10, tzinfo=UTC)):
        card, edition = _approved(factory, team, life_situations=["przeprowadzka"])
        services.publish_edition(edition, team[2], on=date(2026, 11, 30))
        db.session.commit()
    db.session.expire_all()
    with frozen(datetime(2026, 11, 30, 8, tzinfo=UTC)):
        assert "Opublikowano wydań: 1." in runner.invoke(args=["cards", "publish-due"]).output
    assert db.session.get(Card, card.id).live_edition_id == edition.id


def test_saving_a_draft_never_changes_the_link_text_another_card_shows(db, factory, client):
    form = {"title": "Wniosek o dowód (PDF)", "url": "https://plock.test/formularze/wniosek.pdf"}
    team = factory.team()
    card_a = factory.published_card("karta-a", team=team, forms=[form])
    card_b = factory.published_card("karta-b", team=team, title="Karta B", forms=[form])
    draft = services.open_draft(card_a, team[0])
    content = services.edition_to_content(draft)
    content["forms"] = [{**form, "title": "Nowy wniosek – wersja robocza"}]
    services.save_draft(draft, content, team[0], draft.lock_version)
    db.session.commit()
    for slug in ("karta-a", "karta-b"):
        html = client.get(f"/uslugi/{slug}").get_data(as_text=True)
        assert "Wniosek o dowód (PDF)" in html and "wersja robocza" not in html, slug
    services.submit_edition(draft, team[0])
    services.approve_edition(draft, team[1])
    services.publish_edition(draft, team[2])
    db.session.commit()
    assert "Nowy wniosek – wersja robocza" in client.get("/uslugi/karta-a").get_data(as_text=True)
    html_b = client.get("/uslugi/karta-b").get_data(as_text=True)
    assert "Wniosek o dowód (PDF)" in html_b and "wersja robocza" not in html_b
    assert get_published_card("karta-b").live_edition.forms[0].link_text == "Wniosek o dowód (PDF)"
    assert card_b.live_edition_id is not None


def test_revert_opens_a_draft_the_reverter_cannot_sign_off(db, factory, insider):
    team = factory.team()
    card = factory.published_card("przywracana", team=team, title="Stara treść")
    first = card.live_edition
    second = services.open_draft(card, team[0], factory.content(title="Nowa treść"))
    services.submit_edition(second, team[0])
    services.approve_edition(second, team[1])
    services.publish_edition(second, team[2])
    reverted = services.revert_card(card, first, insider)
    assert reverted.status == EditionStatus.DRAFT and card.live_edition_id == second.id
    assert insider.id in reverted.contributor_ids
    services.submit_edition(reverted, insider)
    with pytest.raises(PermissionDenied):
        services.approve_edition(reverted, insider)
    services.approve_edition(reverted, team[1])
    with pytest.raises(PermissionDenied):
        services.publish_edition(reverted, insider)


def test_stale_save_after_a_send_back_names_who_sent_it_back(db, factory):
    editor, approver, _ = factory.team()
    card = factory.card(editor=editor)
    draft = services.open_draft(card, editor, factory.content())
    stale = draft.lock_version
    services.submit_edition(draft, editor)
    services.send_back_edition(draft, approver, "Popraw opłaty")
    db.session.commit()
    with pytest.raises(ConflictError) as error:
        services.save_draft(draft, factory.content(title="Inny"), editor, stale)
    assert f"{approver.display_name} zwrócił(a) go do poprawy" in error.value.message


def test_resolving_a_conflict_needs_a_choice_for_every_differing_field(db, factory):
    editor = factory.user(roles=[Role.EDITOR])
    other = factory.user(roles=[Role.EDITOR])
    card = factory.card(editor=editor)
    draft = services.open_draft(card, editor, factory.content())
    seen = draft.lock_version
    services.save_draft(draft, factory.content(summary="Streszczenie innej osoby"), other, seen)
    db.session.commit()
    mine = factory.content(title="Mój tytuł")
    with pytest.raises(ConflictError) as error:
        services.save_draft(draft, mine, editor, seen)
    assert {c.field for c in error.value.changes} == {"title", "summary"}
    assert error.value.saved_by == other.display_name
    with pytest.raises(ConflictError, match="Streszczenie"):
        services.save_resolved_draft(draft, mine, {"title": "mine"}, editor, error.value.version)
    services.save_resolved_draft(draft, mine, {"title": "mine", "summary": "theirs"}, editor, error.value.version)
    assert (draft.title, draft.summary) == ("Mój tytuł", "Streszczenie innej osoby")


def test_opening_a_draft_keeps_the_effective_date(db, factory):
    team = factory.team()
    card = factory.published_card(team=team, effective_date=date(2026, 7, 1))
    draft = services.open_draft(card, team[0])
    assert draft.effective_date == date(2026, 7, 1)


# --- content import: a system contributor, never a way around a person's review -------------------


@pytest.fixture
def work_dir(tmp_path, content_dir):
    import shutil

    target = tmp_path / "content"
    shutil.copytree(content_dir, target)
    return target


SLUG = "dowod-osobisty-wydanie"


def _retitle(work_dir, title: str, effective: str = "") -> None:
    import re

    path = work_dir / "cards" / f"{SLUG}.md"
    text = path.read_text().replace("Wydanie dowodu osobistego\n", f"{title}\n", 1)
    if effective:
        text = re.sub(r"^effective_date: .*$", f"effective_date: {effective}", text, count=1, flags=re.M)
    path.write_text(text)


def test_import_never_goes_around_an_edition_in_review(db, factory, work_dir, runner):
    from kiosk.content.services import import_content

    import_content(work_dir)
    db.session.commit()
    card = db.session.scalar(select(Card).where(Card.slug == SLUG))
    editor = factory.user(roles=[Role.EDITOR])
    in_review = services.open_draft(card, editor)
    services.submit_edition(in_review, editor)
    db.session.commit()
    _retitle(work_dir, "Wydanie dowodu osobistego (z repozytorium)")
    result = runner.invoke(args=["content", "import", str(work_dir)])
    assert result.exit_code == 0, result.output
    assert f"pominięto {SLUG}" in result.output
    db.session.expire_all()
    card = db.session.get(Card, card.id)
    assert [e.number for e in card.editions] == [1, 2]
    assert card.live_edition.title == "Wydanie dowodu osobistego"
    assert db.session.get(Edition, in_review.id).status == EditionStatus.IN_REVIEW


def test_imported_scheduled_edition_reworked_by_an_insider_needs_other_eyes(db, factory, work_dir, insider):
    from kiosk.content.services import import_content

    _retitle(work_dir, "Wydanie dowodu osobistego", "2027-01-15")
    import_content(work_dir)
    db.session.commit()
    card = db.session.scalar(select(Card).where(Card.slug == SLUG))
    edition = card.editions[-1]
    assert edition.status == EditionStatus.APPROVED and edition.author.username == "import"
    approver = factory.user(roles=[Role.APPROVER])
    services.send_back_edition(edition, approver, "Do poprawy przed wejściem w życie")
    content = services.edition_to_content(edition)
    services.save_draft(edition, dict(content, summary="Tekst insidera."), insider, edition.lock_version)
    services.submit_edition(edition, insider)
    with pytest.raises(PermissionDenied, match="czterech oczu"):
        services.approve_edition(edition, insider)
    services.approve_edition(edition, approver)
    with pytest.raises(PermissionDenied, match="czterech oczu"):
        services.publish_edition(edition, insider)


def test_a_person_named_like_the_importer_cannot_sign_off_imports(db, factory, work_dir):
    from kiosk.content.services import import_content
    from kiosk.errors import DomainError

    factory.user("import", roles=ALL_ROLES)
    with pytest.raises(DomainError, match="kontem systemowym"):
        import_content(work_dir)


def test_snapshots_written_before_contributors_and_link_texts_still_read(db, factory):
    form = {"title": "Wniosek (PDF)", "url": "https://plock.test/formularze/stary.pdf"}
    card = factory.published_card("stara-migawka", forms=[form])
    edition = card.live_edition
    old = dict(edition.rows_snapshot, forms=[edition.forms[0].form_file_id])
    del old["prepared_by"]
    edition.rows_snapshot = old
    db.session.commit()
    db.session.expire_all()
    live = get_published_card("stara-migawka").live_edition
    assert live.forms[0].link_text == "Wniosek (PDF)"
    assert live.prepared_by == [edition.author.display_name]
