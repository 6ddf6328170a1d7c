"""The facts in content/ that an audit found wrong stay right, sourced and honestly labelled (issue 12).

The files are read with the project's own loaders (kiosk.content); one test imports them into the
database as `flask content import` does.
"""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from kiosk.cards.content import References
from kiosk.cards.models import Card
from kiosk.content.cardfile import read_card_file
from kiosk.content.facts import SPECS, read_fact_file
from kiosk.content.services import card_paths
from kiosk.facts.models import LegalAct

CONTENT = Path(__file__).resolve().parents[2] / "content"

# The city hall's own service points and offices; referral institutions have their own checks.
CITY_LOCATIONS = (
    "bok-stary-rynek",
    "pilsudskiego-6",
    "pom-miodowa",
    "usc-kolegialna",
    "sko-plock",
    "mzd-plock",
    "biuro-spp",
    "mops-plock",
    "wks-ochrona-przyrody",
)
MELDUNEK_CARDS = (
    "zameldowanie-pobyt-staly",
    "zameldowanie-pobyt-czasowy",
    "wymeldowanie",
    "wymeldowanie-zameldowanie-decyzja",
)
REGISTRATION_CARDS = (
    "rejestracja-pojazdu-uzywanego-z-polski",
    "rejestracja-pojazdu-sprowadzonego",
    "rejestracja-pojazdu-nowego",
)
# An editor's doubt belongs under `unverified`, never in what a resident reads.
DOUBT = (
    "być może",
    "do potwierdzenia",
    "według starszej karty",
    "prawdopodobnie",
    "nie potwierdzono",
    "czeka na potwierdzenie",
    "upewnij się",
    "wymagają potwierdzenia",
    "nie zostały potwierdzone",
)
# Second-person past tense ("zgubiłeś", "kupiłaś") and adjectives that assume the reader is a man.
GENDERED = re.compile(
    r"\b\w+(łeś|łaś)\b|\bjesteś (zameldowany|niezadowolony|właścicielem)\b|\bsam\b(?= (albo|rejestruje))"
)


@pytest.fixture(scope="module")
def facts() -> dict:
    return {spec.filename: {r["slug"]: r for r in read_fact_file(CONTENT, spec)} for spec in SPECS}


@pytest.fixture(scope="module")
def cards(facts) -> dict:
    """Every card file parsed and checked against the facts files, without a database."""

    def ns(name):
        return {slug: SimpleNamespace(**record) for slug, record in facts[name].items()}

    refs = References(
        categories=ns("categories.yaml"),
        departments=ns("departments.yaml"),
        life_situations=ns("life-situations.yaml"),
        locations=ns("locations.yaml"),
        legal_acts=ns("legal-acts.yaml"),
        shared_fees=ns("shared-fees.yaml"),
    )
    return {p.stem: read_card_file(p, refs).content for p in card_paths(CONTENT)}


def resident_text(card: dict) -> str:
    """Everything a resident reads on a card (not keywords, not the unverified list, not sources)."""
    parts = [card["title"], card["summary"], card["body"], card["settle_text"], card["online_text"], card["appeal"]]
    parts += [f"{d['name']} {d['note']}" for d in card["documents"]]
    parts += [f"{f['what']} {f['how_to_pay']} {f['exemptions']}" for f in card["fees"]]
    parts += [f"{p['room']} {p['note']}" for p in card["service_points"]]
    parts += [a["detail"] for a in card["legal_acts"]]
    return "\n".join(parts)


def location_text(location: dict) -> str:
    rooms = " ".join(f"{r['name']} {r['note']}" for r in location["rooms"])
    fields = ("name", "short_name", "address", "hours_note", "accessibility", "payment")
    return " ".join([*(location[f] for f in fields), rooms, *location["handles"]])


