"""Shared helpers for the web tests."""

from datetime import datetime

from kiosk.cards import services

MORNING = datetime(2026, 5, 13, 8, 0)  # 10:00 in Płock, a Wednesday: the service points are open
PHONE = {"width": 390, "height": 844}


def tap_at(page, selector: str) -> None:
    """Scroll the element into view (as a thumb would), measure where it is drawn, then tap the middle of that
    spot (not the DOM node)."""
    element = page.locator(selector)
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def publish_new_edition(db, factory, card, team, **overrides):
    """Publish a further edition of `card` with changed content, through the four-eyes workflow."""
    editor, approver, publisher = team
    edition = services.open_draft(card, editor, factory.content(**overrides))
    services.submit_edition(edition, editor)
    services.approve_edition(edition, approver)
    services.publish_edition(edition, publisher)
    db.session.commit()
    return edition
