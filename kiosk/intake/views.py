"""Front-desk screens under /admin/bok/ and the public status lookup at /sprawa: thin views over services."""

from datetime import date
from functools import wraps

import segno
from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from markupsafe import Markup

from kiosk.clock import LOCAL_TZ, today
from kiosk.errors import DomainError, ValidationError
from kiosk.extensions import db
from kiosk.requestargs import id_arg, int_arg, int_list
from kiosk.spreadsheet import csv_text

from . import lookup, picker, queues, services
from .models import CHANNEL_LABELS, DELIVERY_LABELS, NOTIFY_LABELS, CaseStatus

bp = Blueprint("intake", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/intake")  # fmt: skip


def _user():
    return current_user._get_current_object()


def staff_required(desk_only: bool = False):
    """Logged-out people go to the log-in page; only the front desk, administrators (and, unless `desk_only`,
    department staff: the role, not a department link alone) get in."""

    def decorator(fn):
        @wraps(fn)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("admin_auth.login", next=request.full_path))
            if not (services.is_desk(current_user) if desk_only else services.may_use_intake(current_user)):
                abort(403)
            return fn(*args, **kwargs)

        return wrapper

    return decorator


def _date_field(name: str) -> date | None:
    raw = (request.form.get(name) or "").strip()
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        raise ValidationError("Podaj datę w formacie RRRR-MM-DD.", name) from None


def _positions(name: str) -> list[int]:
    return int_list(request.form.getlist(name))


# --- registration -----------------------------------------------------------------------------------


@bp.get("/admin/bok/")
@staff_required()
def desk():
    if not services.is_desk(current_user):
        return redirect(url_for("intake.queue", slug="do-przekazania"))
    typed = request.args.get("card", "")
    if not typed:
        return render_template("intake/register.html", **_register_context(None))
    try:
        card = picker.resolve_card(typed)
    except DomainError as exc:
        return render_template("intake/register.html", **_register_context(None, exc, typed=typed))
    return render_template("intake/register.html", **_register_context(card))


def _register_context(card, error: DomainError | None = None, form=None, typed: str = "") -> dict:
    alternatives = picker.suggest_cards(typed) if card is None and typed else []
    return {"card": card, "typed": card.live_edition.title if card else typed, "alternatives": alternatives,
            "points": services.service_points(), "point_id": session.get("intake_point"), "channels": CHANNEL_LABELS,
            "deliveries": DELIVERY_LABELS, "notices": NOTIFY_LABELS, "error": error, "form": form or {}}  # fmt: skip


@bp.get("/admin/bok/podpowiedzi")
@staff_required(desk_only=True)
def suggest():
    return jsonify({"titles": picker.suggest_cards(request.args.get("q", ""))})


@bp.post("/admin/bok/")
@staff_required(desk_only=True)
def register():
    form, typed = request.form, request.form.get("pick") or request.form.get("card", "")
    try:
        card = picker.resolve_card(typed)
    except DomainError as exc:
        return render_template("intake/register.html", **_register_context(None, exc, form, typed)), exc.status_code
    shown = form.get("checklist_for")  # the card whose documents the clerk ticked; absent outside the screen
    if form.get("step") == "pick" or (shown is not None and shown != str(card.id)):
        return render_template("intake/register.html", **_register_context(card, form=form))
    try:
        location = services.find_point(form.get("point", ""))
        case = services.register_application(
            card, location, _user(), channel=form.get("channel"), delivery=form.get("delivery"),
            applicant_name=form.get("applicant_name"), mdok_ref=form.get("mdok_ref", ""),
            applicant_contact=form.get("applicant_contact"), handed_in=_positions("doc"),
            deadline=_date_field("deadline"), notify=form.get("notify"))  # fmt: skip
    except DomainError as exc:
        db.session.rollback()
        context = _register_context(picker.resolve_card(typed), exc, form)
        return render_template("intake/register.html", **context), exc.status_code
    session["intake_point"] = location.id
    db.session.commit()
    return redirect(url_for("intake.receipt", case_id=case.id))


# --- one case ---------------------------------------------------------------------------------------


@bp.get("/admin/bok/sprawy/<int:case_id>")
@staff_required()
def case_detail(case_id: int):
    case = services.get_case(case_id, _user())
    return render_template("intake/case.html", **_case_context(case))


def _case_context(case, error: DomainError | None = None, form=None) -> dict:
    return {"case": case, "is_desk": services.is_desk(current_user), "deliveries": DELIVERY_LABELS,
            "channels": CHANNEL_LABELS, "notices": NOTIFY_LABELS, "Status": CaseStatus, "error": error,
            "form": form or {}}  # fmt: skip


