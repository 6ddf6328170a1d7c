"""Configuration: every setting read from the environment is declared once, in SETTINGS below.

Each `Setting` names its app.config key, its environment variable, how the variable's text is read, its
default (needing nothing) and a one-line description. The README's configuration table is generated from
SETTINGS (`flask settings table --write README.md`) and tests/test_settings.py checks it.
Values that are not read from the environment are plain attributes of `Settings`.
"""

import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

WEAK_KEYS = {"", "dev", "secret", "changeme", "change-me"}
REPO_DIR = Path(__file__).resolve().parent.parent


def _instance_secret(instance_path: Path) -> str:
    """Read the secret key from the instance folder, generating it on first run."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


# How a variable's text is read; a ValueError's message says what was expected.
def text(raw: str) -> str:
    return raw


def flag(raw: str) -> bool:
    """`1` turns it on; anything else leaves it off."""
    return raw == "1"


def whole_number(low: int = 0, high: int | None = None) -> Callable[[str], int]:
    def read(raw: str) -> int:
        try:
            value = int(raw.strip())
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            upper = f" to {high}" if high is not None else " or more"
            raise ValueError(f"a whole number from {low}{upper}")
        return value

    return read


def one_of(*choices: str) -> Callable[[str], str]:
    def read(raw: str) -> str:
        if raw not in choices:
            raise ValueError("one of " + ", ".join(choices))
        return raw

    return read


def optional_dir(raw: str) -> str:
    """A directory; `off` for none (an empty value means the default)."""
    return "" if raw == "off" else raw


def base_url(raw: str) -> str:
    return raw.rstrip("/")


def host_list(raw: str) -> list[str]:
    return [h.strip().lower() for h in raw.split(",") if h.strip()]


@dataclass(frozen=True)
class Setting:
    """One setting: app.config[name] comes from the environment variable `env`, read by `type`."""

    name: str
    env: str
    type: Callable[[str], Any]
    default: str | Callable[[Path], str]  # the variable's text when unset or empty; a function of the instance folder
    doc: str
    shown: str = ""  # the default as the README shows it, when it is not the plain text

    def read(self, environ, instance_path: Path) -> Any:
        raw = environ.get(self.env) or ""
        if not raw:
            raw = self.default(instance_path) if callable(self.default) else self.default
        try:
            return self.type(raw)
        except ValueError as exc:
            raise RuntimeError(f"{self.env} must be {exc}, not {raw!r}") from None

    def shown_default(self) -> str:
        if self.shown:
            return self.shown
        return f"`{self.default}`" if self.default else "(unset)"


class Settings:
    """Base settings: the fixed values below, then every entry of SETTINGS read from the environment."""

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
    # Intake queue: supplement deadline in days (KPA art. 64 §2; a card may set its own), the status-lookup
    # rate limit (per address, and per case number from one address), and case-number prefixes per point.
    # Retention periods are in SETTINGS.
    INTAKE_SUPPLEMENT_DAYS = 7
    INTAKE_LOOKUP_WINDOW_MINUTES = 15
    INTAKE_LOOKUP_MAX_PER_ADDRESS = 20
    INTAKE_LOOKUP_MAX_PER_NUMBER = 5
    INTAKE_POINT_PREFIXES = {"bok-stary-rynek": "BOK", "pilsudskiego-6": "PIL", "pom-miodowa": "MIO"}
    # Freshness: escalate a review this many days late ("due soon" is KIOSK_FRESHNESS_DUE_SOON_DAYS).
    FRESHNESS_ESCALATE_AFTER_DAYS = 30
    # Resident feedback: length limits, a rate limit per address, and how long resolved reports are kept.
    FEEDBACK_MAX_MESSAGE = 2000
    FEEDBACK_MAX_CONTACT = 200
    FEEDBACK_MAX_PER_WINDOW = 5
    FEEDBACK_WINDOW_MINUTES = 10
    FEEDBACK_RETENTION_DAYS = 180
    # Public pages and the API: browsers keep them WEB_MAX_AGE seconds; nginx's page cache WEB_SHARED_MAX_AGE,
    # then revalidates with the ETag (a cheap 304) and may serve its stale copy WEB_SHARED_STALE_SECONDS longer
    # while it does. A publish shows through nginx within their sum plus 2 s (docs/deploy.md).
    WEB_MAX_AGE = 60
    WEB_SHARED_MAX_AGE = 5
    WEB_SHARED_STALE_SECONDS = 5
    # Kiosk UI strings have their own catalogue next to the shared one.
    BABEL_TRANSLATION_DIRECTORIES = "translations;kiosk_ui/translations"

    def __init__(self, instance_path: Path, environ=None):
        instance_path.mkdir(parents=True, exist_ok=True)
        environ = os.environ if environ is None else environ
        for setting in SETTINGS:
            setattr(self, setting.name, setting.read(environ, instance_path))
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        if self.KIOSK_COUNTDOWN_SECONDS >= self.KIOSK_IDLE_SECONDS:
            raise RuntimeError(f"KIOSK_COUNTDOWN_SECONDS ({self.KIOSK_COUNTDOWN_SECONDS}) must be less than "
                               f"KIOSK_IDLE_SECONDS ({self.KIOSK_IDLE_SECONDS})")  # fmt: skip


SETTINGS = (
    Setting("KIOSK_ENV", "KIOSK_ENV", one_of("", "development", "production"), "",
            "`production`: refuses to start without a strong `KIOSK_SECRET_KEY` and an https "
            "`KIOSK_PUBLIC_URL`; secure cookies, HSTS"),
    Setting("SQLALCHEMY_DATABASE_URI", "KIOSK_DATABASE_URL", lambda raw: _normalise_db_url(raw),
            lambda instance: f"sqlite:///{instance / 'kiosk.db'}",
            "SQLAlchemy URL; `postgresql://…` uses psycopg 3", "`sqlite:///instance/kiosk.db`"),
    Setting("KIOSK_INDEX_DIR", "KIOSK_INDEX_DIR", text, lambda instance: str(instance / "search-index"),
            "the search index (derived data; `search rebuild` recreates it)", "`instance/search-index`"),
    Setting("KIOSK_PAGE_STORE_DIR", "KIOSK_PAGE_STORE_DIR", optional_dir, lambda instance: str(instance / "pages"),
            "rendered card pages every worker shares (derived data; `pages render` fills it; `off`: none)",
            "`instance/pages`"),
    Setting("SECRET_KEY", "KIOSK_SECRET_KEY", text, _instance_secret, "session signing key",
            "generated into `instance/secret_key` on first run"),
    Setting("SESSION_COOKIE_SECURE", "KIOSK_HTTPS", flag, "", "`1` marks the session cookie Secure"),
    Setting("KIOSK_CONTENT_DIR", "KIOSK_CONTENT_DIR", text, lambda _: str(REPO_DIR / "content"),
            "what `content import` reads by default; where synonyms are written", "`content/`"),
    # Every absolute URL is built from the public address, never from the Host header a client sent.
    Setting("KIOSK_PUBLIC_URL", "KIOSK_PUBLIC_URL", lambda raw: public_url(raw), "http://localhost:5000",
            "the site's public address: every absolute URL (canonical, feed, sitemap, JSON-LD, QR codes, API links)",
            "`http://localhost:5000` (required, `https://`, in production)"),
    Setting("KIOSK_TRUSTED_HOSTS", "KIOSK_TRUSTED_HOSTS", host_list, "",
            "comma-separated host names the server answers (`.plock.eu` allows subdomains); others get a 400",
            "any host; production: the public host, `localhost`, `127.0.0.1`"),
    Setting("KIOSK_HSTS", "KIOSK_HSTS", flag, "", "`1` sends Strict-Transport-Security (production always does)"),
    Setting("BASE_URL", "KIOSK_BASE_URL", base_url, "",
            "where links in e-mails start, if the back office has its own address", "(unset: `KIOSK_PUBLIC_URL`)"),
    Setting("SMTP_HOST", "KIOSK_SMTP_HOST", text, "localhost", "mail server for reminders and applicants' notices"),
    Setting("SMTP_PORT", "KIOSK_SMTP_PORT", whole_number(1, 65535), "25", "its port"),
    Setting("SMTP_SENDER", "KIOSK_SMTP_SENDER", text, "okienko@plock.eu", "the From address of e-mails"),
    Setting("INTAKE_SMS_GATEWAY", "KIOSK_INTAKE_SMS_GATEWAY", text, "kiosk.intake.notifications:LoggingSmsGateway",
            "applicants' SMS notices: `module:factory` of a provider adapter "
            "([docs/intake.md](docs/intake.md#telling-the-applicant))",
            "`kiosk.intake.notifications:LoggingSmsGateway` (logs only)"),
    Setting("FRESHNESS_DUE_SOON_DAYS", "KIOSK_FRESHNESS_DUE_SOON_DAYS", whole_number(1), "30",
            "when a card counts as due for review (days before its review date)"),
    Setting("INTAKE_RETENTION_DAYS", "KIOSK_INTAKE_RETENTION_DAYS", whole_number(1), "730",
            "when closed cases lose names, contacts and delivery references"),
    Setting("INTAKE_STALLED_RETENTION_DAYS", "KIOSK_INTAKE_STALLED_RETENTION_DAYS", whole_number(1), "365",
            "when cases that never close (no step recorded for this many days) lose them"),
    Setting("SEARCH_LOG_RETENTION_DAYS", "KIOSK_SEARCH_LOG_RETENTION_DAYS", whole_number(1), "365",
            "when `search purge-log` deletes logged searches"),
    Setting("KIOSK_IDLE_SECONDS", "KIOSK_IDLE_SECONDS", whole_number(10, 3600), "90",
            "a kiosk screen left alone this long warns, then returns to the start screen"),
    Setting("KIOSK_COUNTDOWN_SECONDS", "KIOSK_COUNTDOWN_SECONDS", whole_number(1, 600), "10",
            "how long the kiosk's idle warning counts down (less than `KIOSK_IDLE_SECONDS`)"),
    Setting("KIOSK_HEARTBEAT_SECONDS", "KIOSK_HEARTBEAT_SECONDS", whole_number(10, 3600), "60",
            "how often a kiosk reports to the fleet page"),
    Setting("KIOSK_SILENT_MINUTES", "KIOSK_SILENT_MINUTES", whole_number(1), "10",
            "a kiosk without a heartbeat this long shows as silent"),
    Setting("KIOSK_BEHIND_MINUTES", "KIOSK_BEHIND_MINUTES", whole_number(1), "15",
            "a kiosk lacking a change older than this shows as behind"),
    # Production (kiosk/ops, docs/deploy.md).
    Setting("PROXY_HOPS", "KIOSK_PROXY_HOPS", text, "0",
            "reverse proxies trusted for `X-Forwarded-For`/`-Proto` (0 to 5; deploy/ uses 1: nginx)"),
    Setting("METRICS_TOKEN", "KIOSK_METRICS_TOKEN", text, "", "bearer token that may read `/metrics` from "
            "elsewhere than loopback"),
    Setting("LOG_FORMAT", "KIOSK_LOG_FORMAT", one_of("text", "json"), "text", "`json`: one JSON object per log line"),
)  # fmt: skip


class ProductionSettings(Settings):
    """Refuses to start with a missing or weak secret key or without the site's public https address."""

    def __init__(self, instance_path: Path, environ=None):
        environ = os.environ if environ is None else environ
        key = environ.get("KIOSK_SECRET_KEY", "")  # checked first: production never generates a key file
        if key.lower() in WEAK_KEYS or len(key) < 32:
            raise RuntimeError("KIOSK_SECRET_KEY must be set to at least 32 random characters in production")
        super().__init__(instance_path, environ)
        if not environ.get("KIOSK_PUBLIC_URL") or not self.KIOSK_PUBLIC_URL.startswith("https://"):
            raise RuntimeError("KIOSK_PUBLIC_URL must be set to the site's https:// address in production")
        if not self.KIOSK_TRUSTED_HOSTS:
            self.KIOSK_TRUSTED_HOSTS = [urlsplit(self.KIOSK_PUBLIC_URL).hostname, *LOOPBACK_HOSTS]
        self.SESSION_COOKIE_SECURE = True
        self.REMEMBER_COOKIE_SECURE = True
        self.KIOSK_HSTS = True


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
        if not os.environ.get("KIOSK_PAGE_STORE_DIR"):  # never the repository's instance folder; `app` gives its own
            values["KIOSK_PAGE_STORE_DIR"] = ""
    values.update(overrides or {})
    values["KIOSK_PUBLIC_URL"] = public_url(values["KIOSK_PUBLIC_URL"])
    if "SQLALCHEMY_DATABASE_URI" in (overrides or {}):
        values["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(values["SQLALCHEMY_DATABASE_URI"])
    return values


def settings_table() -> str:
    """The README's configuration table, one row per entry of SETTINGS."""
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    rows += [f"| `{s.env}` | {s.shown_default()} | {s.doc} |" for s in SETTINGS]
    return "\n".join(rows) + "\n"


TABLE = re.compile(r"^\| variable \| default \| meaning \|\n(?:\|.*\n)*", re.MULTILINE)


def with_settings_table(readme: str) -> str:
    """`readme` with its configuration table replaced by the one generated from SETTINGS."""
    if not TABLE.search(readme):
        raise ValueError("no table starting with '| variable | default | meaning |' found")
    return TABLE.sub(lambda _: settings_table(), readme, count=1)


@click.group("settings", help="Configuration.")
def settings_cli():
    pass


@settings_cli.command("table")
@click.option("--write", "readme", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Replace the configuration table in this file (README.md) instead of printing it.")  # fmt: skip
def settings_table_command(readme: Path | None):
    """Print the README's configuration table, generated from SETTINGS."""
    if readme is None:
        click.echo(settings_table(), nl=False)
        return
    try:
        updated = with_settings_table(readme.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise click.ClickException(f"{readme}: {exc}") from None
    readme.write_text(updated, encoding="utf-8")
    click.echo(f"{readme}: table of {len(SETTINGS)} settings written")
