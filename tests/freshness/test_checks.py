"""Content checks: each problem is found, stored once, and closed when it is gone."""

from datetime import date, timedelta

from sqlalchemy import select

from kiosk.cards import services as cards
from kiosk.clock import frozen
from kiosk.extensions import db
from kiosk.freshness import checks
from kiosk.freshness.models import FlagSource, ReviewFlag


def open_codes(card) -> dict[str, str]:
    query = select(ReviewFlag).where(ReviewFlag.card_id == card.id, ReviewFlag.source == FlagSource.CHECK,
                                     ReviewFlag.resolved_at.is_(None))  # fmt: skip
    return {f.code: f.reason for f in db.session.scalars(query)}


def test_a_clean_card_has_no_findings(factory, at_now):
    card = factory.published_card("dowod")
    checks.run_checks()
    assert open_codes(card) == {}


def test_every_content_problem_is_found(factory, at_now):
    factory.published_card("paszport")
    card = factory.published_card(
        "dowod",
        body="W 2025 r. opłata wynosi 30 zł. Zobacz [paszport](/uslugi/paszport) i [stare](/uslugi/nie-ma-takiej)"
             ' oraz <a href="/strona-ktorej-nie-ma">to</a> i [punkty](/punkty/bok-test).',
        summary="Obowiązuje w roku 2026.",
        documents=[], legal_acts=[], unverified=["godziny kasy"],
        fees=[{"what": "Opłata skarbowa", "amount": None, "how_to_pay": "", "exemptions": "", "shared": None}],
    )  # fmt: skip
    checks.run_checks()
    found = open_codes(card)
    assert set(found) == {"past_year", "broken_link", "no_documents", "no_legal_basis", "fee_without_amount",
                          "unverified"}  # fmt: skip
    assert "2025" in found["past_year"]
    links = db.session.scalars(select(ReviewFlag.detail).where(ReviewFlag.code == "broken_link")).all()
    assert sorted(links) == ["/strona-ktorej-nie-ma", "/uslugi/nie-ma-takiej"]


def test_missed_schedule_is_found(factory, at_now):
    card = factory.published_card("dowod")
    editor, approver, _ = factory.team()
    draft = cards.open_draft(card, editor, factory.content(effective_date=date(2026, 6, 1)))
    cards.submit_edition(draft, editor)
    cards.approve_edition(draft, approver)
    db.session.commit()
    with frozen(at_now + timedelta(days=30)):
        checks.run_checks()
    assert "schedule_missed" in open_codes(card)


def test_findings_are_stored_once_and_closed_when_fixed(factory, at_now):
    card = factory.published_card("dowod", body="Stawki obowiązują w 2025 r.")
    assert checks.run_checks() == (1, 0)
    assert checks.run_checks() == (0, 0)
    editor, approver, publisher = factory.team()
    draft = cards.open_draft(card, editor, factory.content(body="Stawki obowiązują od 2026 r."))
    cards.submit_edition(draft, editor)
    cards.approve_edition(draft, approver)
    cards.publish_edition(draft, publisher)
    db.session.commit()
    assert checks.run_checks() == (0, 1)
    flag = db.session.scalar(select(ReviewFlag).where(ReviewFlag.card_id == card.id))
    assert flag.resolution == "fixed"


def test_current_year_and_history_are_not_findings(app):
    text = "W 2026 r. bez zmian. Ustawa z 2019 r. obowiązuje od 1 stycznia 2020 r."
    assert checks.check_text(1, text, 2026, {"forms": set()}) == []


def test_shared_fee_amount_counts(factory, at_now):
    card = factory.published_card("dowod")
    checks.run_checks()
    assert "fee_without_amount" not in open_codes(card)
    factory.facts()["shared_fee"].amount = None
    db.session.commit()
    card2 = factory.published_card(
        "drugi", fees=[{"what": "Pełnomocnictwo", "amount": None, "how_to_pay": "", "exemptions": "",
                        "shared": "pelnomocnictwo"}])  # fmt: skip
    checks.run_checks()
    assert "fee_without_amount" in open_codes(card2)
