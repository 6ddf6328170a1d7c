"""Settings: declared once (kiosk/settings.py SETTINGS), read from their variables, refused when unsafe."""

import re
from pathlib import Path

import pytest

from kiosk import create_app
from kiosk.settings import SETTINGS, load_settings, settings_table, with_settings_table

REPO = Path(__file__).resolve().parent.parent
STRONG_KEY = "k" * 16 + "0123456789abcdef0123"


@pytest.fixture
def clean_env(monkeypatch):
    """No KIOSK_* variable from the developer's shell leaks into these tests."""
    for setting in SETTINGS:
        monkeypatch.delenv(setting.env, raising=False)
    return monkeypatch


def test_defaults_live_in_the_instance_folder(tmp_path, clean_env):
    settings = load_settings(tmp_path)
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'kiosk.db'}"
    assert settings["KIOSK_INDEX_DIR"] == str(tmp_path / "search-index")
    key = (tmp_path / "secret_key").read_text()
    assert len(key) == 64 and settings["SECRET_KEY"] == key
    assert load_settings(tmp_path)["SECRET_KEY"] == key  # generated once, then reused


def test_every_declared_default_needs_nothing(tmp_path, clean_env):
    settings = load_settings(tmp_path)
    for setting in SETTINGS:
        if not callable(setting.default):
            assert settings[setting.name] == setting.type(setting.default), setting.env
    assert (settings["SMTP_PORT"], settings["KIOSK_IDLE_SECONDS"], settings["KIOSK_COUNTDOWN_SECONDS"]) == (25, 90, 10)
    assert settings["KIOSK_PUBLIC_URL"] == "http://localhost:5000" and settings["LOG_FORMAT"] == "text"
    assert settings["SESSION_COOKIE_SECURE"] is False and settings["KIOSK_TRUSTED_HOSTS"] == []


@pytest.mark.parametrize(
    ("env", "raw", "key", "value"),
    [
        ("KIOSK_IDLE_SECONDS", "45", "KIOSK_IDLE_SECONDS", 45),
        ("KIOSK_COUNTDOWN_SECONDS", "5", "KIOSK_COUNTDOWN_SECONDS", 5),
        ("KIOSK_HEARTBEAT_SECONDS", "30", "KIOSK_HEARTBEAT_SECONDS", 30),
        ("KIOSK_SILENT_MINUTES", "20", "KIOSK_SILENT_MINUTES", 20),
        ("KIOSK_BEHIND_MINUTES", "40", "KIOSK_BEHIND_MINUTES", 40),
        ("KIOSK_SMTP_PORT", "2525", "SMTP_PORT", 2525),
        ("KIOSK_SMTP_HOST", "mail.plock.eu", "SMTP_HOST", "mail.plock.eu"),
        ("KIOSK_FRESHNESS_DUE_SOON_DAYS", "14", "FRESHNESS_DUE_SOON_DAYS", 14),
        ("KIOSK_INTAKE_RETENTION_DAYS", "400", "INTAKE_RETENTION_DAYS", 400),
        ("KIOSK_SEARCH_LOG_RETENTION_DAYS", "90", "SEARCH_LOG_RETENTION_DAYS", 90),
        ("KIOSK_BASE_URL", "https://okienko.plock.eu/", "BASE_URL", "https://okienko.plock.eu"),
        ("KIOSK_TRUSTED_HOSTS", "Okienko.plock.eu, .plock.eu,", "KIOSK_TRUSTED_HOSTS",
         ["okienko.plock.eu", ".plock.eu"]),
        ("KIOSK_LOG_FORMAT", "json", "LOG_FORMAT", "json"),
        ("KIOSK_HSTS", "1", "KIOSK_HSTS", True),
        ("KIOSK_DATABASE_URL", "postgresql://postgres@127.0.0.1/test", "SQLALCHEMY_DATABASE_URI",
         "postgresql+psycopg://postgres@127.0.0.1/test"),
    ],
)  # fmt: skip
def test_each_setting_is_read_from_its_variable(tmp_path, clean_env, env, raw, key, value):
    clean_env.setenv(env, raw)
    assert load_settings(tmp_path)[key] == value


