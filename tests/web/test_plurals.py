"""Polish, Ukrainian and English plural forms, checked over 0–30 and 100–130 against the grammar of each language.

Polish and Ukrainian have three forms (1 sprawa, 2 sprawy, 5 spraw, 22 sprawy, 112 spraw); the kiosk screens
merge a second catalogue, which once let the English rule win for Polish ("5 sprawy").
"""

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, get_translations

from kiosk.web.i18n import template_gettext

NUMBERS = [*range(31), *range(100, 131)]


def polish_form(n: int) -> int:
    if n == 1:
        return 0
    return 1 if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 2


def ukrainian_form(n: int) -> int:
    if n % 10 == 1 and n % 100 != 11:
        return 0
    return 1 if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 2


# The status lookup's lock names the configured window ("za" takes the accusative: 1 minutę, 2 minuty, 5 minut).
LOCKED = "Zbyt wiele nieudanych prób. Spróbuj ponownie za %(num)d minutę albo zapytaj w punkcie obsługi."
LOCKED_PL = "Zbyt wiele nieudanych prób. Spróbuj ponownie za {n} {minutes} albo zapytaj w punkcie obsługi."
LOCKED_UK = "Забагато невдалих спроб. Спробуйте ще раз через {n} {minutes} або запитайте в пункті обслуговування."
LOCKED_EN = "Too many failed attempts. Try again in {n} {minutes} or ask at the service point."

WORDS = {
    "pl": (polish_form, {"%(num)d sprawa": ("{n} sprawa", "{n} sprawy", "{n} spraw"),
                         "%(num)d karta usługi": ("{n} karta usługi", "{n} karty usług", "{n} kart usług"),
                         "termin ustawowy: %(num)d dzień": ("termin ustawowy: {n} dzień", "termin ustawowy: {n} dni",
                                                            "termin ustawowy: {n} dni"),
                         "do %(num)d dnia": ("do {n} dnia", "do {n} dni", "do {n} dni"),
                         LOCKED: tuple(LOCKED_PL.format(n="{n}", minutes=w) for w in ("minutę", "minuty", "minut"))}),
    "uk": (ukrainian_form, {"%(num)d sprawa": ("{n} справа", "{n} справи", "{n} справ"),
                            "%(num)d karta usługi": ("{n} картка послуги", "{n} картки послуг", "{n} карток послуг"),
                            "termin ustawowy: %(num)d dzień": ("строк за законом: {n} день",
                                                               "строк за законом: {n} дні",
                                                               "строк за законом: {n} днів"),
                            "do %(num)d dnia": ("до {n} дня", "до {n} днів", "до {n} днів"),
                            LOCKED: tuple(LOCKED_UK.format(n="{n}", minutes=w)
                                          for w in ("хвилину", "хвилини", "хвилин"))}),
    "en": (lambda n: 0 if n == 1 else 1, {"%(num)d sprawa": ("{n} matter", "{n} matters"),
                                          "%(num)d karta usługi": ("{n} service card", "{n} service cards"),
                                          "termin ustawowy: %(num)d dzień": ("statutory deadline: {n} day",
                                                                             "statutory deadline: {n} days"),
                                          "do %(num)d dnia": ("up to {n} day", "up to {n} days"),
                                          LOCKED: (LOCKED_EN.format(n="{n}", minutes="minute"),
                                                   LOCKED_EN.format(n="{n}", minutes="minutes"))}),
}  # fmt: skip
# Every plural message the site and the kiosk show; "do %(num)d dnia" lives in the kiosk's own catalogue.
PLURALS = {
    "%(num)d sprawa": "%(num)d spraw",
    "%(num)d karta usługi": "%(num)d kart usług",
    "termin ustawowy: %(num)d dzień": "termin ustawowy: %(num)d dni",
    "do %(num)d dnia": "do %(num)d dni",
    LOCKED: "Zbyt wiele nieudanych prób. Spróbuj ponownie za %(num)d minut albo zapytaj w punkcie obsługi.",
}


@pytest.mark.parametrize("lang", ["pl", "uk", "en"])
@pytest.mark.parametrize("singular", list(PLURALS))
def test_plural_forms_follow_the_language(app, lang, singular):
    form_of, words = WORDS[lang]
    with app.test_request_context(), force_locale(lang):
        ngettext = template_gettext()["ngettext"]
        for n in NUMBERS:
            expected = words[singular][form_of(n)].format(n=n)
            assert str(ngettext(singular, PLURALS[singular], n)) == expected, (lang, n)


@pytest.mark.parametrize("lang", ["pl", "uk"])
def test_the_kiosk_catalogue_does_not_override_the_polish_rule(app, lang):
    form_of, _ = WORDS[lang]
    with app.test_request_context(), force_locale(lang):
        translations = get_translations()
        assert [translations.plural(n) for n in NUMBERS] == [form_of(n) for n in NUMBERS]


@pytest.mark.parametrize("catalogue", ["kiosk/translations", "kiosk/kiosk_ui/translations"])
@pytest.mark.parametrize("lang", ["pl", "uk"])
def test_every_plural_message_has_three_forms(catalogue, lang):
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / catalogue / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        po = read_po(handle, locale=lang)
    assert po.num_plurals == 3
    for message in po:
        if message.pluralizable and message.id[0]:
            assert len(message.string) == 3 and all(message.string), message.id


def test_home_page_counts_use_polish_plurals(db, factory, client):
    for i in range(5):
        factory.published_card(f"karta-{i}-pl")
    html = client.get("/uslugi").get_data(as_text=True)
    assert "5 kart usług" in html and "5 karty" not in html


@pytest.mark.parametrize(
    ("days", "pl", "uk"), [(1, "1 dzień", "1 день"), (3, "3 dni", "3 дні"), (30, "30 dni", "30 днів")]
)
def test_statutory_deadline_in_days_is_declined(db, factory, client, days, pl, uk):
    factory.published_card("termin-test", settle_days=days)
    assert f"termin ustawowy: {pl}" in client.get("/uslugi/termin-test").get_data(as_text=True)
    assert f"строк за законом: {uk}" in client.get("/uslugi/termin-test?lang=uk").get_data(as_text=True)


def test_every_plural_message_is_checked_above():
    """A new plural message in either catalogue must join PLURALS, so its forms are checked over 0–30, 100–130."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found = set()
    for catalogue in ("kiosk/translations", "kiosk/kiosk_ui/translations"):
        with (root / catalogue / "pl" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            found |= {m.id[0] for m in read_po(handle, locale="pl") if m.pluralizable and m.id[0]}
    assert found == set(PLURALS)
