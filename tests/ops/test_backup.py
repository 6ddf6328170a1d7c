"""The restore drill: back up a site full of real data, restore it into an empty database, prove it all came back."""

import json
from pathlib import Path

import pytest

from kiosk.accounts.services import authenticate
from kiosk.extensions import db
from kiosk.intake.lookup import lookup_status
from kiosk.ops.backup import MANIFEST
from kiosk.search import services as search

from .conftest import PASSWORD, fill_site, make_app, site_fingerprint


@pytest.fixture
def backed_up(app, runner, tmp_path):
    """A site with every card, an account, an intake case and their audit rows, backed up with the CLI."""
    facts = fill_site(Path(app.config["KIOSK_CONTENT_DIR"]))
    fingerprint = site_fingerprint()
    result = runner.invoke(args=["ops", "backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    return tmp_path / "backup", fingerprint, facts


@pytest.fixture
def small_backup(factory, runner, tmp_path):
    """One published card backed up: enough for the refusals, quicker than the whole of content/."""
    factory.published_card("dowod-osobisty")
    result = runner.invoke(args=["ops", "backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    return tmp_path / "backup", site_fingerprint(), {}


def test_restore_into_an_empty_database_brings_back_every_row_and_rebuilds_the_index(
    backed_up, empty_database_url, tmp_path
):
    backup, fingerprint, facts = backed_up
    for table in ("edition", "user", "intake_case", "audit_record", "card_change", "alembic_version"):
        assert fingerprint[table], f"the drill needs rows in {table}"
    assert (backup / "content" / "cards" / f"{facts['card']}.md").exists()
    restored = make_app(empty_database_url, tmp_path, "restored")
    with restored.app_context():
        result = restored.test_cli_runner().invoke(args=["ops", "restore", str(backup)])
        assert result.exit_code == 0, result.output
        assert "zgodnie z manifestem" in result.output
        assert site_fingerprint() == fingerprint  # every edition, account, case, audit row, to the byte
        found = search.search("dowód osobisty")
        assert not found.degraded and found.total > 0  # the rebuilt index answers, not the fallback
        assert authenticate("bok-desk", PASSWORD, "192.0.2.1").username == "bok-desk"
        assert lookup_status(facts["case"], facts["code"], "192.0.2.2").number == facts["case"]
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()


def test_restore_refuses_a_database_that_is_not_empty(small_backup, runner):
    backup, fingerprint, _ = small_backup
    result = runner.invoke(args=["ops", "restore", str(backup)])
    assert result.exit_code != 0 and "nie jest pusta" in result.output
    assert site_fingerprint() == fingerprint


def test_restore_reports_a_backup_that_lost_rows(small_backup, empty_database_url, tmp_path):
    backup, _, _ = small_backup
    manifest = json.loads((backup / MANIFEST).read_text())
    manifest["rows"]["intake_case"] += 1  # the copy holds fewer cases than it claims
    (backup / MANIFEST).write_text(json.dumps(manifest))
    restored = make_app(empty_database_url, tmp_path, "restored")
    with restored.app_context():
        result = restored.test_cli_runner().invoke(args=["ops", "restore", str(backup)])
        assert result.exit_code != 0
        assert "Odtworzenie niepełne" in result.output and "intake_case: w kopii 1, po odtworzeniu 0" in result.output
        db.session.remove()
        db.engine.dispose()


def test_backup_never_overwrites_another_backup(small_backup, runner):
    backup, _, _ = small_backup
    before = (backup / MANIFEST).read_text()
    result = runner.invoke(args=["ops", "backup", str(backup)])
    assert result.exit_code != 0 and "nie jest pusty" in result.output
    assert (backup / MANIFEST).read_text() == before


@pytest.mark.parametrize("manifest", [None, "{not json", json.dumps({"format": 99})])
def test_restore_of_something_that_is_not_a_backup_says_so(runner, tmp_path, manifest):
    folder = tmp_path / "not-a-backup"
    folder.mkdir()
    if manifest is not None:
        (folder / MANIFEST).write_text(manifest)
    result = runner.invoke(args=["ops", "restore", str(folder)])
    assert result.exit_code != 0 and ("nie ma kopii" in result.output or "Nieznany format" in result.output)
    assert "Traceback" not in result.output


def test_restore_refuses_a_backup_from_another_kind_of_database(small_backup, runner):
    backup, _, _ = small_backup
    manifest = json.loads((backup / MANIFEST).read_text())
    manifest["dialect"] = "oracle"
    (backup / MANIFEST).write_text(json.dumps(manifest))
    result = runner.invoke(args=["ops", "restore", str(backup)])
    assert result.exit_code != 0 and "content import" in result.output
