"""Accounts for the administrator: create, change roles, disable. Calls kiosk.accounts.services."""

from flask import abort, flash, redirect, url_for
from flask_admin import expose
from sqlalchemy import select

from kiosk.accounts import services
from kiosk.accounts.models import Role, User
from kiosk.errors import DomainError
from kiosk.extensions import db
from kiosk.facts.models import Department

from .cards import me
from .forms import RolesForm, UserForm, choices
from .security import SecuredView

ROLE_LABELS = {Role.EDITOR: "redaktor", Role.APPROVER: "zatwierdzający (merytorycznie)",
               Role.PUBLISHER: "publikujący", Role.FRONT_DESK: "obsługa klienta (BOK)",
               Role.DEPARTMENT_STAFF: "pracownik wydziału", Role.ADMINISTRATOR: "administrator"}  # fmt: skip


def _choices(form) -> dict:
    departments = {str(d.id): d for d in db.session.scalars(select(Department).order_by(Department.name))}
    form.roles.choices = choices((r.value, label) for r, label in ROLE_LABELS.items())
    form.departments.choices = choices((k, d.name) for k, d in departments.items())
    return departments


class UsersView(SecuredView):
    allowed_roles = (Role.ADMINISTRATOR,)

    @expose("/", methods=["GET", "POST"])
    def index(self):
        form = UserForm()
        departments = _choices(form)
        if form.validate_on_submit():
            try:
                services.create_user(form.username.data, form.display_name.data, form.password.data,
                                     form.roles.data, email=form.email.data, actor=me(),
                                     departments=[departments[k] for k in form.departments.data])  # fmt: skip
            except DomainError as exc:
                db.session.rollback()
                getattr(form, exc.field if exc.field in form else "username").errors.append(exc.message)
            else:
                db.session.commit()
                flash("Konto utworzone.", "success")
                return redirect(url_for(".index"))
        users = db.session.scalars(select(User).order_by(User.username)).all()
        return self.render("admin_ui/users.html", users=users, form=form, labels=ROLE_LABELS)

    @expose("/<int:user_id>", methods=["GET", "POST"])
    def edit(self, user_id):
        user = db.session.get(User, user_id) or abort(404)
        form = RolesForm(data={"roles": [r.value for r in user.roles],
                               "departments": [str(d.id) for d in user.departments]})  # fmt: skip
        departments = _choices(form)
        if form.validate_on_submit():
            services.set_roles(user, form.roles.data, me(), [departments[k] for k in form.departments.data])
            db.session.commit()
            flash("Role zapisane.", "success")
            return redirect(url_for(".index"))
        return self.render("admin_ui/user_edit.html", user=user, form=form)

    @expose("/<int:user_id>/disable", methods=["POST"])
    def disable(self, user_id):
        user = db.session.get(User, user_id) or abort(404)
        try:
            services.disable_user(user, me())
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(f"Konto {user.username} wyłączone.", "success")
        return redirect(url_for(".index"))

    @expose("/<int:user_id>/unlock", methods=["POST"])
    def unlock(self, user_id):
        user = db.session.get(User, user_id) or abort(404)
        removed = services.unlock_account(user, me())
        db.session.commit()
        flash(f"Logowanie na konto {user.username} odblokowane (usunięte nieudane próby: {removed}).", "success")
        return redirect(url_for(".index"))
