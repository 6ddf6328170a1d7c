"""Upgrades without downtime: the previous release's database, full of real data, migrates to this release's
schema with every row intact, and the app server refuses to serve until it has.

The previous release is commit 7bca4ec (migration head 0007). Its code runs from `git archive` in tmp_path, in a
child process, exactly as it ran in production: it builds its schema, imports content/, creates an account and
registers an intake case.
"""

import os
import subprocess
import sys
import tarfile
import textwrap
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, table, text

from kiosk.accounts.services import authenticate
from kiosk.extensions import db
from kiosk.intake.lookup import lookup_status
from kiosk.ops.schema import schema_heads
from kiosk.search import services as search
from tests.conftest import REPO

from .conftest import PASSWORD, make_app

PREVIOUS_RELEASE = "7bca4ec"
PREVIOUS_HEAD = "0007"
# Tables a migration retires on purpose: rate-limit attempts, minutes-long by nature (0008 moved every limit to
# the one `attempt` table; a counter starting afresh on upgrade day locks nobody out and lets nobody in for long).
RETIRED = {"intake_status_lookup", "login_attempt"}

OLD_SITE = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from flask_migrate import upgrade
    from sqlalchemy import select
    from kiosk import create_app
    from kiosk.accounts import services as accounts
    from kiosk.accounts.models import Role
    from kiosk.cards.models import Card
    from kiosk.content.services import import_content
    from kiosk.extensions import db
    from kiosk.facts.models import Location
    from kiosk.intake import services as intake

    url, index, content, password = sys.argv[1:5]
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "KIOSK_INDEX_DIR": index,
                      "KIOSK_CONTENT_DIR": content, "SECRET_KEY": "x" * 40})
    with app.app_context():
        upgrade(revision="heads")
        import_content(Path(content))
        db.session.commit()
        desk = accounts.create_user("bok-desk", "Pani z BOK", password, [Role.FRONT_DESK], email="bok@plock.test")
        db.session.commit()
        card = db.session.scalar(select(Card).where(Card.live_edition_id.is_not(None)).order_by(Card.slug))
        point = db.session.scalar(select(Location).where(Location.slug == "bok-stary-rynek"))
        case = intake.register_application(card, point, desk, channel="written", delivery="pickup",
                                           applicant_name="Jan Kowalski", applicant_contact="600 100 200",
                                           handed_in=[0])
        db.session.commit()
        print(json.dumps({"case": case.number, "code": case.code, "card": card.slug}))
        db.engine.dispose()
    """
)


def previous_release(tmp_path: Path) -> Path:
    """The previous release's files, from git, without touching the working tree."""
    try:
        archive = subprocess.run(["git", "archive", "--format=tar", PREVIOUS_RELEASE], cwd=REPO, check=True,
                                 capture_output=True, timeout=60).stdout  # fmt: skip
    except (OSError, subprocess.CalledProcessError) as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"the previous release {PREVIOUS_RELEASE} is not in this checkout: {exc}")
    target = tmp_path / "previous-release"
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def rows_by_table(url: str) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table's column names and rows (in primary-key order), read without the app."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    inspector = inspect(engine)
    result = {}
    with engine.connect() as conn:
        for name in inspector.get_table_names():
            columns = [c["name"] for c in inspector.get_columns(name)]
            keys = inspector.get_pk_constraint(name)["constrained_columns"] or columns
            query = select(*[text(f'"{c}"') for c in columns]).select_from(table(name))
            rows = conn.execute(query.order_by(*[text(f'"{k}"') for k in keys])).all()
            result[name] = (columns, [tuple(r) for r in rows])
    engine.dispose()
    return result


@pytest.fixture
def old_site(empty_database_url, tmp_path) -> dict:
    old = previous_release(tmp_path)
    script = tmp_path / "old_site.py"
    script.write_text(OLD_SITE)
    env = {**os.environ, "PYTHONPATH": str(old)}
    env.pop("KIOSK_TEST_DATABASE_URL", None)
    args = [empty_database_url, str(tmp_path / "old-index"), str(old / "content"), PASSWORD]
    result = subprocess.run([sys.executable, "-W", "ignore", str(script), *args], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    import json

    return {"url": empty_database_url, **json.loads(result.stdout.strip().splitlines()[-1])}


def test_the_previous_release_database_upgrades_with_every_row_intact(old_site, tmp_path):
    before = rows_by_table(old_site["url"])
    assert before["alembic_version"][1] == [(PREVIOUS_HEAD,)]
    for name in ("edition", "card", "user", "intake_case", "intake_checklist_item", "audit_record", "card_change"):
        assert before[name][1], f"the previous release left no rows in {name}"
    app = make_app(old_site["url"], tmp_path, "upgraded")
    with app.app_context():
        current, heads = schema_heads()
        assert current == {PREVIOUS_HEAD} and current != heads
        refused = app.test_cli_runner().invoke(args=["ops", "check-schema"])
        assert refused.exit_code != 0 and "flask db upgrade heads" in refused.output  # new code does not serve yet
        upgraded = app.test_cli_runner().invoke(args=["db", "upgrade", "heads"])
        assert upgraded.exit_code == 0, "".join(__import__("traceback").format_exception(upgraded.exception))[-3000:]
        assert app.test_cli_runner().invoke(args=["ops", "check-schema"]).exit_code == 0
        db.session.remove()
        db.engine.dispose()
    after = rows_by_table(old_site["url"])
    for name, (columns, rows) in before.items():
        if name == "alembic_version":
            continue
        if name in RETIRED:
            assert name not in after
            continue
        assert name in after, f"the upgrade dropped {name}"
        kept = [after[name][0].index(c) for c in columns]
        assert [tuple(r[i] for i in kept) for r in after[name][1]] == rows, f"rows of {name} changed"
    with app.app_context():
        assert authenticate("bok-desk", PASSWORD, "192.0.2.1").username == "bok-desk"
        assert lookup_status(old_site["case"], old_site["code"], "192.0.2.2").number == old_site["case"]
        assert search.rebuild() == len(before["card"][1])
        assert search.search("dowód osobisty").total > 0
        db.session.remove()
        db.engine.dispose()


def test_the_app_server_refuses_an_empty_database(empty_database_url, tmp_path):
    app = make_app(empty_database_url, tmp_path, "empty")
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["ops", "check-schema"])
        assert result.exit_code != 0 and "pustej" in result.output
        db.engine.dispose()


def test_check_schema_passes_on_the_migrated_test_database(runner):
    result = runner.invoke(args=["ops", "check-schema"])
    assert result.exit_code == 0 and "aktualny" in result.output
