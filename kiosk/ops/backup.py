"""Backups and restores of the whole site: the database (pg_dump, or SQLite's online backup API), the
content export next to it for people and git, and a manifest with the row count of every table, which
a restore checks before it reports success.
"""

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import func, inspect, select, table

from kiosk.clock import now
from kiosk.content.services import export_content
from kiosk.errors import ValidationError
from kiosk.extensions import db

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite"
SYNONYMS = "synonyms.yaml"
FORMAT = 1


@dataclass(frozen=True)
class BackupReport:
    directory: Path
    dialect: str
    rows: dict[str, int]
    cards: int


def row_counts() -> dict[str, int]:
    """Rows per table of this database (every table, including alembic_version)."""
    names = sorted(inspect(db.engine).get_table_names())
    return {name: db.session.scalar(select(func.count()).select_from(table(name))) for name in names}


def _pg_target(url) -> tuple[str, dict]:
    """A libpq URI without the password, and the environment that carries the password."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    uri = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def _run(command: list[str], env: dict | None = None) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError:
        raise ValidationError(f"Brak programu {command[0]} (pakiet postgresql-client).") from None
    if result.returncode != 0:
        raise ValidationError(f"{command[0]} zakończył się błędem:\n{result.stderr.strip()[-2000:]}")


def backup_site(directory: Path) -> BackupReport:
    """Write the database, the content export and a manifest to a new or empty `directory`."""
    if directory.exists() and any(directory.iterdir()):
        raise ValidationError(f"Katalog {directory} nie jest pusty – kopia nigdy nie nadpisuje innej kopii.")
    directory.mkdir(parents=True, exist_ok=True)
    url = db.engine.url
    rows = row_counts()
    db.session.rollback()  # the counts and the copy must not wait on each other's locks
    if url.get_backend_name() == "postgresql":
        uri, env = _pg_target(url)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(directory / PG_DUMP),
              uri], env)  # fmt: skip
    elif url.get_backend_name() == "sqlite":
        _sqlite_copy(Path(url.database), directory / SQLITE_COPY)
    else:
        raise ValidationError(f"Nieobsługiwana baza danych: {url.get_backend_name()}")
    cards = export_content(directory / "content")
    if _synonyms_file().exists():  # not in the database: editors extend it from search gaps at run time
        shutil.copyfile(_synonyms_file(), directory / "content" / SYNONYMS)
    manifest = {"format": FORMAT, "created_at": now().isoformat(), "dialect": url.get_backend_name(),
                "rows": rows, "cards": cards}  # fmt: skip
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return BackupReport(directory, manifest["dialect"], rows, cards)


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while the site writes."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def read_manifest(directory: Path) -> dict:
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ValidationError(f"W katalogu {directory} nie ma kopii (brak lub uszkodzony {MANIFEST}).") from None
    if manifest.get("format") != FORMAT:
        raise ValidationError(f"Nieznany format kopii: {manifest.get('format')!r}.")
    return manifest


def restore_site(directory: Path) -> dict[str, int]:
    """Load a backup into this app's empty database and prove every table has its rows back."""
    manifest = read_manifest(directory)
    url = db.engine.url
    if manifest["dialect"] != url.get_backend_name():
        raise ValidationError(
            f"Kopia pochodzi z bazy {manifest['dialect']}, a docelowa to {url.get_backend_name()}; "
            "przenieś dane przez `flask content import` z katalogu content/ kopii."
        )
    if inspect(db.engine).get_table_names():
        raise ValidationError("Baza docelowa nie jest pusta – odtwarzaj tylko do nowej, pustej bazy.")
    db.session.remove()
    db.engine.dispose()
    if manifest["dialect"] == "postgresql":
        uri, env = _pg_target(url)
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
              "--dbname", uri, str(directory / PG_DUMP)], env)  # fmt: skip
    else:
        _sqlite_copy(directory / SQLITE_COPY, Path(url.database))
    restored = row_counts()
    missing = {name: (count, restored.get(name)) for name, count in manifest["rows"].items()
               if restored.get(name) != count}  # fmt: skip
    if missing:
        lines = "\n".join(f"  {name}: w kopii {want}, po odtworzeniu {got}" for name, (want, got) in missing.items())
        raise ValidationError(f"Odtworzenie niepełne:\n{lines}")
    return restored


def _synonyms_file() -> Path:
    return Path(current_app.config["KIOSK_CONTENT_DIR"]) / SYNONYMS


def restore_synonyms(directory: Path) -> bool:
    """Put the backup's synonyms (editors add to them from search gaps) back into KIOSK_CONTENT_DIR."""
    source = directory / "content" / SYNONYMS
    if not source.exists():
        return False
    shutil.copyfile(source, _synonyms_file())
    return True
