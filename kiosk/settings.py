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
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # argon2id cost (argon2-cffi defaults); tests use TEST_ARGON2 below so they stay fast.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4
    # Back-office log-in rate limit (kiosk/ratelimit.py), per source: failures within the window lock one
    # account from one address (PER_ACCOUNT), or one address for every account (PER_ADDRESS); never an
    # account for everyone.
    LOGIN_WINDOW_MINUTES = 15
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    # Intake queue: supplement deadline in days (KPA art. 64 §2; a card may set its own), how long names and
    # contacts of closed cases are kept, the status-lookup rate limit (per address, and per case number from
    # one address), and case-number prefixes per point.
    INTAKE_SUPPLEMENT_DAYS = 7
    INTAKE_RETENTION_DAYS = 730
    INTAKE_LOOKUP_WINDOW_MINUTES = 15
    INTAKE_LOOKUP_MAX_PER_ADDRESS = 20
    INTAKE_LOOKUP_MAX_PER_NUMBER = 5
    INTAKE_POINT_PREFIXES = {"bok-stary-rynek": "BOK", "pilsudskiego-6": "PIL", "pom-miodowa": "MIO"}
    # Freshness: a card is "due soon" this many days before its review date; escalate when this late.
    FRESHNESS_DUE_SOON_DAYS = 30
    FRESHNESS_ESCALATE_AFTER_DAYS = 30
    # Resident feedback: length limits, a rate limit per address, and how long resolved reports are kept.
    FEEDBACK_MAX_MESSAGE = 2000
    FEEDBACK_MAX_CONTACT = 200
    FEEDBACK_MAX_PER_WINDOW = 5
    FEEDBACK_WINDOW_MINUTES = 10
    FEEDBACK_RETENTION_DAYS = 180
    # Kiosk screens: idle reset after KIOSK_IDLE_SECONDS with a KIOSK_COUNTDOWN_SECONDS warning; a kiosk
    # is "silent" after KIOSK_SILENT_MINUTES without a heartbeat and "behind" when it lacks a change
    # older than KIOSK_BEHIND_MINUTES. Kiosk UI strings have their own catalogue next to the shared one.
    KIOSK_IDLE_SECONDS = 90
    KIOSK_COUNTDOWN_SECONDS = 10
    KIOSK_HEARTBEAT_SECONDS = 60
    KIOSK_SILENT_MINUTES = 10
    KIOSK_BEHIND_MINUTES = 15
    BABEL_TRANSLATION_DIRECTORIES = "translations;kiosk_ui/translations"

    def __init__(self, instance_path: Path):
        instance_path.mkdir(parents=True, exist_ok=True)
        env = os.environ
        self.SQLALCHEMY_DATABASE_URI = _normalise_db_url(
            env.get("KIOSK_DATABASE_URL") or f"sqlite:///{instance_path / 'kiosk.db'}"
        )
        self.KIOSK_INDEX_DIR = env.get("KIOSK_INDEX_DIR") or str(instance_path / "search-index")
        self.SECRET_KEY = env.get("KIOSK_SECRET_KEY") or _instance_secret(instance_path)
        self.KIOSK_CONTENT_DIR = env.get("KIOSK_CONTENT_DIR") or str(Path(__file__).resolve().parent.parent / "content")
        self.SESSION_COOKIE_SECURE = env.get("KIOSK_HTTPS", "") == "1"
        # Where the kiosk's QR codes point (the public site) when kiosks reach the server under a local name.
        self.KIOSK_PUBLIC_URL = env.get("KIOSK_PUBLIC_URL", "")
        self.SMTP_HOST = env.get("KIOSK_SMTP_HOST", "localhost")
        self.SMTP_PORT = int(env.get("KIOSK_SMTP_PORT", "25"))
        self.SMTP_SENDER = env.get("KIOSK_SMTP_SENDER", "okienko@plock.eu")
        # Absolute links in e-mails (reminders); empty means site-relative paths.
        self.BASE_URL = env.get("KIOSK_BASE_URL", "").rstrip("/")
        self.FRESHNESS_DUE_SOON_DAYS = int(env.get("KIOSK_FRESHNESS_DUE_SOON_DAYS", self.FRESHNESS_DUE_SOON_DAYS))
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.INTAKE_RETENTION_DAYS = int(env.get("KIOSK_INTAKE_RETENTION_DAYS") or self.INTAKE_RETENTION_DAYS)
        # Production (kiosk/ops, docs/deploy.md): reverse proxies trusted for X-Forwarded-For/-Proto (nginx: 1),
        # a bearer token that may read /metrics from elsewhere than loopback, and "json" log lines.
        self.PROXY_HOPS = env.get("KIOSK_PROXY_HOPS", "0")
        self.METRICS_TOKEN = env.get("KIOSK_METRICS_TOKEN", "")
        self.LOG_FORMAT = env.get("KIOSK_LOG_FORMAT", "text")


class ProductionSettings(Settings):
    """Refuses to start with a missing or weak secret key."""

    def __init__(self, instance_path: Path):
        super().__init__(instance_path)
        key = os.environ.get("KIOSK_SECRET_KEY", "")
        if key.lower() in WEAK_KEYS or len(key) < 32:
            raise RuntimeError("KIOSK_SECRET_KEY must be set to at least 32 random characters in production")
        self.SESSION_COOKIE_SECURE = True
        self.REMEMBER_COOKIE_SECURE = True


TEST_ARGON2 = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8, "ARGON2_PARALLELISM": 1}


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
    if (overrides or {}).get("TESTING"):
        values.update(TEST_ARGON2)
    values.update(overrides or {})
    if "SQLALCHEMY_DATABASE_URI" in (overrides or {}):
        values["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(values["SQLALCHEMY_DATABASE_URI"])
    return values