def test_the_two_city_resolutions_are_not_swapped(facts, cards):
    acts = facts["legal-acts.yaml"]
    senior = acts["uchwala-plocka-karta-seniora"]["title"]
    parking = acts["uchwala-strefa-platnego-parkowania"]["title"]
    assert "604/XXXV/2013" in senior and "28 maja 2013" in senior and "280/XV/2016" not in senior
    assert "280/XV/2016" in parking and "26 stycznia 2016" in parking and "604/XXXV/2013" not in parking
    assert "uchwala-plocka-karta-seniora" in {a["act"] for a in cards["plocka-karta-seniora"]["legal_acts"]}
    spp = cards["abonament-mieszkanca-strefa-platnego-parkowania"]["legal_acts"]
    assert "uchwala-strefa-platnego-parkowania" in {a["act"] for a in spp}


def test_senior_card_is_issued_by_the_ngo_plenipotentiary(cards):
    card = cards["plocka-karta-seniora"]
    assert card["department"] == "pelnomocnik-organizacji-pozarzadowych"
    assert "Pełnomocnik" in card["summary"]
    # the application can still be handed in at the customer service office
    assert "bok-stary-rynek" in {p["point"] for p in card["service_points"]}


def test_vehicle_sale_report_fine_is_250_zl(cards):
    card = cards["zawiadomienie-o-zbyciu-pojazdu"]
    text = resident_text(card)
    assert "250 zł" in text
    assert not re.search(r"200\s*(–|-|do)\s*1000", text)
    assert any("140mb" in a["detail"] for a in card["legal_acts"])


@pytest.mark.parametrize("slug", REGISTRATION_CARDS)
def test_late_registration_fine_is_500_or_1000_zl_after_180_days(cards, slug):
    card = cards[slug]
    text = resident_text(card)
    assert "500 zł" in text and "1000 zł" in text and "180 dni" in text
    assert not re.search(r"200\s*(–|-|do)\s*1000", text)
    assert any("140mb" in a["detail"] for a in card["legal_acts"])


def test_building_permit_forms_copies_and_stamp_duty_cap(cards):
    card = cards["pozwolenie-na-budowe"]
    text = resident_text(card)
    assert any("PB-1" in d["name"] for d in card["documents"])
    assert "PB-7" in text
    assert "3 egzemplarze" in text and "4 egzemplarz" not in text
    assert not re.search(r"\bB-1\b", text.replace("PB-1", ""))
    # the 539 zł cap is only for buildings for business use, wherever it is mentioned
    for line in text.splitlines():
        for sentence in re.split(r"(?<=\.) ", line):
            if "539" in sentence:
                assert "działalność gospodarczą" in sentence or "budynków na działalność" in sentence, sentence
    assert any("539" in f["how_to_pay"] and "działalność gospodarczą" in f["what"] for f in card["fees"])


def test_trusted_profile_cites_the_regulation_in_force(facts, cards):
    act = facts["legal-acts.yaml"]["rozporzadzenie-profil-zaufany"]
    assert act["reference"] == "Dz.U. 2020 poz. 1194"
    assert "2018" not in act["title"]
    assert "rozporzadzenie-profil-zaufany" in {a["act"] for a in cards["profil-zaufany-potwierdzenie"]["legal_acts"]}
    assert all("2018 poz. 1760" not in (a["reference"] or "") for a in facts["legal-acts.yaml"].values())


def test_foreign_licence_exchange_does_not_claim_a_single_place(cards):
    card = cards["prawo-jazdy-zagraniczne-wymiana"]
    assert "załatwisz tylko" not in resident_text(card)
    assert {"pilsudskiego-6", "bok-stary-rynek"} <= {p["point"] for p in card["service_points"]}
    assert any("spoza konwencji" in u for u in card["unverified"])


def test_lorries_in_the_transport_tax_are_over_3_5_tonnes(cards):
    text = resident_text(cards["podatek-od-srodkow-transportowych"])
    assert "powyżej 3,5 tony" in text
    assert not re.search(r"od 3,5 ?t", text)


def test_id_card_of_a_12_to_17_year_old_is_valid_10_years(cards):
    body = cards["dowod-osobisty-wydanie"]["body"]
    assert any("12–17" in line and "10 lat" in line for line in body.splitlines())
    assert "dziecka do 12 lat – 5 lat" not in body
    # the one exception among residents over 12: no fingerprints could be taken (art. 7 ust. 3 since 2021)
    assert any("odcisków palców" in line and "12 miesięcy" in line for line in body.splitlines())


