"""`flask content import|export|check`: content as code."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from kiosk.errors import DomainError
from kiosk.extensions import db

from .check import MAX_CONSOLIDATED_AGE_YEARS, check_content, count_by_code
from .services import card_paths, export_content, import_content


@click.group("content", help="Import and export content/ (cards and shared facts).")
def content_cli():
    pass


@content_cli.command("import")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def import_command(directory: Path | None):
    """Import DIR (default: the project's content/) in one transaction."""
    directory = directory or Path(current_app.config["KIOSK_CONTENT_DIR"])
    if not directory.is_dir():
        raise click.ClickException(f"Nie ma katalogu {directory}")
    total = len(card_paths(directory))
    try:
        with click.progressbar(length=total, label="Sprawdzanie kart", file=sys.stderr) as bar:
            report = import_content(directory, progress=lambda path: bar.update(1))
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(f"Import przerwany, nic nie zapisano.\n{exc.message}") from None
    facts = sum(report.facts_changed.values())
    click.echo(
        f"Karty: nowe {len(report.created)}, zmienione {len(report.updated)}, "
        f"bez zmian {len(report.unchanged)}; zmienione fakty wspólne: {facts}."
    )
    for slug in report.blocked:
        click.echo(f"pominięto {slug}: karta ma otwarte wydanie w redakcji; dokończ je lub zwróć przed importem")


@content_cli.command("check")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--max-text-age", default=MAX_CONSOLIDATED_AGE_YEARS, show_default=True,
              help="Years a consolidated text may be older than a card's effective date.")  # fmt: skip
@with_appcontext
def check_command(directory: Path | None, max_text_age: int):
    """Report unsourced facts, outdated consolidated texts and editorial doubt in resident text."""
    directory = directory or Path(current_app.config["KIOSK_CONTENT_DIR"])
    if not directory.is_dir():
        raise click.ClickException(f"Nie ma katalogu {directory}")
    findings = check_content(directory, max_text_age)
    for finding in findings:
        click.echo(str(finding))
    if findings:
        counts = ", ".join(f"{code} {n}" for code, n in sorted(count_by_code(findings).items()))
        raise click.ClickException(f"Sprawdzanie treści: {len(findings)} do poprawy ({counts}).")
    click.echo("Sprawdzanie treści: bez uwag.")


@content_cli.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def export_command(directory: Path):
    """Write the published editions and shared facts to DIR."""
    count = export_content(directory)
    click.echo(f"Wyeksportowano kart: {count} do {directory}.")
