"""`flask ops backup|restore`: thin wrappers over kiosk.ops.backup."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from kiosk.errors import DomainError
from kiosk.search import services as search

from .backup import backup_site, restore_site, restore_synonyms
from .schema import schema_heads


@click.group("ops", help="Operations: back up the site and restore it into an empty database.")
def ops_cli():
    pass


@ops_cli.command("backup")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(directory: Path):
    """Write the database, the content export and a manifest to DIR (new or empty)."""
    try:
        report = backup_site(directory)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Kopia ({report.dialect}) w {directory}: tabel {len(report.rows)}, "
               f"wierszy {sum(report.rows.values())}, kart w content/ {report.cards}.")  # fmt: skip


@ops_cli.command("restore")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def restore_command(directory: Path):
    """Load the backup in DIR into the (empty) configured database, check every table, rebuild the index."""
    try:
        rows = restore_site(directory)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    synonyms = restore_synonyms(directory)
    indexed = search.rebuild()
    click.echo(f"Odtworzono tabel {len(rows)}, wierszy {sum(rows.values())} (zgodnie z manifestem); "
               f"synonimy {'odtworzone' if synonyms else 'bez zmian'}; zaindeksowano kart: {indexed}.")  # fmt: skip


@ops_cli.command("check-schema")
@with_appcontext
def check_schema_command():
    """Exit non-zero unless the database is at this release's migration heads (run before serving)."""
    current, heads = schema_heads()
    if current != heads:
        raise click.ClickException(
            f"Baza jest w wersji {', '.join(sorted(current)) or 'pustej'}, a ten kod wymaga "
            f"{', '.join(sorted(heads))}. Najpierw `flask db upgrade heads` (okienko-migrate), potem serwer."
        )
    click.echo(f"Schemat bazy aktualny ({', '.join(sorted(heads))}).")