def test_appeal_wording_is_the_same_on_every_registration_card(cards):
    phrase = (
        "odwołanie składasz do Wojewody Mazowieckiego za pośrednictwem Prezydenta Miasta Płocka "
        "w ciągu 14 dni od jej doręczenia"
    )
    for slug in MELDUNEK_CARDS:
        assert phrase in cards[slug]["appeal"], slug
        assert not cards[slug]["appeal"].startswith("Nie dotyczy"), slug


def test_location_text_holds_no_unverified_statement(facts):
    locations = facts["locations.yaml"]
    bok, mops = locations["bok-stary-rynek"], locations["mops-plock"]
    for slug in CITY_LOCATIONS:
        assert "sobot" not in location_text(locations[slug]).lower(), slug
    assert not any(re.search(r"budowlan|planistyczn", h) for h in bok["handles"])
    assert not any("dodatk" in h for h in mops["handles"])
    assert any("sobot" in u for u in bok["unverified"])
    assert any("budowlanych i planistycznych" in u for u in bok["unverified"])
    assert any("dodatek mieszkaniowy" in u for u in mops["unverified"])


def test_links_not_given_by_the_research_notes_are_marked_unverified(cards):
    found = 0
    for slug, card in cards.items():
        # service cards; referral cards cite the institutions' own pages
        if card["kind"] == "service" and re.search(r"gov\.pl/web/gov/|e-budownictwo", card["online_url"]):
            found += 1
            assert card["online_unverified"], slug
    assert found >= 5


def test_referrals_added_for_held_out_matters_cite_what_was_found_and_guess_nothing(facts, cards):
    locations = facts["locations.yaml"]
    word = locations["word-plock"]
    assert word["address"] == "ul. Otolińska 25, 09-410 Płock" and "wordplock.pl" in word["source"]
    assert any("godziny" in u for u in word["unverified"])
    exam = cards["egzamin-na-prawo-jazdy-word"]
    assert "14 dni" in exam["body"] and "Marszałek Województwa Mazowieckiego" in exam["body"]
    assert any("2013" in u for u in exam["unverified"])  # the exam price list is the one found, of 2013
    police = locations["kwp-radom-wpa"]
    assert not re.search(r"\bul\.|\d{2}-\d{3}", police["address"])  # no street guessed
    assert any("adres" in u for u in police["unverified"]) and any("Radom" in u for u in police["unverified"])
    assert not cards["pozwolenie-na-bron-policja"]["online_url"]  # the police site was not seen in a source
    bank = cards["kredyt-spor-z-bankiem"]
    assert bank["online_url"] == "https://rf.gov.pl/" and bank["online_source"].startswith("https://rf.gov.pl/")
    assert bank["unverified"]
    rtv = cards["abonament-rtv-poczta-polska"]
    assert rtv["online_source"].startswith("https://rtv.poczta-polska.pl/") and "14 dni" in rtv["body"]
    pip = cards["inspekcja-pracy-pip"]
    assert not pip["service_points"] and any("adres" in u for u in pip["unverified"])  # no Płock office guessed


NEW_REFERRALS = ("przemoc-domowa-niebieska-karta", "komornik-egzekucja-komornicza", "upadlosc-konsumencka",
                 "badanie-techniczne-pojazdu-skp", "mobywatel-aplikacja")  # fmt: skip


def test_referrals_for_violence_debts_inspection_and_the_app_guess_nothing(facts, cards):
    """No address, phone, fee or deadline the research did not find; every doubt is listed."""
    locations = facts["locations.yaml"]
    for slug in ("sad-rejonowy-plock", "stacja-kontroli-pojazdow"):
        assert not re.search(r"\bul\.|\d{2}-\d{3}", locations[slug]["address"]), slug
        assert any("adres" in u for u in locations[slug]["unverified"]), slug
    for slug in NEW_REFERRALS:
        card, text = cards[slug], resident_text(cards[slug])
        assert card["kind"] == "referral" and card["unverified"] and not card["fees"] and not card["settle_days"], slug
        assert set(re.findall(r"\d{3} \d{3} \d{3}", text)) <= {"800 120 002"}, slug  # the one sourced number
        assert not re.search(r"\d+ (zł|dni)\b", text), slug
    violence = cards["przemoc-domowa-niebieska-karta"]
    assert [p["point"] for p in violence["service_points"]] == ["kmp-plock", "mops-plock"]
    assert "112" in violence["summary"] and violence["online_source"].startswith("https://pap-mediaroom.pl/")
    assert cards["mobywatel-aplikacja"]["online_url"] == "https://info.mobywatel.gov.pl"


