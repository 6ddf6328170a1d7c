"""Search sends residents to the right door: matters handled elsewhere find their referral card first.

Runs over the real content/ directory, imported into the test database with a fresh index in tmp.
"""

from kiosk.search.polish import phrase_signature, same_phrase

# The five queries and their variants, then more matters residents bring to the city hall.
REFERRALS = {
    "paszport": "paszport",
    "paszportu": "paszport",
    "wyrobić paszport": "paszport",
    "wyrobic paszport": "paszport",
    "paszport dla dziecka": "paszport",
    "paszport tymczasowy": "paszport",
    "paszprt": "paszport",
    "800 plus": "rodzina-800-plus",
    "800+": "rodzina-800-plus",
    "rodzina 800": "rodzina-800-plus",
    "500 plus": "rodzina-800-plus",
    "becikowe": "becikowe-i-swiadczenia-rodzinne",
    "becikowego": "becikowe-i-swiadczenia-rodzinne",
    "zasiłek dla bezrobotnych": "zasilek-dla-bezrobotnych-urzad-pracy",
    "zasilek dla bezrobotnych": "zasilek-dla-bezrobotnych-urzad-pracy",
    "bezrobocie": "zasilek-dla-bezrobotnych-urzad-pracy",
    "urząd pracy": "zasilek-dla-bezrobotnych-urzad-pracy",
    "PIT": "pit-urzad-skarbowy",
    "pit-37": "pit-urzad-skarbowy",
    "zeznanie podatkowe": "pit-urzad-skarbowy",
    "zwrot podatku": "pit-urzad-skarbowy",
    "zaświadczenie o dochodach": "pit-urzad-skarbowy",
    "emerytura": "emerytura-renta-zus",
    "renta rodzinna": "emerytura-renta-zus",
    "legitymacja emeryta": "emerytura-renta-zus",
    "zasiłek pogrzebowy": "emerytura-renta-zus",
    "niekaralność": "zaswiadczenie-o-niekaralnosci",
    "zaswiadczenie o niekaralnosci": "zaswiadczenie-o-niekaralnosci",
    "księga wieczysta": "ksiega-wieczysta",
    "odpis z księgi wieczystej": "ksiega-wieczysta",
    "300 plus": "dobry-start-300-plus",
    "fundusz alimentacyjny": "fundusz-alimentacyjny",
    "fotoradar": "mandat-z-fotoradaru",
    "straż miejska": "straz-miejska-mandat-zgloszenie",
    "mandat od policji": "mandat-od-policji",
    "testament": "notariusz-akt-notarialny-testament",
    "notariusz": "notariusz-akt-notarialny-testament",
    "rozwód": "rozwod-separacja",
    "orzeczenie o niepełnosprawności": "orzeczenie-o-niepelnosprawnosci",
    "EKUZ": "ekuz-nfz",
    "ubezpieczenie zdrowotne": "ekuz-nfz",
    "pomoc społeczna": "pomoc-spoleczna-mops",
    "KRS": "rejestracja-spolki-krs",
    "karta pobytu": "karta-pobytu-cudzoziemcy",
    "kuroniówka": "zasilek-dla-bezrobotnych-urzad-pracy",
    "odpis z KRK": "zaswiadczenie-o-niekaralnosci",
    "spadek po rodzicach": "notariusz-akt-notarialny-testament",
    "darowizna mieszkania": "notariusz-akt-notarialny-testament",
    "zgubiony paszport": "paszport",
    "dodatek pielęgnacyjny": "emerytura-renta-zus",
    "KRUS": "krus-ubezpieczenie-rolnika",
    "emerytura rolnicza": "krus-ubezpieczenie-rolnika",
    "dodatek osłonowy": "dodatek-oslonowy",
}
# Matters the city hall does handle: referral cards must not take their place.
CITY = {
    "dowód osobisty": "dowod-osobisty-wydanie",
    "podatek od nieruchomości": "podatek-od-nieruchomosci-osoby-prawne",
    "karta parkingowa": "karta-parkingowa",
    "zameldowanie pobyt czasowy": "zameldowanie-pobyt-czasowy",
    "dodatek mieszkaniowy": "dodatek-mieszkaniowy",
    "zmiana nazwiska po rozwodzie": "powrot-do-nazwiska-po-rozwodzie",
    "wypis z rejestru gruntów": "wypis-wyrys-ewidencja-gruntow",
    "rejestracja działalności": "ceidg-rejestracja-dzialalnosci",
}


def test_matters_handled_elsewhere_find_their_referral_card_first(real_index):
    misses = {}
    for text, slug in REFERRALS.items():
        results = real_index.search(text, limit=5).results
        if not results or results[0].slug != slug or results[0].kind != "referral":
            misses[text] = [h.slug for h in results[:3]]
    assert misses == {}
    city = {text: real_index.search(text, limit=3).results[0].slug for text in CITY}
    assert city == CITY


def test_a_query_naming_a_referral_keyword_outranks_a_higher_scoring_city_card(real_index):
    results = real_index.search("legitymacja emeryta", limit=5).results
    city = next(h for h in results if h.slug == "plocka-karta-seniora")
    assert results[0].slug == "emerytura-renta-zus" and results[0].score < city.score
    assert results[0].referral_to == "Zakład Ubezpieczeń Społecznych, Oddział w Płocku"


def test_every_real_referral_card_renders_as_a_referral_on_web_print_and_kiosk(real_index, client):
    slugs = sorted(set(REFERRALS.values()))
    for slug in slugs:
        for path in (f"/uslugi/{slug}", f"/uslugi/{slug}/druk", f"/kiosk/uslugi/{slug}", f"/kiosk/uslugi/{slug}/druk"):
            response = client.get(path)
            html = response.get_data(as_text=True)
            assert response.status_code == 200, path
            assert "Tego nie załatwisz w Urzędzie Miasta Płocka" in html, path
            assert "Bez opłat." not in html, path


def test_phrase_signature_ignores_inflection_diacritics_and_stop_words():
    assert same_phrase(phrase_signature("paszportu"), phrase_signature("paszport"))
    assert same_phrase(phrase_signature("zasilek dla bezrobotnych"), phrase_signature("zasiłek dla bezrobotnych"))
    assert same_phrase(phrase_signature("Księgi wieczystej!"), phrase_signature("księga wieczysta"))
    assert not same_phrase(phrase_signature("paszport"), phrase_signature("paszport dla dziecka"))
    assert not same_phrase(phrase_signature(""), phrase_signature(""))
    assert not same_phrase(phrase_signature("na o"), phrase_signature("na o"))
