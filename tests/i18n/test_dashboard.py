"""The freshness dashboard lists translations behind the Polish card, per language and owner."""

from kiosk.accounts.models import Role
from kiosk.cards import translations
from tests.freshness.conftest import as_user  # noqa: F401  (fixture)
from tests.web.helpers import publish_new_edition

from .test_translations import UK


def test_dashboard_lists_a_translation_behind_with_its_language_and_owner(db, factory, as_user):  # noqa: F811
    team = factory.team()
    card = factory.published_card("dowod-osobisty-wydanie", team=team)
    card.owner_name = "Kierownik Wydziału Testowego"
    translator = factory.user("translator", roles=[Role.EDITOR])
    tr = translations.write_translation(card, "uk", UK, translator)
    translations.submit_translation(tr, translator)
    translations.approve_translation(tr, team[1])
    translations.publish_translation(tr, team[2])
    db.session.commit()
    editor = as_user("redaktor")
    assert "Brak tłumaczeń w tyle." in editor.get("/admin/swiezosc/").get_data(as_text=True)
    publish_new_edition(db, factory, card, team, summary="Nowy dowód wyrobisz w każdym urzędzie gminy.")
    html = editor.get("/admin/swiezosc/").get_data(as_text=True)
    section = html[html.index('id="tlumaczenia"') :]
    assert "ukraiński (1)" in section and "Kierownik Wydziału Testowego" in section
    assert "dowod-osobisty-wydanie" in section