ACTIONS = {
    "kompletnosc": lambda case, user, form: services.record_completeness(
        case, _positions("doc"), user, _date_field("deadline")),
    "uzupelnienie": lambda case, user, form: services.record_supplement(case, _positions("doc"), user),
    "przekazanie": lambda case, user, form: services.hand_over(case, user),
    "gotowe": lambda case, user, form: services.mark_ready(case, user),
    "wydanie": lambda case, user, form: services.issue_document(
        case, user, form.get("to_whom"), form.get("identity_seen") == "1"),
    "doreczenie": lambda case, user, form: services.deliver(case, user, form.get("method"), form.get("reference")),
    "poprawienie": lambda case, user, form: services.correct_registration(
        case, user, form.get("reason"), **{name: form[name] for name in services.CORRECTABLE if name in form}),
    "anulowanie": lambda case, user, form: services.cancel_registration(case, user, form.get("reason")),
}  # fmt: skip


@bp.post("/admin/bok/sprawy/<int:case_id>/<action>")
@staff_required()
def case_action(case_id: int, action: str):
    case = services.get_case(case_id, _user())
    if action not in ACTIONS:
        abort(404)
    try:
        ACTIONS[action](case, _user(), request.form)
    except DomainError as exc:
        db.session.rollback()
        case = services.get_case(case_id, _user())
        return render_template("intake/case.html", **_case_context(case, exc, request.form)), exc.status_code
    db.session.commit()
    return redirect(url_for("intake.case_detail", case_id=case_id))


@bp.get("/admin/bok/sprawy/<int:case_id>/potwierdzenie")
@staff_required()
def receipt(case_id: int):
    case = services.get_case(case_id, _user())
    status_url = url_for("intake.status", nr=case.number, kod=case.code, _external=True)
    qr = Markup(segno.make(status_url, error="m").svg_inline(scale=3, title="Kod QR do strony statusu sprawy"))
    printer = request.args.get("format") == "paragon"
    return render_template("intake/receipt.html", case=case, qr=qr, status_url=status_url, printer=printer,
                           channels=CHANNEL_LABELS, deliveries=DELIVERY_LABELS)  # fmt: skip


# --- queues and statistics ----------------------------------------------------------------------------


def _filters() -> dict:
    args = request.args
    return {"point": id_arg("point"), "department": id_arg("department"),
            "number": args.get("number", "")[:30], "late": args.get("late") == "1"}  # fmt: skip


@bp.get("/admin/bok/kolejki/<slug>")
@staff_required()
def queue(slug: str):
    filters = _filters()
    if request.args.get("format") == "csv":
        return _csv(slug, queues.queue_rows(slug, _user(), filters))
    page = queues.queue_page(slug, _user(), filters, int_arg("page", 1, 100_000))
    return render_template("intake/queue.html", queue=queues.get_queue(slug), page=page, filters=filters,
                           queues=queues.QUEUES, points=services.service_points(),
                           departments=services.departments(), today=today())  # fmt: skip


def _csv_values(c) -> tuple:
    received = c.received_at.astimezone(LOCAL_TZ)
    ready = c.ready_at.astimezone(LOCAL_TZ).date() if c.ready_at else None
    return (c.number, c.card_title, c.location.display_name, getattr(c.department, "name", ""), c.status_label,
            f"{received:%Y-%m-%d %H:%M}", c.deadline_on, c.expected_on, ready, c.mdok_ref)  # fmt: skip


def _csv(slug: str, cases) -> Response:
    header = ["numer", "sprawa", "punkt", "wydział", "stan", "wpływ", "termin uzupełnienia",
              "przewidywane załatwienie", "gotowe", "Mdok"]  # fmt: skip
    body = csv_text(header, (_csv_values(c) for c in cases), delimiter=";")
    headers = {"Content-Disposition": f'attachment; filename="kolejka-{slug}.csv"'}
    return Response(body, mimetype="text/csv", headers=headers)


@bp.get("/admin/bok/statystyki")
@staff_required()
def stats():
    months = int_arg("miesiace", 12, 36)
    data = queues.statistics(_user(), months, id_arg("department"))
    return render_template("intake/stats.html", data=data, chart=queues.chart(data["months"]), months=months,
                           departments=services.departments())  # fmt: skip


# --- public status lookup -------------------------------------------------------------------------------


@bp.get("/sprawa")
def status():
    number, code = request.args.get("nr", ""), request.args.get("kod", "")
    if not (number and code):
        return render_template("intake/status.html", result=None, error=None, number=number)
    try:
        result = lookup.lookup_status(number, code, request.remote_addr or "")
    except DomainError as exc:
        db.session.commit()  # the failed attempt counts towards the limit
        return render_template("intake/status.html", result=None, error=exc, number=number), exc.status_code
    db.session.commit()
    return render_template("intake/status.html", result=result, error=None, number=number)
