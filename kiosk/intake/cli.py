"""`flask intake ...`: the daily jobs (expire supplement deadlines, remind applicants, purge personal data) and
card rules."""

import click
from sqlalchemy import select

from kiosk.cards.models import Card
from kiosk.errors import DomainError
from kiosk.extensions import db

from . import notifications, services

intake_cli = click.Group("intake", help="Kolejka przyjmowania wniosków (BOK).")


@intake_cli.command("expire")
def expire_command():
    """Leave unprocessed the incomplete cases whose supplement deadline has passed."""
    cases = services.expire_deadlines()
    db.session.commit()
    click.echo(f"Pozostawiono bez rozpoznania: {len(cases)}.")


@intake_cli.command("purge")
def purge_command():
    """Remove personal data from cases closed, or stalled, longer than their retention period."""
    count = services.purge_personal_data()
    db.session.commit()
    click.echo(f"Usunięto dane osobowe z {count} zamkniętych lub porzuconych spraw.")


@intake_cli.command("remind")
def remind_command():
    """Send the applicants' notices that are due: supplement deadlines 2 working days away, and retries."""
    sent, failed = notifications.send_due()
    click.echo(f"Wysłano powiadomień: {sent}" + (f", nieudane {failed} (ponowienie przy następnym uruchomieniu)."
                                                  if failed else "."))  # fmt: skip
    if failed:
        raise SystemExit(1)


@intake_cli.command("rule")
@click.argument("slug")
@click.option("--days", type=int, default=None, help="Termin na uzupełnienie braków w dniach (domyślnie 7).")
@click.option("--post", default="", help="Stanowisko, do którego trafiają wnioski, jeśli nie wydział karty.")
def rule_command(slug: str, days: int | None, post: str):
    """Set a card's supplement deadline and handover post."""
    card = db.session.scalar(select(Card).where(Card.slug == slug))
    if card is None:
        raise click.ClickException(f"Nie ma karty „{slug}”.")
    try:
        services.set_card_rule(card, None, days, post)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(f"Zapisano regułę dla „{slug}”.")
