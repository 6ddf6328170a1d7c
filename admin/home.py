"""The back-office start page: what is waiting for me."""

from flask import redirect, url_for
from flask_admin import expose
from flask_login import current_user
from sqlalchemy import select

from kiosk.accounts.models import Role
from kiosk.cards.models import Edition, EditionStatus
from kiosk.extensions import db

from .security import ANY_ROLE, BACK_OFFICE_ROLES, SecuredIndexView, has_any

QUEUES = ((Role.EDITOR, EditionStatus.DRAFT, "Szkice"), (Role.APPROVER, EditionStatus.IN_REVIEW, "Do zatwierdzenia"),
          (Role.PUBLISHER, EditionStatus.APPROVED, "Do publikacji"))  # fmt: skip


class HomeView(SecuredIndexView):
    allowed_roles = ANY_ROLE

    @expose("/")
    def index(self):
        if not has_any(*BACK_OFFICE_ROLES):  # department staff: their work is the intake queue
            return redirect(url_for("intake.queue", slug="do-przekazania"))
        queues = []
        for role, status, title in QUEUES:
            if current_user.has_role(role):
                editions = db.session.scalars(select(Edition).where(Edition.status == status)
                                              .order_by(Edition.updated_at.desc()).limit(50)).all()  # fmt: skip
                queues.append((title, editions))
        return self.render("admin_ui/home.html", queues=queues)
