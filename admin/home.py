"""The back-office start page: what is waiting for me."""

from flask_admin import expose
from flask_login import current_user
from sqlalchemy import select

from kiosk.accounts.models import Role
from kiosk.cards.models import Edition, EditionStatus
from kiosk.extensions import db

from .security import SecuredIndexView

QUEUES = ((Role.EDITOR, EditionStatus.DRAFT, "Szkice"), (Role.APPROVER, EditionStatus.IN_REVIEW, "Do zatwierdzenia"),
          (Role.PUBLISHER, EditionStatus.APPROVED, "Do publikacji"))  # fmt: skip


class HomeView(SecuredIndexView):
    @expose("/")
    def index(self):
        queues = []
        for role, status, title in QUEUES:
            if current_user.has_role(role):
                editions = db.session.scalars(select(Edition).where(Edition.status == status)
                                              .order_by(Edition.updated_at.desc()).limit(50)).all()  # fmt: skip
                queues.append((title, editions))
        return self.render("admin_ui/home.html", queues=queues)
