"""Referral cards in content/: the `kind` key, its checks, and the real referral cards' facts."""

import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from kiosk.cards.models import Card
from kiosk.content.cardfile import split_front_matter
from kiosk.content.services import export_content, import_content
from kiosk.content.yamlsource import ContentFileError
from kiosk.facts.models import Location


@pytest.fixture
def work_dir(tmp_path, content_dir) -> Path:
    target = tmp_path / "content"
    shutil.copytree(content_dir, target)
    return target


def header(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(split_front_matter(path, text)[0])


def referral_files(directory: Path) -> list[Path]:
    return [p for p in sorted((directory / "cards").glob("*.md")) if header(p).get("kind") == "referral"]


def test_there_are_at_least_fifteen_referral_cards_each_naming_where_to_go(content_dir):
    files = referral_files(content_dir)
    assert len(files) >= 15
    locations = {loc["slug"]: loc for loc in yaml.safe_load((content_dir / "locations.yaml").read_text())}
    for path in files:
        data = header(path)
        assert "Miasta Płocka" in data["summary"] or "ratusz" in data["summary"], path.name
        assert data.get("service_points") or data.get("online", {}).get("url"), path.name
        online = data.get("online", {})
        assert online.get("source") or online.get("unverified"), f"{path.name}: online channel without source"
        for point in data.get("service_points", []):
            place = locations[point["point"]]
            assert not place.get("is_service_point"), f"{path.name}: {place['slug']} is a city service point"
            # Every institution's address, hours and phone are sourced or listed as still to confirm.
            assert place.get("source") or place.get("unverified"), place["slug"]


def test_kind_is_read_exported_only_for_referrals_and_round_trips(db, work_dir, tmp_path):
    import_content(work_dir)
    db.session.commit()
    paszport = db.session.scalar(select(Card).where(Card.slug == "paszport"))
    assert paszport.live_edition.kind == "referral"
    out = tmp_path / "out"
    export_content(out)
    assert (out / "cards" / "paszport.md").read_text().startswith("---\nkind: referral\ntitle: ")
    assert "kind:" not in (out / "cards" / "dowod-osobisty-wydanie.md").read_text()
    again = tmp_path / "again"
    import_content(out)
    db.session.commit()
    export_content(again)
    for path in (out / "cards").glob("*.md"):
        assert (again / "cards" / path.name).read_bytes() == path.read_bytes(), path.name


@pytest.mark.parametrize(
    ("front", "field", "message"),
    [
        ("kind: urzad\n", "kind", "dozwolone: service, referral"),
        ("kind: [referral]\n", "kind", "oczekiwano tekstu"),
        ("kind: referral\n", "kind", "musi wskazać instytucję"),
    ],
)
def test_bad_kind_stops_the_import_with_file_and_field(db, work_dir, front, field, message):
    path = work_dir / "cards" / "zla-karta.md"
    path.write_text(f"---\n{front}title: Test\ncategory: sprawy-ogolne\n---\n", encoding="utf-8")
    with pytest.raises(ContentFileError) as error:
        import_content(work_dir)
    assert error.value.path == str(path) and error.value.field == field and message in str(error.value)


def test_institution_offices_are_not_service_points(db, content_dir):
    import_content(content_dir)
    for slug in ("zus-plock", "muw-delegatura-plock", "mops-swiadczenia-rodzinne", "urzad-skarbowy-plock"):
        location = db.session.scalar(select(Location).where(Location.slug == slug))
        assert location is not None and not location.is_service_point
        assert location.source or location.unverified
    # No address was guessed: where the research found none, the location says so and lists it to confirm.
    for slug in ("muw-delegatura-plock", "urzad-skarbowy-plock", "mup-plock", "kmp-plock"):
        location = db.session.scalar(select(Location).where(Location.slug == slug))
        assert any("adres" in doubt for doubt in location.unverified), slug
