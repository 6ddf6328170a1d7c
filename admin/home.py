"""The back-office start page: each person's work, and every module they may open."""

from flask import redirect
from flask_admin import expose
from flask_login import current_user
from sqlalchemy import select

from kiosk.accounts.models import Role
from kiosk.cards import services
from kiosk.cards.models import Edition, EditionContributor, EditionStatus
from kiosk.cards.translations import translations_awaiting
from kiosk.extensions import db

from .menu import landing_redirect
from .security import ANY_ROLE, SecuredIndexView


def my_drafts(user) -> list[Edition]:
    """Drafts `user` contributed to, the ones sent back first."""
    mine = select(EditionContributor.edition_id).where(EditionContributor.user_id == user.id)
    query = select(Edition).where(Edition.status == EditionStatus.DRAFT, Edition.id.in_(mine))
    drafts = db.session.scalars(query.order_by(Edition.updated_at.desc()).limit(100)).all()
    return sorted(drafts, key=lambda e: not e.comment)


class HomeView(SecuredIndexView):
    allowed_roles = ANY_ROLE

    @expose("/")
    def index(self):
        user = current_user._get_current_object()
        target = landing_redirect(user)
        if target:
            return redirect(target)
        signs = user.has_role(Role.APPROVER) or user.has_role(Role.PUBLISHER)
        inbox = [(e, services.changes_against_live(e)) for e in services.editions_awaiting(user)] if signs else None
        drafts = my_drafts(user) if user.has_role(Role.EDITOR) else None
        translations = translations_awaiting(user) if signs else None
        return self.render("admin_ui/home.html", inbox=inbox, drafts=drafts, translations=translations)
