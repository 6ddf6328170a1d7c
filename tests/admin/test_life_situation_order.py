"""The back office's life-situation screen edits the ordered list of its cards, through the domain rule."""

import pytest
from sqlalchemy import select

from kiosk.accounts.models import Role
from kiosk.facts.models import LifeSituation

from .conftest import post


@pytest.fixture
def situation(db, factory):
    for slug in ("becikowe", "rejestracja-urodzenia"):
        factory.published_card(slug, life_situations=["przeprowadzka"])
    return db.session.scalar(select(LifeSituation).where(LifeSituation.slug == "przeprowadzka"))


def test_back_office_edits_the_order(db, situation, as_user):
    admin = as_user("admin", [Role.ADMINISTRATOR])
    url = f"/admin/life_situations/edit/?id={situation.id}"
    form = {"slug": situation.slug, "name": situation.name, "name_en": "", "name_uk": "", "description": "",
            "position": "1", "order_text": "rejestracja-urodzenia\nbecikowe"}  # fmt: skip
    bad = post(admin, url, {**form, "order_text": "rejestracja-urodzenia\nnie-ma-takiej"}, token_from=url)
    assert bad.status_code == 200 and "Nie ma karty „nie-ma-takiej”" in bad.get_data(as_text=True)
    assert post(admin, url, form, token_from=url).status_code == 302
    db.session.expire_all()
    assert db.session.get(LifeSituation, situation.id).order == ["rejestracja-urodzenia", "becikowe"]
    assert "rejestracja-urodzenia\nbecikowe" in admin.get(url).get_data(as_text=True)
