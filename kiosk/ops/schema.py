"""Is the database at the schema this code expects? The app server refuses to start when it is not."""

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from kiosk.extensions import db


def schema_heads() -> tuple[set[str], set[str]]:
    """(the revisions the database is at, the heads of this release's migrations)."""
    script = ScriptDirectory(current_app.extensions["migrate"].directory)
    with db.engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    return current, set(script.get_heads())
