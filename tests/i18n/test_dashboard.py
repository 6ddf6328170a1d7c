"""The freshness dashboard lists translations behind the Polish card, per language and owner."""

from tests.freshness.conftest import as_user  # noqa: F401  (fixture)
from tests.web.helpers import publish_new_edition


def test_dashboard_lists_a_translation_behind_with_its_language_and_owner(db, factory, as_user):  # noqa: F811
    team = factory.team()
    card = factory.published_card("dowod-osobisty-wydanie", team=team)
    card.owner_name = "Kierownik Wydziału Testowego"
    factory.published_translation(card, "uk", team)
    editor = as_user("redaktor")
    assert "Brak tłumaczeń w tyle." in editor.get("/admin/swiezosc/").get_data(as_text=True)
    publish_new_edition(db, factory, card, team, summary="Nowy dowód wyrobisz w każdym urzędzie gminy.")
    html = editor.get("/admin/swiezosc/").get_data(as_text=True)
    section = html[html.index('id="tlumaczenia"') :]
    assert "ukraiński (1)" in section and "Kierownik Wydziału Testowego" in section
    assert "dowod-osobisty-wydanie" in section
