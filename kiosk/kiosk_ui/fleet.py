"""The kiosk fleet in the back office (/admin/kioski/): register, edit, retire, reissue a token."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from kiosk.accounts.access import check_roles
from kiosk.accounts.models import Role
from kiosk.errors import DomainError
from kiosk.extensions import db
from kiosk.facts import services as facts
from kiosk.facts.models import Location

from . import services
from .forms import EditKioskForm, RegisterKioskForm, ReissueTokenForm, RetireKioskForm

bp = Blueprint("kiosk_fleet", __name__, url_prefix="/admin/kioski", template_folder="templates")


@bp.before_request
def administrators_only():
    return check_roles(Role.ADMINISTRATOR)


def _actor():
    return current_user._get_current_object()


def _points(form) -> None:
    form.location.choices = [(0, "— bez punktu —")] + [(p.id, p.name) for p in facts.list_service_points()]


def _location(form) -> Location | None:
    return db.session.get(Location, form.location.data) if form.location.data else None


def _start_url(kiosk, token: str) -> str:
    return url_for("kiosk_ui.home", k=kiosk.code, t=token, _external=True)


@bp.route("/", methods=["GET", "POST"])
def fleet():
    form = RegisterKioskForm()
    _points(form)
    if form.validate_on_submit():
        try:
            kiosk, token = services.register_kiosk(form.code.data, form.name.data, _location(form),
                                                   form.has_printer.data, actor=_actor())  # fmt: skip
        except DomainError as exc:
            db.session.rollback()
            getattr(form, getattr(exc, "field", "") or "code", form.code).errors.append(exc.message)
        else:
            db.session.commit()
            flash(f"Zarejestrowano kiosk „{kiosk.code}”. Adres startowy (zapisz go, token pokazujemy raz): "
                  f"{_start_url(kiosk, token)}")  # fmt: skip
            return redirect(url_for(".fleet"))
    return render_template("kiosk_ui/fleet.html", rows=services.fleet_status(), form=form,
                           version=services.content_version())  # fmt: skip


@bp.route("/<code>", methods=["GET", "POST"])
def edit(code: str):
    kiosk = services.get_kiosk(code)
    form = EditKioskForm(obj=kiosk if not kiosk.retired_at else None, location=kiosk.location_id or 0)
    _points(form)
    if form.validate_on_submit():
        try:
            services.edit_kiosk(kiosk, form.name.data, _location(form), form.has_printer.data, _actor())
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(f"Zapisano zmiany kiosku „{kiosk.code}”.")
            return redirect(url_for(".fleet"))
    return render_template("kiosk_ui/fleet_edit.html", kiosk=kiosk, form=form, retire=RetireKioskForm(),
                           reissue=ReissueTokenForm())  # fmt: skip


@bp.post("/<code>/wycofaj")
def retire(code: str):
    kiosk = services.get_kiosk(code)
    form = RetireKioskForm()
    if form.validate_on_submit():
        try:
            services.retire_kiosk(kiosk, _actor(), form.reason.data or "")
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return redirect(url_for(".edit", code=kiosk.code))
        db.session.commit()
        flash(f"Kiosk „{kiosk.code}” wycofano z użycia: jego token już nie działa.")
    return redirect(url_for(".fleet"))


@bp.post("/<code>/token")
def reissue(code: str):
    kiosk = services.get_kiosk(code)
    if ReissueTokenForm().validate_on_submit():
        try:
            token = services.reissue_kiosk_token(kiosk, _actor())
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return redirect(url_for(".edit", code=kiosk.code))
        db.session.commit()
        flash(f"Nowy token kiosku „{kiosk.code}”; stary już nie działa. Nowy adres startowy (pokazujemy go raz): "
              f"{_start_url(kiosk, token)}")  # fmt: skip
    return redirect(url_for(".fleet"))
