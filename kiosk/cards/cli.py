"""`flask cards ...`: scheduled publishing; `flask translations ...`: the translation workflow for scripts."""

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from kiosk.accounts.services import get_user
from kiosk.errors import DomainError
from kiosk.extensions import db
from kiosk.pages import services as pages

from .models import Card
from .services import publish_due
from .translation_desk import STATES, polish_changes, translation_state, translation_states
from .translation_models import TRANSLATION_LANGUAGES
from .translations import (
    approve_translation,
    open_translation_of,
    publish_translation,
    send_back_translation,
    submit_translation,
)


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
    if editions and pages.store_is_on():  # as a publish in the back office does, in the background
        pages.render_cards(pages.live_cards({edition.card.slug for edition in editions}))
    for edition in voided:
        click.echo(f"wstrzymano {edition.card.slug}: {edition.label} – treść różni się od zatwierdzonej", err=True)
    click.echo(f"Opublikowano wydań: {len(editions)}.")


# --- translations (issue 14): the same domain functions as the back-office screen ---------------------

translations_cli = click.Group("translations", help="Tłumaczenia kart (en, uk).")
LANGUAGES = click.Choice(TRANSLATION_LANGUAGES)


def _run(fn, *args):
    try:
        result = fn(*args)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    db.session.commit()
    return result


def _card(slug: str) -> Card:
    card = db.session.scalar(select(Card).where(Card.slug == slug))
    if card is None:
        raise click.ClickException(f"Nie ma karty „{slug}”.")
    return card


def _open(slug: str, language: str):
    tr = open_translation_of(_card(slug), language)
    if tr is None:
        raise click.ClickException(f"Karta {slug} nie ma otwartego tłumaczenia ({language}).")
    return tr


@translations_cli.command("list")
@click.option("--lang", "language", type=LANGUAGES, help="Tylko ten język.")
@click.option("--behind", is_flag=True, help="Tylko tłumaczenia w tyle za polską kartą.")
@click.option("--state", type=click.Choice(STATES), help="Tylko karty w tym stanie.")
def list_command(language, behind, state):
    """Every published card per language: slug, language, state(s), owner."""
    rows = translation_states(language, "behind" if behind else state)
    for row in rows:
        click.echo(f"{row.card.slug}\t{row.language}\t{','.join(row.states)}\t{row.card.owner_name or '—'}")
    click.echo(f"Razem: {len(rows)}.", err=True)


@translations_cli.command("changes")
@click.argument("slug")
@click.argument("language", type=LANGUAGES)
def changes_command(slug, language):
    """The Polish texts that changed under the card's translation (old → new)."""
    state = translation_state(_card(slug), language)
    source = state.open or state.published
    changes = polish_changes(source, state.card.live_edition) if source else []
    for c in changes:
        click.echo(f"{c.kind}{'' if c.position is None else f' {c.position + 1}'}: {c.old!r} → {c.new!r}")
    click.echo(f"Zmienionych tekstów: {len(changes)}.", err=True)


def _step(name: str, fn, done: str, *options):
    @translations_cli.command(name)
    @click.argument("slug")
    @click.argument("language", type=LANGUAGES)
    @click.option("--user", "username", required=True, help="Kto wykonuje krok (nazwa konta).")
    def command(slug, language, username, comment=None):
        actor = _run(get_user, username)
        _run(fn, _open(slug, language), actor, *([comment] if comment is not None else []))
        click.echo(f"{slug} ({language}): {done}.")

    command.__doc__ = f"{done.capitalize()}: the card's open translation, as --user."
    for option in options:
        command = option(command)
    return command


_step("submit", submit_translation, "przekazano do zatwierdzenia")
_step("approve", approve_translation, "zatwierdzono")
_step("publish", publish_translation, "opublikowano")
_step("send-back", send_back_translation, "zwrócono do poprawy",
      click.option("--comment", required=True, help="Powód zwrotu."))  # fmt: skip
