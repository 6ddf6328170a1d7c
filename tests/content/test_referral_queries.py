"""Residents' own words for matters handled elsewhere reach the right door (issue 12, item 4).

The query set is bench/queries/referrals.yaml (also a benchmark set: `bench/search_quality.py --queries`).
It runs over the real content/ directory, imported into the test database with a fresh index in tmp.
"""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
QUERIES = yaml.safe_load((ROOT / "bench" / "queries" / "referrals.yaml").read_text(encoding="utf-8"))


def test_the_query_set_is_large_and_names_only_real_cards(content_dir):
    slugs = {p.name.removesuffix(".md") for p in (content_dir / "cards").glob("*.md") if p.name.count(".") == 1}
    assert len(QUERIES) >= 80
    assert {w for item in QUERIES for w in item["want"]} <= slugs


def test_each_resident_query_puts_the_right_card_first(real_index):
    misses = {}
    for item in QUERIES:
        results = real_index.search(item["q"], limit=3).results
        if not results or results[0].slug not in item["want"]:
            misses[item["q"]] = [hit.slug for hit in results]
    assert misses == {}


def test_new_referral_doors_are_marked_as_referrals(real_index):
    for query, slug, place in (
        ("egzamin na prawo jazdy", "egzamin-na-prawo-jazdy-word", "Wojewódzki Ośrodek Ruchu Drogowego w Płocku (WORD)"),
        ("pozwolenie na broń", "pozwolenie-na-bron-policja", "Komenda Wojewódzka Policji z siedzibą w Radomiu"),
        ("kredyt", "kredyt-spor-z-bankiem", None),
    ):
        top = real_index.search(query, limit=1).results[0]
        assert (top.slug, top.kind) == (slug, "referral")
        if place:
            assert top.referral_to.startswith(place), top.referral_to


def test_every_referral_card_renders_as_a_referral_everywhere(real_index, client, content_dir):
    """All referral files, the ones added for held-out matters too: web, print view and kiosk say "not here"."""
    slugs = [p.stem for p in (content_dir / "cards").glob("*.md") if p.name.count(".") == 1]
    referrals = [s for s in slugs if (content_dir / "cards" / f"{s}.md").read_text().startswith("---\nkind: referral")]
    assert len(referrals) >= 27
    for slug in referrals:
        for path in (f"/uslugi/{slug}", f"/uslugi/{slug}/druk", f"/kiosk/uslugi/{slug}", f"/kiosk/uslugi/{slug}/druk"):
            response = client.get(path)
            html = response.get_data(as_text=True)
            assert response.status_code == 200, path
            assert "Tego nie załatwisz w Urzędzie Miasta Płocka" in html and "Bez opłat." not in html, path
