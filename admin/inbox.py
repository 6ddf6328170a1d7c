"""The approver's and publisher's inbox: editions and translations waiting for my signature, with what they change."""

from flask_admin import expose
from flask_login import current_user

from kiosk.accounts.models import Role
from kiosk.cards import services
from kiosk.cards.translations import translations_awaiting

from .security import SecuredView

INBOX_ROLES = (Role.APPROVER, Role.PUBLISHER)


class InboxView(SecuredView):
    allowed_roles = INBOX_ROLES

    @expose("/")
    def index(self):
        user = current_user._get_current_object()
        items = [(e, services.changes_against_live(e)) for e in services.editions_awaiting(user)]
        return self.render("admin_ui/inbox.html", items=items, translations=translations_awaiting(user))
