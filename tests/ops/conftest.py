"""Helpers for the operations tests: empty databases of the suite's kind, a site filled with real data."""

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, table, text

from kiosk import create_app
from kiosk.accounts import services as accounts
from kiosk.accounts.models import Role
from kiosk.cards.models import Card
from kiosk.content.services import import_content
from kiosk.extensions import db as _db
from kiosk.facts.models import Location
from kiosk.intake import services as intake
from tests.conftest import PG_URL, REPO

PASSWORD = "Hasło-do-testów-2026!"


@pytest.fixture
def empty_database_url(tmp_path) -> str:
    """A new, empty database of the same kind as the suite's (on PostgreSQL: <test database>_empty)."""
    return f"sqlite:///{tmp_path / 'empty.db'}" if not PG_URL else new_database("empty")


def new_database(suffix: str) -> str:
    """Drop and create <test database>_<suffix> on the suite's PostgreSQL server; its URL."""
    base = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    name = base.rsplit("/", 1)[1].split("?")[0] + "_" + suffix
    admin = create_engine(base.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_URL.rsplit("/", 1)[0] + "/" + name


def make_app(url: str, tmp_path: Path, name: str):
    content = shutil.copytree(REPO / "content", tmp_path / f"content-{name}")
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "KIOSK_INDEX_DIR": str(tmp_path / f"index-{name}"),
        "KIOSK_CONTENT_DIR": str(content),
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
    }
    return create_app(config)


def fill_site(content_dir: Path) -> dict:
    """Real data through the real services: every card of content/, a front-desk account, an intake case."""
    import_content(content_dir)
    _db.session.commit()
    desk = accounts.create_user("bok-desk", "Pani z BOK", PASSWORD, [Role.FRONT_DESK], email="bok@plock.test")
    _db.session.commit()
    card = _db.session.scalar(select(Card).where(Card.live_edition_id.is_not(None)).order_by(Card.slug))
    point = _db.session.scalar(select(Location).where(Location.slug == "bok-stary-rynek"))
    case = intake.register_application(card, point, desk, channel="written", delivery="pickup",
                                       applicant_name="Jan Kowalski", applicant_contact="600 100 200",
                                       handed_in=[0])  # fmt: skip
    _db.session.commit()
    return {"card": card.slug, "case": case.number, "code": case.code}


def site_fingerprint() -> dict[str, list]:
    """Every row of every table, in primary-key order: equal fingerprints mean nothing was lost or changed."""
    inspector = inspect(_db.engine)
    result = {}
    for name in sorted(inspector.get_table_names()):
        keys = inspector.get_pk_constraint(name)["constrained_columns"] or [
            c["name"] for c in inspector.get_columns(name)
        ]
        query = select(text("*")).select_from(table(name)).order_by(*[text(f'"{k}"') for k in keys])
        result[name] = [tuple(row) for row in _db.session.execute(query)]
    _db.session.rollback()
    return result


def sample(text: str, name: str, **labels) -> float:
    """The value of one sample in Prometheus text format (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" ([0-9.e+-]+)$"
    found = re.search(pattern, text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0
