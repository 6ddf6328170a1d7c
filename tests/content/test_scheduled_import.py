"""A card file with a future effective date is imported as a scheduled edition, live only from that date."""

import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.cards import services
from kiosk.cards.models import Card, CardChange, EditionStatus
from kiosk.clock import frozen
from kiosk.content.services import import_content

SLUG = "dowod-osobisty-wydanie"


@pytest.fixture
def one_card_dir(tmp_path, content_dir) -> Path:
    """The real facts files and a single card: an import in a fraction of a second."""
    target = tmp_path / "content"
    shutil.copytree(content_dir, target, ignore=shutil.ignore_patterns("cards"))
    (target / "cards").mkdir()
    shutil.copy(content_dir / "cards" / f"{SLUG}.md", target / "cards")
    return target


def _reschedule(directory: Path, title: str, effective: str) -> None:
    path = directory / "cards" / f"{SLUG}.md"
    text = re.sub(r"^title: .*$", f"title: {title}", path.read_text(), count=1, flags=re.M)
    path.write_text(re.sub(r"^effective_date: .*$", f"effective_date: {effective}", text, count=1, flags=re.M))


def test_a_future_effective_date_schedules_the_edition_and_keeps_the_live_one(db, one_card_dir):
    with frozen(datetime(2026, 12, 1, 9, tzinfo=UTC)):
        import_content(one_card_dir)
        db.session.commit()
        card = db.session.scalar(select(Card).where(Card.slug == SLUG))
        live = card.live_edition
        _reschedule(one_card_dir, "Dowód osobisty od nowego roku", "2027-01-04")
        report = import_content(one_card_dir)
        db.session.commit()
        assert report.updated == [SLUG]
        scheduled = card.editions[-1]
        assert scheduled.status == EditionStatus.APPROVED and scheduled.published_at is None
        assert card.live_edition_id == live.id and card.next_scheduled_on == date(2027, 1, 4)
        changes = db.session.scalars(select(CardChange.kind).where(CardChange.card_id == card.id)).all()
        assert changes == ["published"]  # only the first edition went live
        assert import_content(one_card_dir).unchanged == [SLUG]  # the scheduled edition counts as imported
    with frozen(datetime(2027, 1, 4, 6, tzinfo=UTC)):
        assert services.publish_due() == [scheduled]
        db.session.commit()
    assert card.live_edition_id == scheduled.id and card.next_scheduled_on is None
    assert live.status == EditionStatus.SUPERSEDED
