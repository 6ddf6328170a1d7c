"""Okienko: service cards, kiosks and a public website for Urząd Miasta Płocka."""

from pathlib import Path

from flask import Flask

from kiosk.extensions import babel, db, migrate, select_locale
from kiosk.formatting import register_filters
from kiosk.settings import load_settings

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(config: dict | None = None) -> Flask:
    """Build the application; `config` overrides settings (tests pass their database and index)."""
    app = Flask(__name__, instance_path=str(Path(__file__).resolve().parent.parent / "instance"))
    app.config.from_mapping(load_settings(Path(app.instance_path), config))
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    register_filters(app)
    return app


def register_extensions(app: Flask) -> None:
    from kiosk import models  # noqa: F401  (every model registered before migrations look)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True, compare_type=True)
    babel.init_app(app, locale_selector=select_locale)


def register_blueprints(app: Flask) -> None:
    from kiosk.web import errors
    from kiosk.web.views import bp as web_bp

    app.register_blueprint(web_bp)
    errors.register_error_handlers(app)


def register_commands(app: Flask) -> None:
    from kiosk.cards.cli import cards_cli
    from kiosk.content.cli import content_cli

    app.cli.add_command(content_cli)
    app.cli.add_command(cards_cli)
