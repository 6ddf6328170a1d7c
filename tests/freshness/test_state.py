"""Fresh, due soon, overdue; confirming a card; what residents see on an old card."""

from datetime import UTC, date, datetime, timedelta

import pytest

from kiosk.accounts.models import Role
from kiosk.audit import AuditRecord
from kiosk.cards.models import Edition
from kiosk.clock import frozen
from kiosk.errors import PermissionDenied
from kiosk.freshness import checks, services
from kiosk.freshness.services import DUE_SOON, FRESH, OVERDUE, UNCHECKED, freshness_state

VERIFIED = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("on", "expected"),
    [(date(2026, 5, 1), FRESH), (date(2026, 6, 1), DUE_SOON), (date(2026, 6, 30), DUE_SOON),
     (date(2026, 7, 1), OVERDUE)],
)  # fmt: skip
def test_state_follows_the_review_interval_and_window(app, on, expected):
    # verified 01.01.2026 with a 180-day interval: due 30.06.2026
    assert freshness_state(VERIFIED, 180, on) == expected


def test_due_soon_window_is_configurable(app):
    app.config["FRESHNESS_DUE_SOON_DAYS"] = 7
    assert freshness_state(VERIFIED, 180, date(2026, 6, 1)) == FRESH
    assert freshness_state(VERIFIED, 180, date(2026, 6, 25)) == DUE_SOON


def test_never_verified_is_overdue(app):
    assert freshness_state(None, 180, date(2026, 1, 1)) == OVERDUE


def test_owner_confirms_without_a_new_edition(db, factory, at_now):
    card = factory.published_card("dowod")
    owner = factory.user("wlasciciel", roles=[Role.APPROVER], departments=[card.owner_department])
    editions = db.session.query(Edition).count()
    with frozen(at_now + timedelta(days=200)):
        services.confirm_card_accurate(card, owner, "bez zmian")
        checks.run_checks()
        db.session.commit()
        assert services.card_statuses()[0].state == FRESH
    assert db.session.query(Edition).count() == editions
    assert card.last_verified_by == "Wlasciciel"
    assert card.last_verified_at == at_now + timedelta(days=200)
    audit = db.session.query(AuditRecord).filter_by(action="confirm_accurate").one()
    assert audit.comment == "bez zmian"


def test_owner_by_email_and_editor_may_confirm(db, factory, at_now):
    card = factory.published_card("dowod")
    card.owner_email = "Anna@plock.test"
    someone = factory.user("anna", roles=[])
    someone.email = "anna@plock.test"
    services.confirm_card_accurate(card, someone)
    services.confirm_card_accurate(card, factory.user("redaktor", roles=[Role.EDITOR]))


def test_stranger_cannot_confirm(db, factory, at_now):
    card = factory.published_card("dowod")
    before = card.last_verified_at
    stranger = factory.user("obcy", roles=[Role.PUBLISHER])
    with pytest.raises(PermissionDenied, match="właściciel albo redaktor"):
        services.confirm_card_accurate(card, stranger)
    assert card.last_verified_at == before


def test_public_note_only_when_overdue_by_another_interval(db, factory, at_now):
    card = factory.published_card("dowod")
    card.review_interval_days = 100
    with frozen(at_now + timedelta(days=150)):  # overdue, but not by another interval
        info = services.public_freshness(card)
        assert info.verified_on == date(2026, 5, 12) and not info.long_overdue
    with frozen(at_now + timedelta(days=201)):
        info = services.public_freshness(card)
        assert info.long_overdue and info.info_phone == "24 364 55 55"


def test_verified_partial_renders_date_and_note(app, db, factory, at_now):
    card = factory.published_card("dowod")
    card.review_interval_days = 10
    render = app.jinja_env.get_template("freshness/_verified.html").render
    with app.test_request_context("/"):
        assert "Trwa potwierdzanie: aktualność karty" in render(card=card)
        assert "Informacja zweryfikowana" not in render(card=card)
        owner = factory.user("wlasciciel", roles=[Role.APPROVER], departments=[card.owner_department])
        services.confirm_card_accurate(card, owner)
        assert "Informacja zweryfikowana</span> 12.05.2026 <span>przez</span> Wydział Testowy" in render(card=card)
        assert "24 364 55 55" not in render(card=card)
        with frozen(at_now + timedelta(days=25)):
            assert "24 364 55 55" in render(card=card)


def test_summary_counts_by_state_and_department(db, factory, at_now):
    factory.published_card("a")
    old = factory.published_card("b")
    with frozen(at_now + timedelta(days=170)):
        services.confirm_card_accurate(old, factory.user(roles=[Role.EDITOR]))
    with frozen(at_now + timedelta(days=185)):
        checks.run_checks()
        summary = services.summarise(services.card_statuses())
    assert summary["totals"] == {FRESH: 1, DUE_SOON: 0, OVERDUE: 1, UNCHECKED: 0}
    assert summary["departments"]["Wydział Testowy"]["total"] == 2
