"""Shared helpers for the web tests."""

from datetime import datetime

from kiosk.cards import services

MORNING = datetime(2026, 5, 13, 8, 0)  # 10:00 in Płock, a Wednesday: the service points are open


def publish_new_edition(db, factory, card, team, **overrides):
    """Publish a further edition of `card` with changed content, through the four-eyes workflow."""
    editor, approver, publisher = team
    edition = services.open_draft(card, editor, factory.content(**overrides))
    services.submit_edition(edition, editor)
    services.approve_edition(edition, approver)
    services.publish_edition(edition, publisher)
    db.session.commit()
    return edition
