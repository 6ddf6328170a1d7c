"""Okienko: service cards, kiosks and a public website for Urząd Miasta Płocka."""

from functools import cached_property
from pathlib import Path

from flask import Flask
from flask_login import current_user

from kiosk.extensions import babel, csrf, db, login_manager, migrate, select_locale
from kiosk.formatting import register_filters
from kiosk.settings import load_settings
from kiosk.web.hosts import PublicOriginFlask, register_host_checks
from kiosk.web.security import register_security_headers
from kiosk.web.sessions import register_sessions
from kiosk.web.templating import KioskEnvironment

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


class Okienko(PublicOriginFlask):
    """The application class: external URLs from KIOSK_PUBLIC_URL, every template but plain text escaped."""

    jinja_environment = KioskEnvironment  # renders without a Markup object per printed value or a slow globals copy

    def ensure_sync(self, func):
        # Flask asks this of every hook on every request; whether a function is a coroutine never changes.
        sync = self._sync_functions.get(func)
        if sync is None:
            sync = self._sync_functions.setdefault(func, super().ensure_sync(func))
        return sync

    @cached_property
    def _sync_functions(self) -> dict:
        return {}

    def select_jinja_autoescape(self, filename: str) -> bool:
        # Feeds (.atom), sitemaps (.xml), scripts (.js, values through |tojson) and pages are all markup.
        return not (filename or "").endswith(".txt")


def create_app(config: dict | None = None) -> Flask:
    """Build the application; `config` overrides settings (tests pass their database and index)."""
    app = Okienko(__name__, instance_path=str(Path(__file__).resolve().parent.parent / "instance"))
    app.config.from_mapping(load_settings(Path(app.instance_path), config))
    register_fast_lane(app)  # first: the innermost WSGI layer, under the proxy fix and the host check
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    register_filters(app)
    register_security_headers(app)
    register_sessions(app)
    register_host_checks(app)
    return app


def register_fast_lane(app: Flask) -> None:
    from kiosk.web.fastlane import register_fast_lane

    register_fast_lane(app)


def register_extensions(app: Flask) -> None:
    from kiosk import freshness, intake, models, ops, pages, requestargs, search  # noqa: F401  (models registered before migrations look)
    from kiosk.cards import notifications

    requestargs.init_app(app)  # bounded <int:...> converters must be in place before blueprints add rules

    ops.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True, compare_type=True)
    babel.init_app(app, locale_selector=select_locale)
    search.init_app(app)
    freshness.init_app(app)
    intake.init_app(app)
    pages.init_app(app)
    notifications.install_commit_hook()
    csrf.init_app(app)
    # Templates read `current_user` through Flask-Login's proxy, which loads the user only where a template
    # asks; its own context processor loaded the user for every page, the public ones included.
    login_manager.init_app(app, add_context_processor=False)
    app.jinja_env.globals["current_user"] = current_user


def register_blueprints(app: Flask) -> None:
    from admin import init_admin
    from kiosk.api.views import bp as api_bp
    from kiosk.freshness.views import bp as freshness_bp
    from kiosk.intake.views import bp as intake_bp
    from kiosk.kiosk_ui.views import bp as kiosk_bp
    from kiosk.kiosk_ui.views import fleet_bp as kiosk_fleet_bp
    from kiosk.ops.views import bp as ops_bp
    from kiosk.search.views import bp as search_bp
    from kiosk.web import errors, feeds  # noqa: F401  (feeds adds its routes to the web blueprint)
    from kiosk.web.health import bp as health_bp
    from kiosk.web.views import bp as web_bp

    app.register_blueprint(web_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(intake_bp)
    app.register_blueprint(freshness_bp)
    app.register_blueprint(kiosk_bp)
    app.register_blueprint(kiosk_fleet_bp)
    app.register_blueprint(ops_bp)
    errors.register_error_handlers(app)
    init_admin(app)


def register_commands(app: Flask) -> None:
    from kiosk.accounts.cli import users_cli
    from kiosk.cards.cli import cards_cli, translations_cli
    from kiosk.content.cli import content_cli
    from kiosk.freshness.cli import freshness_cli
    from kiosk.intake.cli import intake_cli
    from kiosk.ops.cli import ops_cli
    from kiosk.pages.cli import pages_cli
    from kiosk.search.cli import search_cli
    from kiosk.settings import settings_cli

    app.cli.add_command(content_cli)
    app.cli.add_command(cards_cli)
    app.cli.add_command(translations_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(freshness_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(intake_cli)
    app.cli.add_command(ops_cli)
    app.cli.add_command(pages_cli)
    app.cli.add_command(settings_cli)
