"""The editor back office at /admin: Flask-Admin views over the card workflow, shared facts and accounts."""

from flask import Flask
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from kiosk.extensions import login_manager
from kiosk.web.security import csp_nonce


def init_admin(app: Flask) -> Admin:
    """Build a fresh Admin for `app` with every back-office view."""
    from . import auth, cards, facts, home, inbox, menu, translations, users

    login_manager.login_view = "admin_auth.login"
    login_manager.login_message = "Zaloguj się, aby otworzyć tę stronę."
    login_manager.login_message_category = "warning"
    app.register_blueprint(auth.bp)
    admin = Admin(app, name="Okienko – redakcja", url="/admin", index_view=home.HomeView(name="Pulpit"),
                  theme=Bootstrap4Theme(base_template="admin_ui/base.html", fluid=True),
                  csp_nonce_generator=csp_nonce)  # fmt: skip
    admin.add_view(inbox.InboxView(name="Do podpisu", endpoint="inbox", url="inbox"))
    admin.add_view(cards.CardsView(name="Karty usług", endpoint="cards", url="cards"))
    admin.add_view(translations.TranslationsView(name="Tłumaczenia", endpoint="translations", url="translations"))
    facts.add_views(admin)
    admin.add_view(users.UsersView(name="Konta", endpoint="users", url="users", category="Administracja"))
    menu.init_menu(app, admin)
    return admin
