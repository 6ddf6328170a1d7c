"""`flask freshness check|report|remind|snapshot`: thin wrappers over the freshness services."""

import sys

import click
from flask.cli import AppGroup

from kiosk.extensions import db

from . import checks, reminders, services

freshness_cli = AppGroup("freshness", help="Świeżość kart: kontrole, raport, przypomnienia.")


@freshness_cli.command("check")
def check_command():
    """Run the content checks over all cards, store the findings and today's snapshot."""
    opened, closed = checks.run_checks()
    purged = services.purge_feedback()
    snapshot = services.take_snapshot()
    db.session.commit()
    click.echo(f"Kontrola treści: nowe problemy {opened}, usunięte {closed}; usunięte stare zgłoszenia {purged}.")
    click.echo(f"Stan: {snapshot.fresh} aktualnych, {snapshot.due_soon} wkrótce, {snapshot.overdue} po terminie, "
               f"{snapshot.flagged} z flagą przeglądu.")  # fmt: skip


@freshness_cli.command("report")
def report_command():
    """Print the freshness table per department."""
    summary = services.summarise(services.card_statuses())
    if services.last_check_at() is None:
        click.echo(
            "Kontrola treści jeszcze się nie odbyła (flask freshness check): "
            "karty w terminie przeglądu mają stan „nie sprawdzono”."
        )
    header = (f"{'Wydział':<50} {'razem':>6} {'aktualne':>9} {'niesprawdz.':>12} {'wkrótce':>8} {'po terminie':>12} "
              f"{'z flagą':>8}")  # fmt: skip
    click.echo(header)
    click.echo("-" * len(header))
    rows = [*summary["departments"].items(), ("RAZEM", {**summary["totals"], "total": summary["total"],
                                                          "flagged": summary["flagged"]})]  # fmt: skip
    for name, row in rows:
        click.echo(f"{name[:50]:<50} {row['total']:>6} {row[services.FRESH]:>9} {row[services.UNCHECKED]:>12} "
                   f"{row[services.DUE_SOON]:>8} "
                   f"{row[services.OVERDUE]:>12} {row['flagged']:>8}")  # fmt: skip


@freshness_cli.command("remind")
def remind_command():
    """E-mail each owner a digest (once a day) and escalate long-overdue cards to department heads."""
    pending, orphans = reminders.plan_reminders()
    if orphans:
        click.echo(f"Uwaga: {orphans} kart wymaga uwagi, ale nie ma adresu właściciela ani wydziału.")
    if not pending:
        click.echo("Brak przypomnień do wysłania (dzisiejsze już wysłano albo nic nie czeka).")
        return
    sent, failed = reminders.send_reminders(pending, commit=db.session.commit)
    db.session.commit()
    click.echo(f"Wysłano {sent} przypomnień; nieudane {failed} (zostaną ponowione przy następnym uruchomieniu).")
    if failed:
        sys.exit(1)


@freshness_cli.command("snapshot")
def snapshot_command():
    """Store today's counts for the trend chart."""
    row = services.take_snapshot()
    db.session.commit()
    click.echo(f"Zapisano stan z {row.day:%d.%m.%Y}: {row.overdue} kart po terminie z {row.total}.")
