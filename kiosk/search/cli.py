"""`flask search rebuild|query|gaps`: thin wrappers over the search services."""

import json
import sys

import click
from flask.cli import with_appcontext

from kiosk.extensions import db

from . import services


@click.group("search", help="Search index: rebuild it, try a query, list what residents could not find, purge the log.")
def search_cli():
    pass


@search_cli.command("rebuild")
@with_appcontext
def rebuild_command():
    """Rebuild the index from the published cards (repairs a missing or corrupt index)."""
    with click.progressbar(length=services.published_count(), label="Indeksowanie kart", file=sys.stderr) as bar:
        count = services.rebuild(progress=lambda: bar.update(1))
    click.echo(f"Zaindeksowano kart: {count}.")


@search_cli.command("query")
@click.argument("text")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON as the API.")
@with_appcontext
def query_command(text: str, limit: int, as_json: bool):
    """Search as a resident would (the query is not logged)."""
    response = services.search(text, limit=limit)
    if as_json:
        click.echo(json.dumps(response.to_dict(), ensure_ascii=False, indent=2))
        return
    if response.degraded:
        click.echo("Uwaga: indeks niedostępny, wyniki z prostego wyszukiwania w bazie.")
    click.echo(f"Znaleziono: {response.total}" + (" – najczęściej wybierane karty:" if not response.total else ""))
    for n, hit in enumerate(response.results, 1):
        click.echo(f"{n:>3}. {hit.title}  [{hit.slug}]  {hit.score:.2f}")
    if response.suggestion:
        click.echo(f"Czy chodziło o: {response.suggestion}?")


@search_cli.command("gaps")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1000))
@with_appcontext
def gaps_command(limit: int):
    """Queries that found nothing or whose results nobody opened, most frequent first."""
    gaps = services.query_gaps(limit=limit)
    if not gaps:
        click.echo("Brak zapytań bez wyników.")
    for gap in gaps:
        click.echo(f"{gap.zero_results:>6} bez wyników {gap.no_click:>6} bez otwarcia  {gap.query}")


@search_cli.command("purge-log")
@with_appcontext
def purge_log_command():
    """Delete logged searches older than SEARCH_LOG_RETENTION_DAYS (daily job)."""
    count = services.purge_query_log()
    db.session.commit()
    click.echo(f"Usunięto z dziennika wyszukiwań starsze wpisy: {count}.")
