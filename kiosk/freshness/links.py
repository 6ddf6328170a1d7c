"""Links from a review flag to what changed, in the back office."""

from flask import url_for
from werkzeug.routing import BuildError

# subject type → (Flask-Admin endpoint, id argument)
ADMIN_ENDPOINTS = {
    "legal_act": ("legal_acts.edit_view", "id"),
    "location": ("locations.edit_view", "id"),
    "department": ("departments.edit_view", "id"),
    "shared_fee": ("shared_fees.edit_view", "id"),
    "card": ("cards.card", "card_id"),
}


def subject_url(flag) -> str | None:
    """The back-office page of the fact a flag points at; None when there is no such page."""
    target = ADMIN_ENDPOINTS.get(flag.subject_type)
    if target is None or flag.subject_id is None:
        return None
    endpoint, arg = target
    try:
        return url_for(endpoint, **{arg: flag.subject_id})
    except BuildError:
        return None
