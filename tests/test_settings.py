"""Configuration defaults that need nothing, and a production mode that refuses a weak key."""

import pytest

from kiosk.settings import load_settings


def test_defaults_live_in_the_instance_folder(tmp_path, monkeypatch):
    for name in ("KIOSK_DATABASE_URL", "KIOSK_INDEX_DIR", "KIOSK_SECRET_KEY", "KIOSK_ENV"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(tmp_path)
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'kiosk.db'}"
    assert settings["KIOSK_INDEX_DIR"] == str(tmp_path / "search-index")
    key = (tmp_path / "secret_key").read_text()
    assert len(key) == 64 and settings["SECRET_KEY"] == key
    assert load_settings(tmp_path)["SECRET_KEY"] == key  # generated once, then reused


def test_postgres_urls_use_psycopg3(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_DATABASE_URL", "postgresql://postgres@127.0.0.1/test")
    assert load_settings(tmp_path)["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://postgres@127.0.0.1/test"


@pytest.mark.parametrize("key", ["", "dev", "short"])
def test_production_refuses_a_weak_secret_key(tmp_path, monkeypatch, key):
    monkeypatch.setenv("KIOSK_ENV", "production")
    monkeypatch.setenv("KIOSK_SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="KIOSK_SECRET_KEY"):
        load_settings(tmp_path)
