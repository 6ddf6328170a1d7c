"""The interface in Polish, English and Ukrainian: a visible switch, remembered, with a correct <html lang>."""

import pytest


@pytest.mark.parametrize(
    ("lang", "text"), [("pl", "Przejdź do treści"), ("en", "Skip to content"), ("uk", "Перейти до змісту")]
)
def test_each_language_sets_html_lang_and_translates_the_interface(client, lang, text):
    html = client.get(f"/?lang={lang}").get_data(as_text=True)
    assert f'<html lang="{lang}">' in html and text in html


def test_polish_is_the_default(client):
    assert '<html lang="pl">' in client.get("/").get_data(as_text=True)


def test_the_choice_is_remembered(client):
    client.get("/?lang=uk")
    html = client.get("/punkty").get_data(as_text=True)
    assert '<html lang="uk">' in html and "Пункти обслуговування" in html
    client.get("/?lang=pl")
    assert '<html lang="pl">' in client.get("/punkty").get_data(as_text=True)


def test_the_switch_is_visible_on_every_page_and_marks_the_current_language(client):
    html = client.get("/punkty?lang=en").get_data(as_text=True)
    assert 'href="/punkty?lang=pl" lang="pl"' in html and 'href="/punkty?lang=uk" lang="uk"' in html
    assert 'lang="en" hreflang="en" aria-current="true"' in html


def test_card_content_stays_marked_as_polish_in_another_interface_language(db, factory, client):
    factory.published_card("dowod-test")
    html = client.get("/uslugi/dowod-test?lang=en").get_data(as_text=True)
    assert '<article class="card" lang="pl">' in html and 'lang="en">What to bring' in html


def test_polish_plural_forms(db, factory, client):
    for i in range(3):
        factory.published_card(f"karta-{i}-pl")
    assert "3 karty usług" in client.get("/uslugi").get_data(as_text=True)
    assert "3 service cards" in client.get("/uslugi?lang=en").get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("pl", "Nie znaleźliśmy sprawy o takim numerze i kodzie"), ("en", "We found no case with this number and code"),
     ("uk", "Ми не знайшли справи з таким номером і кодом")],
)  # fmt: skip
def test_a_failed_status_lookup_is_explained_in_the_reader_language(db, client, lang, text):
    response = client.get("/sprawa", query_string={"nr": "BOK/2026/000999", "kod": "ABCDEFGH", "lang": lang})
    assert response.status_code == 404 and text in response.get_data(as_text=True)
