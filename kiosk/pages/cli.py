"""`flask pages render`: fill the page store with live cards' pages (after a content import, a deploy)."""

import sys
import time

import click
from flask.cli import with_appcontext

from . import services
from .store import page_store


@click.group("pages", help="Rendered public pages every worker shares: render them into the page store.")
def pages_cli():
    pass


@pages_cli.command("render")
@click.option("--all", "every", is_flag=True, help="Every live card.")
@click.option("--slug", "slugs", multiple=True, help="This card (repeat for more).")
@with_appcontext
def render_command(every: bool, slugs: tuple[str, ...]):
    """Render live cards' web page, kiosk screen and JSON, in Polish and each published translation."""
    if every == bool(slugs):
        raise click.UsageError("Podaj --all albo --slug.")
    if not services.store_is_on():
        raise click.ClickException("Magazyn stron wyłączony (KIOSK_PAGE_STORE_DIR lub WEB_PAGE_CACHE): nie ma dokąd "
                                   "renderować.")  # fmt: skip
    if every:
        page_store().sweep()
    cards = services.live_cards(None if every else slugs)
    for slug in sorted(set(slugs) - {slug for slug, _ in cards}):
        click.echo(f"Pominięto {slug}: nie ma takiej opublikowanej karty.", err=True)
    start = time.perf_counter()
    with click.progressbar(length=len(cards), label="Renderowanie stron kart", file=sys.stderr) as bar:
        report = services.render_cards(cards, progress=lambda: bar.update(1))
    click.echo(f"Kart: {report.cards}, stron: {report.pages}, w {time.perf_counter() - start:.1f} s.")
    if report.failed:
        raise click.ClickException(f"Stron, których nie udało się wyrenderować: {report.failed}.")
