"""Fixtures shared by the website's tests."""

import pytest

from kiosk import clock

from .helpers import MORNING


@pytest.fixture
def team_card(db, factory):
    """A publishing team and one card it published on MORNING."""
    team = factory.team()
    with clock.frozen(MORNING):
        card = factory.published_card("dowod-test", team=team)
    return team, card
