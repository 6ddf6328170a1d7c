"""`flask intake expire|purge|rule` are thin wrappers over the services."""

from datetime import datetime

from kiosk.clock import frozen
from kiosk.extensions import db
from kiosk.intake.models import CardIntakeRule, Case, CaseStatus


def test_expire_and_purge(runner, register):
    with frozen(datetime(2024, 3, 1, 9)):
        case = register(handed_in=[])
    with frozen(datetime(2024, 3, 20, 9)):
        result = runner.invoke(args=["intake", "expire"])
    assert result.exit_code == 0 and "1" in result.output
    result = runner.invoke(args=["intake", "purge"])
    assert result.exit_code == 0 and "1 zamkniętych" in result.output
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.status == CaseStatus.LEFT_UNPROCESSED and case.applicant_name == ""


def test_rule(runner, card):
    assert runner.invoke(args=["intake", "rule", card.slug, "--days", "14"]).exit_code == 0
    assert db.session.get(CardIntakeRule, card.id).supplement_days == 14
    result = runner.invoke(args=["intake", "rule", card.slug, "--days", "0"])
    assert result.exit_code != 0 and "od 1 do 60" in result.output
    assert runner.invoke(args=["intake", "rule", "nie-ma"]).exit_code != 0
