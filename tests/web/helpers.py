"""Shared helpers for the web tests."""

from kiosk.cards import services


def publish_new_edition(db, factory, card, team, **overrides):
    """Publish a further edition of `card` with changed content, through the four-eyes workflow."""
    editor, approver, publisher = team
    edition = services.open_draft(card, editor, factory.content(**overrides))
    services.submit_edition(edition, editor)
    services.approve_edition(edition, approver)
    services.publish_edition(edition, publisher)
    db.session.commit()
    return edition
