"""`flask cards ...`: scheduled publishing."""

import click
from flask.cli import with_appcontext

from kiosk.extensions import db

from .services import publish_due


@click.group("cards", help="Service cards.")
def cards_cli():
    pass


@cards_cli.command("publish-due")
@with_appcontext
def publish_due_command():
    """Publish scheduled editions whose effective date has come."""
    voided = []
    editions = publish_due(voided=voided)
    db.session.commit()
    for edition in editions:
        click.echo(f"opublikowano {edition.card.slug}: {edition.label}")
    for edition in voided:
        click.echo(f"wstrzymano {edition.card.slug}: {edition.label} – treść różni się od zatwierdzonej", err=True)
    click.echo(f"Opublikowano wydań: {len(editions)}.")