@pytest.mark.parametrize("name", ["doubt", "gendered", "pilsudskiego"])
def test_resident_text_is_plain_neutral_and_consistent(cards, facts, name):
    texts = {slug: resident_text(card) for slug, card in cards.items()}
    texts |= {f"legal act {slug}": act["title"] for slug, act in facts["legal-acts.yaml"].items()}
    texts |= {f"location {slug}": location_text(facts["locations.yaml"][slug]) for slug in CITY_LOCATIONS}
    texts |= {f"life situation {s}": r["name"] for s, r in facts["life-situations.yaml"].items()}
    for where, text in texts.items():
        if name == "doubt":
            assert not [d for d in DOUBT if d in text.lower()], where
        elif name == "gendered":
            assert not GENDERED.search(text), (where, GENDERED.search(text))
        else:
            assert not re.search(r"\b(na|w|W|Na) al\. Piłsudskiego", text), where


def test_life_situation_slugs_stay_while_their_names_are_neutral(facts):
    situations = facts["life-situations.yaml"]
    assert situations["kupilem-samochod"]["name"] == "Kupno lub sprzedaż samochodu"
    assert situations["zgubilem-dokumenty"]["name"] == "Zgubione dokumenty"
    assert not re.search(r"łem\b|łam\b|seniorem\b", " ".join(s["name"] for s in situations.values()))


def test_every_fact_names_its_source_or_what_is_to_be_confirmed(cards, facts):
    missing = []
    for slug, card in cards.items():
        rows = [("fees", r) for r in card["fees"]] + [("legal_acts", r) for r in card["legal_acts"]]
        rows += [("forms", r) for r in card["forms"]]
        missing += [f"{slug} {kind}" for kind, r in rows if not (r.get("source") or r.get("unverified"))]
        for part in ("settle", "online"):
            present = card[f"{part}_text"] or card.get(f"{part}_days") or card.get(f"{part}_url")
            if present and not (card[f"{part}_source"] or card[f"{part}_unverified"]):
                missing.append(f"{slug} {part}")
    for name in ("legal-acts.yaml", "shared-fees.yaml", "locations.yaml"):
        missing += [f"{name} {s}" for s, r in facts[name].items() if not (r.get("source") or r.get("unverified"))]
    assert missing == []


def test_sources_are_https_addresses_or_named_documents(cards, facts):
    sources = [r.get("source") for c in cards.values() for r in c["fees"] + c["legal_acts"] + c["forms"]]
    sources += [c[f"{p}_source"] for c in cards.values() for p in ("settle", "online")]
    sources += [
        r.get("source") for n in ("legal-acts.yaml", "shared-fees.yaml", "locations.yaml") for r in facts[n].values()
    ]
    assert all(not s.lower().startswith(("http:", "www.")) for s in sources if s)


def test_imported_cards_carry_the_fixed_facts(db, runner):
    result = runner.invoke(args=["content", "import", str(CONTENT)])
    assert result.exit_code == 0, result.output
    senior = db.session.scalar(select(Card).where(Card.slug == "plocka-karta-seniora"))
    assert senior.owner_department.slug == "pelnomocnik-organizacji-pozarzadowych"
    sale = db.session.scalar(select(Card).where(Card.slug == "zawiadomienie-o-zbyciu-pojazdu"))
    assert "250 zł" in sale.live_edition.summary
    act = db.session.scalar(select(LegalAct).where(LegalAct.slug == "uchwala-plocka-karta-seniora"))
    assert "604/XXXV/2013" in act.title
