"""The approver's and publisher's inbox: editions waiting for my signature, with what they change."""

from flask_admin import expose
from flask_login import current_user

from kiosk.accounts.models import Role
from kiosk.cards import services

from .security import SecuredView

INBOX_ROLES = (Role.APPROVER, Role.PUBLISHER)


class InboxView(SecuredView):
    allowed_roles = INBOX_ROLES

    @expose("/")
    def index(self):
        editions = services.editions_awaiting(current_user._get_current_object())
        items = [(e, services.changes_against_live(e)) for e in editions]
        return self.render("admin_ui/inbox.html", items=items)
