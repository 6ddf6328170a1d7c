"""Configuration from environment variables, with defaults that need nothing."""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

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
    # Cases that never close (ready but never collected, complete but never handed over, never checked or
    # never returned) lose personal data when no step has been recorded on them for this many days.
    INTAKE_STALLED_RETENTION_DAYS = 365
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
    # The search query log (free text a resident typed, which may name a person) is deleted after this.
    SEARCH_LOG_RETENTION_DAYS = 365
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
        # The site's public address: every absolute URL (canonical links, feed, sitemap, JSON-LD, QR codes,
        # print headers, the API) is built from it, never from the Host header a client sent.
        self.KIOSK_PUBLIC_URL = public_url(env.get("KIOSK_PUBLIC_URL") or DEV_PUBLIC_URL)
        # Host names the server answers to (comma-separated; ".plock.eu" allows subdomains); others get a 400.
        # Empty: any host (development); production defaults to the public host and the loopback names.
        self.KIOSK_TRUSTED_HOSTS = _host_list(env.get("KIOSK_TRUSTED_HOSTS", ""))
        # Strict-Transport-Security on every response (production turns it on).
        self.KIOSK_HSTS = env.get("KIOSK_HSTS", "") == "1"
        self.SMTP_HOST = env.get("KIOSK_SMTP_HOST", "localhost")
        self.SMTP_PORT = int(env.get("KIOSK_SMTP_PORT", "25"))
        self.SMTP_SENDER = env.get("KIOSK_SMTP_SENDER", "okienko@plock.eu")
        # Absolute links in e-mails (reminders); empty means site-relative paths.
        self.BASE_URL = env.get("KIOSK_BASE_URL", "").rstrip("/")
        self.FRESHNESS_DUE_SOON_DAYS = int(env.get("KIOSK_FRESHNESS_DUE_SOON_DAYS", self.FRESHNESS_DUE_SOON_DAYS))
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.INTAKE_RETENTION_DAYS = int(env.get("KIOSK_INTAKE_RETENTION_DAYS") or self.INTAKE_RETENTION_DAYS)
        # Applicants' SMS notices: "module:factory" called with the config, returning an object with
        # send(notice) (kiosk/intake/notifications.py); the default only logs.
        self.INTAKE_SMS_GATEWAY = env.get("KIOSK_INTAKE_SMS_GATEWAY") or "kiosk.intake.notifications:LoggingSmsGateway"
        self.INTAKE_STALLED_RETENTION_DAYS = int(
            env.get("KIOSK_INTAKE_STALLED_RETENTION_DAYS") or self.INTAKE_STALLED_RETENTION_DAYS
        )
        self.SEARCH_LOG_RETENTION_DAYS = int(
            env.get("KIOSK_SEARCH_LOG_RETENTION_DAYS") or self.SEARCH_LOG_RETENTION_DAYS
        )
        # Production (kiosk/ops, docs/deploy.md): reverse proxies trusted for X-Forwarded-For/-Proto (nginx: 1),
        # a bearer token that may read /metrics from elsewhere than loopback, and "json" log lines.
        self.PROXY_HOPS = env.get("KIOSK_PROXY_HOPS", "0")
        self.METRICS_TOKEN = env.get("KIOSK_METRICS_TOKEN", "")
        self.LOG_FORMAT = env.get("KIOSK_LOG_FORMAT", "text")


class ProductionSettings(Settings):
    """Refuses to start with a missing or weak secret key or without the site's public https address."""

    def __init__(self, instance_path: Path):
        super().__init__(instance_path)
        key = os.environ.get("KIOSK_SECRET_KEY", "")
        if key.lower() in WEAK_KEYS or len(key) < 32:
            raise RuntimeError("KIOSK_SECRET_KEY must be set to at least 32 random characters in production")
        if not os.environ.get("KIOSK_PUBLIC_URL") or not self.KIOSK_PUBLIC_URL.startswith("https://"):
            raise RuntimeError("KIOSK_PUBLIC_URL must be set to the site's https:// address in production")
        if not self.KIOSK_TRUSTED_HOSTS:
            self.KIOSK_TRUSTED_HOSTS = [urlsplit(self.KIOSK_PUBLIC_URL).hostname, *LOOPBACK_HOSTS]
        self.SESSION_COOKIE_SECURE = True
        self.REMEMBER_COOKIE_SECURE = True
        self.KIOSK_HSTS = True


DEV_PUBLIC_URL = "http://localhost:5000"
LOOPBACK_HOSTS = ["localhost", "127.0.0.1"]
# The test client's host, so tests see the same absolute URLs they request.
TEST_DEFAULTS = {"KIOSK_PUBLIC_URL": "http://localhost"}


def public_url(raw: str) -> str:
    """The public address normalised to scheme://host[:port][/path] without a trailing slash."""
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment or parts.username:
        raise RuntimeError(f"KIOSK_PUBLIC_URL must be an absolute http(s) address such as https://okienko.plock.eu, "
                           f"not {raw!r}")  # fmt: skip
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def _host_list(raw: str) -> list[str]:
    return [h.strip().lower() for h in raw.split(",") if h.strip()]


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
        if not os.environ.get("KIOSK_PUBLIC_URL"):
            values.update(TEST_DEFAULTS)
    values.update(overrides or {})
    values["KIOSK_PUBLIC_URL"] = public_url(values["KIOSK_PUBLIC_URL"])
    if "SQLALCHEMY_DATABASE_URI" in (overrides or {}):
        values["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(values["SQLALCHEMY_DATABASE_URI"])
    return values
