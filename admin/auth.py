"""Log-in, log-out and change-password pages (outside Flask-Admin so logged-out people can reach them)."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from kiosk.accounts import services
from kiosk.errors import DomainError, ValidationError
from kiosk.extensions import db
from kiosk.links import local_target

from .forms import LoginForm, PasswordForm

bp = Blueprint("admin_auth", __name__, url_prefix="/admin", template_folder="templates",
               static_folder="static", static_url_path="/assets")  # fmt: skip


def _safe_next(target: str | None) -> str:
    return local_target(target, url_for("admin.index"), "/admin")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data, request.remote_addr or "")
        except DomainError as exc:
            db.session.commit()  # the failed attempt counts towards the limit
            form.password.errors.append(exc.message)
            status = exc.status_code
        else:
            services.start_session(user)
            db.session.commit()
            session.clear()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("admin_ui/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    services.end_session(current_user.session_token)
    db.session.commit()
    logout_user()
    session.clear()
    flash("Wylogowano.", "info")
    return redirect(url_for("admin_auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.old_password.data, form.new_password.data)
        except ValidationError as exc:
            db.session.rollback()
            getattr(form, exc.field if exc.field in form else "new_password").errors.append(exc.message)
        else:
            services.start_session(user)  # every other session ended; this browser stays logged in
            db.session.commit()
            login_user(user)
            flash("Hasło zostało zmienione; pozostałe sesje tego konta zostały zakończone.", "success")
            return redirect(url_for("admin.index"))
    return render_template("admin_ui/password.html", form=form)
