"""Configuration from environment variables, with defaults that need nothing."""

import os
import secrets
from pathlib import Path

WEAK_KEYS = {"", "dev", "secret", "changeme", "change-me"}


def _instance_secret(instance_path: Path) -> str:
    """Read the secret key from the instance folder, generating it on first run."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


class Settings:
    """Base settings; every value may be overridden by a KIOSK_* variable."""

    TESTING = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "pl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Warsaw"
    LANGUAGES = ("pl", "en", "uk")
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    MAX_QUERY_LENGTH = 200
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    INFO_LINE_PHONE = "24 364 55 55"

    def __init__(self, instance_path: Path):
        instance_path.mkdir(parents=True, exist_ok=True)
        env = os.environ
        self.SQLALCHEMY_DATABASE_URI = _normalise_db_url(
            env.get("KIOSK_DATABASE_URL") or f"sqlite:///{instance_path / 'kiosk.db'}"
        )
        self.KIOSK_INDEX_DIR = env.get("KIOSK_INDEX_DIR") or str(instance_path / "search-index")
        self.SECRET_KEY = env.get("KIOSK_SECRET_KEY") or _instance_secret(instance_path)
        self.KIOSK_CONTENT_DIR = env.get("KIOSK_CONTENT_DIR") or str(
            Path(__file__).resolve().parent.parent / "content"
        )
        self.SESSION_COOKIE_SECURE = env.get("KIOSK_HTTPS", "") == "1"


class ProductionSettings(Settings):
    """Refuses to start with a missing or weak secret key."""

    def __init__(self, instance_path: Path):
        super().__init__(instance_path)
        key = os.environ.get("KIOSK_SECRET_KEY", "")
        if key.lower() in WEAK_KEYS or len(key) < 32:
            raise RuntimeError("KIOSK_SECRET_KEY must be set to at least 32 random characters in production")
        self.SESSION_COOKIE_SECURE = True


def _normalise_db_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def load_settings(instance_path: Path, overrides: dict | None = None) -> dict:
    """Settings as a plain dict for `app.config.from_mapping`."""
    cls = ProductionSettings if os.environ.get("KIOSK_ENV") == "production" else Settings
    obj = cls(instance_path)
    values = {k: getattr(obj, k) for k in dir(obj) if k.isupper()}
    values.update(overrides or {})
    if "SQLALCHEMY_DATABASE_URI" in (overrides or {}):
        values["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(values["SQLALCHEMY_DATABASE_URI"])
    return values
