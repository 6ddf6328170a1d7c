"""The one back-office menu: every module a person may open, one click away, on every back-office page.

Flask-Admin pages show it through their own navbar (`ModuleLink`s for the modules that live in other
blueprints); the freshness and kiosk-fleet pages include `admin_ui/_backoffice_menu.html`, built from
the same list, so both menus name the same modules for the same roles.
"""

from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_admin.menu import MenuLink
from flask_login import current_user

from kiosk.accounts.access import has_any_role
from kiosk.accounts.models import Role

from .security import CARD_ROLES


@dataclass(frozen=True)
class Module:
    label: str
    endpoint: str
    roles: tuple[Role, ...]
    prefix: str  # the URL prefix of the module's pages, to mark the current one


MODULES = (
    Module("Pulpit", "admin.index", (*CARD_ROLES, Role.ADMINISTRATOR), "/admin/"),
    Module("Do podpisu", "inbox.index", (Role.APPROVER, Role.PUBLISHER), "/admin/inbox/"),
    Module("Karty usług", "cards.index_view", CARD_ROLES, "/admin/cards/"),
    Module("Tłumaczenia", "translations.index_view", CARD_ROLES, "/admin/translations/"),
    Module("Świeżość kart", "freshness.dashboard", (Role.EDITOR, Role.ADMINISTRATOR), "/admin/swiezosc/"),
    Module("BOK", "intake.desk", (Role.FRONT_DESK, Role.DEPARTMENT_STAFF, Role.ADMINISTRATOR), "/admin/bok/"),
    Module("Kioski", "kiosk_fleet.fleet", (Role.ADMINISTRATOR,), "/admin/kioski/"),
    Module("Konta", "users.index", (Role.ADMINISTRATOR,), "/admin/users/"),
    Module("Dziennik zmian", "audit.index_view", (Role.ADMINISTRATOR, Role.PUBLISHER), "/admin/audit/"),
)
# Modules served by other blueprints, added to the Flask-Admin navbar as links.
LINKED = ("freshness.dashboard", "intake.desk", "kiosk_fleet.fleet")


def modules_for_current_user() -> list[tuple[Module, str, bool]]:
    """(module, url, is current page) for every module the logged-in person may open."""
    if not current_user.is_authenticated:
        return []
    path = request.path
    current = max((m for m in MODULES if path.startswith(m.prefix)), key=lambda m: len(m.prefix), default=None)
    return [(m, url_for(m.endpoint), m is current) for m in MODULES if has_any_role(*m.roles)]


class ModuleLink(MenuLink):
    """A Flask-Admin menu link shown only to the roles that may open the module."""

    def __init__(self, module: Module):
        super().__init__(module.label, endpoint=module.endpoint)
        self.module = module

    def is_accessible(self) -> bool:
        return has_any_role(*self.module.roles)

    def is_visible(self) -> bool:
        return self.is_accessible()


def init_menu(app: Flask, admin) -> None:
    app.add_template_global(modules_for_current_user, "backoffice_modules")
    for module in MODULES:
        if module.endpoint in LINKED:
            admin.add_link(ModuleLink(module))


def landing_redirect(user) -> str | None:
    """Where a person whose work is not on the dashboard goes instead: the counter screen for the front
    desk, the department's cases for department staff. None: the dashboard is their work (the inbox for
    approvers and publishers, their drafts for editors)."""
    if any(user.has_role(r) for r in (*CARD_ROLES, Role.ADMINISTRATOR)):
        return None
    if user.has_role(Role.FRONT_DESK):
        return url_for("intake.desk")
    if user.has_role(Role.DEPARTMENT_STAFF):
        return url_for("intake.queue", slug="do-przekazania")
    return None