def test_https_marks_both_cookies_secure(tmp_path, clean_env):
    clean_env.setenv("KIOSK_HTTPS", "1")
    settings = load_settings(tmp_path)
    assert settings["SESSION_COOKIE_SECURE"] is True and settings["REMEMBER_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    ("env", "raw"),
    [
        ("KIOSK_IDLE_SECONDS", "abc"),
        ("KIOSK_IDLE_SECONDS", "-90"),
        ("KIOSK_IDLE_SECONDS", "1e9"),
        ("KIOSK_COUNTDOWN_SECONDS", "0"),
        ("KIOSK_SMTP_PORT", "70000"),
        ("KIOSK_INTAKE_RETENTION_DAYS", "0"),
        ("KIOSK_LOG_FORMAT", "xml"),
        ("KIOSK_ENV", "prod"),  # a typo must not start an unchecked server
        ("KIOSK_PUBLIC_URL", "okienko.plock.eu"),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(tmp_path, clean_env, env, raw):
    clean_env.setenv(env, raw)
    with pytest.raises(RuntimeError, match=env):
        load_settings(tmp_path)


def test_countdown_must_be_shorter_than_the_idle_time(tmp_path, clean_env):
    clean_env.setenv("KIOSK_IDLE_SECONDS", "20")
    clean_env.setenv("KIOSK_COUNTDOWN_SECONDS", "20")
    with pytest.raises(RuntimeError, match="KIOSK_COUNTDOWN_SECONDS"):
        load_settings(tmp_path)


@pytest.mark.parametrize("key", ["", "dev", "short", "changeme"])
def test_production_refuses_a_weak_secret_key(tmp_path, clean_env, key):
    clean_env.setenv("KIOSK_ENV", "production")
    clean_env.setenv("KIOSK_PUBLIC_URL", "https://okienko.plock.eu")
    clean_env.setenv("KIOSK_SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="KIOSK_SECRET_KEY"):
        load_settings(tmp_path)
    assert not (tmp_path / "secret_key").exists()  # no key file is generated in its place


@pytest.mark.parametrize("url", [None, "http://okienko.plock.eu"])
def test_production_refuses_a_missing_or_plain_http_public_url(tmp_path, clean_env, url):
    clean_env.setenv("KIOSK_ENV", "production")
    clean_env.setenv("KIOSK_SECRET_KEY", STRONG_KEY)
    if url:
        clean_env.setenv("KIOSK_PUBLIC_URL", url)
    with pytest.raises(RuntimeError, match="KIOSK_PUBLIC_URL"):
        load_settings(tmp_path)


def test_production_with_a_strong_key_starts_locked_down(tmp_path, clean_env):
    clean_env.setenv("KIOSK_ENV", "production")
    clean_env.setenv("KIOSK_SECRET_KEY", STRONG_KEY)
    clean_env.setenv("KIOSK_PUBLIC_URL", "https://Okienko.plock.eu/")
    settings = load_settings(tmp_path)
    assert settings["SECRET_KEY"] == STRONG_KEY and settings["KIOSK_PUBLIC_URL"] == "https://okienko.plock.eu"
    assert settings["KIOSK_TRUSTED_HOSTS"] == ["okienko.plock.eu", "localhost", "127.0.0.1"]
    assert settings["SESSION_COOKIE_SECURE"] and settings["REMEMBER_COOKIE_SECURE"] and settings["KIOSK_HSTS"]
    assert not (tmp_path / "secret_key").exists()  # the configured key is used, none is generated


def test_production_keeps_configured_trusted_hosts(tmp_path, clean_env):
    clean_env.setenv("KIOSK_ENV", "production")
    clean_env.setenv("KIOSK_SECRET_KEY", STRONG_KEY)
    clean_env.setenv("KIOSK_PUBLIC_URL", "https://okienko.plock.eu")
    clean_env.setenv("KIOSK_TRUSTED_HOSTS", "okienko.plock.eu")
    assert load_settings(tmp_path)["KIOSK_TRUSTED_HOSTS"] == ["okienko.plock.eu"]


def test_each_variable_is_declared_once():
    envs = [s.env for s in SETTINGS]
    names = [s.name for s in SETTINGS]
    assert len(envs) == len(set(envs)) and len(names) == len(set(names))
    assert all(env.startswith("KIOSK_") and s.doc for env, s in zip(envs, SETTINGS, strict=True))


def test_readme_table_is_the_generated_one():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = re.search(r"^\| variable \| default \| meaning \|\n(?:\|.*\n)*", readme, re.MULTILINE).group(0)
    documented = set(re.findall(r"^\| `(KIOSK_[A-Z_]+)`", table, re.MULTILINE))
    assert documented == {s.env for s in SETTINGS}  # every documented variable exists, and vice versa
    assert table == settings_table(), "run: flask --app kiosk settings table --write README.md"
    assert with_settings_table(readme) == readme


def test_readme_mentions_no_undeclared_variable():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    mentioned = set(re.findall(r"\bKIOSK_[A-Z_]*[A-Z]\b", readme)) - {"KIOSK_TEST_DATABASE_URL"}
    assert mentioned <= {s.env for s in SETTINGS}


def test_only_kiosk_settings_reads_kiosk_variables():
    readers = re.compile(r"(environ|getenv)[^\n]*KIOSK_")
    offenders = [
        str(path.relative_to(REPO))
        for folder in ("kiosk", "admin")
        for path in (REPO / folder).rglob("*.py")
        if path.name != "settings.py" and readers.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_settings_table_command_prints_and_writes(app, tmp_path):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["settings", "table"]).output == settings_table()
    readme = tmp_path / "README.md"
    old_table = "| variable | default | meaning |\n| --- | --- | --- |\n| `KIOSK_OLD` | | gone |\n"
    readme.write_text(f"# X\n\n{old_table}\nafter\n")
    result = runner.invoke(args=["settings", "table", "--write", str(readme)])
    assert result.exit_code == 0, result.output
    assert readme.read_text() == "# X\n\n" + settings_table() + "\nafter\n"
    (tmp_path / "empty.md").write_text("no table\n")
    result = runner.invoke(args=["settings", "table", "--write", str(tmp_path / "empty.md")])
    assert result.exit_code != 0 and "no table" in result.output


@pytest.fixture
def short_idle(monkeypatch):
    monkeypatch.setenv("KIOSK_IDLE_SECONDS", "45")
    monkeypatch.setenv("KIOSK_COUNTDOWN_SECONDS", "7")


def test_kiosk_screens_use_the_idle_variables(short_idle, app):
    own = {key: app.config[key] for key in ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "KIOSK_INDEX_DIR")}
    client = create_app(own).test_client()  # the rest of its settings from the environment
    html = client.get("/kiosk/").get_data(as_text=True)
    assert 'data-idle="45"' in html and 'data-countdown="7"' in html
    assert '<span id="idle-count">7</span>' in html
