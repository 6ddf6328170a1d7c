"""`flask users ...`: the first administrator and scripted account management."""

import click
from sqlalchemy import select

from kiosk.errors import DomainError
from kiosk.extensions import db
from kiosk.facts.models import Department

from . import services
from .models import Role

ROLE_NAMES = [r.value for r in Role]

users_cli = click.Group("users", help="Konta redaktorów back office.")


def _departments(slugs) -> list[Department]:
    found = list(db.session.scalars(select(Department).where(Department.slug.in_(slugs)))) if slugs else []
    missing = set(slugs) - {d.slug for d in found}
    if missing:
        raise click.ClickException(f"Nieznane wydziały: {', '.join(sorted(missing))}")
    return found


def _run(fn, *args, **kwargs):
    try:
        result = fn(*args, **kwargs)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    db.session.commit()
    return result


@users_cli.command("create")
@click.argument("username")
@click.option("--name", "display_name", default="", help="Imię i nazwisko.")
@click.option("--email", default="")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLE_NAMES), help="Można podać kilka razy.")
@click.option(
    "--department", "departments", multiple=True, help="Slug wydziału (zatwierdzającego albo pracownika wydziału)."
)
@click.password_option("--password", help="Hasło (pytanie, gdy brak).")
def create(username, display_name, email, roles, departments, password):
    """Create an account."""
    user = _run(services.create_user, username, display_name, password, roles, email=email,
                departments=_departments(departments))  # fmt: skip
    click.echo(f"Utworzono konto {user.username} (role: {user.roles_csv or 'brak'}).")


@users_cli.command("set-roles")
@click.argument("username")
@click.argument("roles", nargs=-1, type=click.Choice(ROLE_NAMES))
@click.option("--department", "departments", multiple=True, help="Zastępuje listę wydziałów, gdy podana.")
def set_roles(username, roles, departments):
    """Replace an account's roles; with none, the account keeps no access and its sessions end."""
    user = _run(services.get_user, username)
    _run(services.set_roles, user, roles, departments=_departments(departments) if departments else None)
    click.echo(f"{user.username}: role {user.roles_csv or 'brak'}.")


@users_cli.command("disable")
@click.argument("username")
def disable(username):
    """Switch an account off and end its sessions."""
    user = _run(services.get_user, username)
    _run(services.disable_user, user)
    click.echo(f"Konto {user.username} wyłączone.")


@users_cli.command("unlock")
@click.argument("username", required=False)
@click.option("--address", default=None, help="Adres IP, z którego próby zapomnieć (np. wspólny adres urzędu).")
def unlock(username, address):
    """Forget failed log-ins to an account (from every address, or one) or from one address."""
    if not username and not address:
        raise click.UsageError("Podaj nazwę konta, --address albo oba.")
    if username:
        user = _run(services.get_user, username)
        removed = _run(services.unlock_account, user, address=address)
        click.echo(f"Konto {user.username}: usunięto nieudane próby logowania: {removed}.")
    else:
        removed = _run(services.unlock_address, address)
        click.echo(f"Adres {address}: usunięto nieudane próby logowania: {removed}.")
