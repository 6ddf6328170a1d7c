"""Resident feedback on a card (public) and the freshness dashboard in the back office (/admin/swiezosc/)."""

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError, validate_csrf
from sqlalchemy import select
from wtforms.validators import ValidationError as CSRFInvalid

from kiosk.accounts.access import roles_required
from kiosk.accounts.models import Role
from kiosk.cards.models import Card
from kiosk.cards.translations import translations_behind
from kiosk.errors import DomainError, NotFound, PermissionDenied, ValidationError
from kiosk.extensions import csrf, db
from kiosk.links import local_target
from kiosk.web.errors import render_error

from . import exports, gaps, services, verification
from .chart import trend_chart
from .links import subject_url
from .models import Feedback, ReviewFlag

bp = Blueprint("freshness", __name__, template_folder="templates")
HONEYPOT = "strona_www"
FEEDBACK_BODY_LIMIT = 32 * 1024
LIST_LIMIT = 50


@bp.app_template_global()
def freshness_of(card) -> services.PublicFreshness:
    """For card pages: when the card was verified and whether residents should be warned it is old."""
    return services.public_freshness(card)


@bp.app_template_global()
def verification_of(card) -> verification.Verification:
    """For card pages: verified (owner confirmed, no open doubt) or what is still being confirmed."""
    return verification.verification_status(card)


# --- public feedback ----------------------------------------------------------------------------------


def _back(default: str) -> str:
    return local_target(request.form.get("back", ""), default)


@bp.get("/uslugi/<slug>/zgloszenie")
def feedback_form(slug: str):
    card = _public_card(slug)
    return render_template("freshness/feedback.html", card=card, values={}, error=None, feedback_open=True,
                           back=url_for("web.card", slug=slug))  # fmt: skip


@bp.post("/uslugi/<slug>/zgloszenie")
@csrf.exempt  # validated below, so an expired token keeps what the resident wrote instead of losing it
def feedback_submit(slug: str):
    request.max_content_length = FEEDBACK_BODY_LIMIT  # a 100 KB post is a 413 with a message, never a 500
    card = _public_card(slug)
    form = request.form
    back = _back(url_for("web.card", slug=slug))
    if form.get(HONEYPOT):
        return render_template("freshness/feedback_thanks.html", card=card, back=back)
    values = {"message": form.get("message", ""), "contact": form.get("contact", "")}
    try:
        validate_csrf(form.get("csrf_token"))
    except (CSRFInvalid, CSRFError):
        return _form_again(card, values, back, "Formularz wygasł. Sprawdź treść i wyślij ponownie.", 400)
    try:
        services.submit_feedback(slug, values["message"], values["contact"], request.remote_addr or "",
                                 form.get("channel", "web"))  # fmt: skip
    except ValidationError as exc:
        db.session.rollback()
        return _form_again(card, values, back, exc.message, exc.status_code)
    db.session.commit()
    return render_template("freshness/feedback_thanks.html", card=card, back=back)


def _form_again(card: Card, values: dict, back: str, error: str, status: int):
    """The form with what the resident wrote, a fresh token and the reason it was not accepted."""
    page = render_template("freshness/feedback.html", card=card, values=values, error=error, back=back,
                           feedback_open=True)  # fmt: skip
    return page, status


def _public_card(slug: str) -> Card:
    card = db.session.scalar(select(Card).where(Card.slug == slug, Card.live_edition_id.is_not(None)))
    if card is None:
        raise NotFound("Nie ma takiej karty.")
    return card


# --- the back-office dashboard ------------------------------------------------------------------------


editor_required = roles_required(Role.EDITOR, Role.ADMINISTRATOR)  # the dashboard is for editors


@bp.get("/admin/swiezosc/")
@editor_required
def dashboard():
    statuses = services.card_statuses()
    by_id = {s.card_id: s for s in statuses}
    lists = {name: exports.in_state(statuses, state) for name, state in exports.STATE_LISTS.items()}
    lists["z-flaga"] = exports.flagged(statuses)
    return render_template(
        "freshness/dashboard.html", summary=services.summarise(statuses), limit=LIST_LIMIT, lists=lists,
        last_check=services.last_check_at(), flags=services.open_flags(limit=LIST_LIMIT), by_id=by_id,
        flag_count=services.count_open(ReviewFlag), feedback=services.open_feedback(LIST_LIMIT),
        feedback_count=services.count_open(Feedback), gaps=gaps.content_gaps(limit=LIST_LIMIT),
        chart=trend_chart(services.snapshots()), subject_url=subject_url, states=services.STATE_LABELS,
        translations_behind=translations_behind(),
    )  # fmt: skip


@bp.get("/admin/swiezosc/<name>.csv")
@editor_required
def export_csv(name: str):
    if name not in exports.LISTS:
        raise NotFound("Nie ma takiej listy.")
    body = exports.to_csv(name)
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=swiezosc-{name}.csv"})  # fmt: skip


@bp.get("/admin/swiezosc/moje-karty")
@login_required
def my_cards():
    cards = services.owned_statuses(current_user._get_current_object())
    return render_template("freshness/my_cards.html", cards=cards, states=services.STATE_LABELS)


@bp.post("/admin/swiezosc/karty/<int:card_id>/potwierdz")
@login_required  # the owner or an editor: confirm_card_accurate decides
def confirm(card_id: int):
    card = db.get_or_404(Card, card_id)
    services.confirm_card_accurate(card, current_user._get_current_object(), request.form.get("note", ""))
    db.session.commit()
    flash(f"Potwierdzono aktualność karty „{card.slug}”.", "success")
    return redirect(_return_to())


def _return_to() -> str:
    return local_target(request.form.get("next", ""), url_for(".dashboard"), "/admin/swiezosc/")


@bp.post("/admin/swiezosc/zgloszenia/<int:feedback_id>/rozwiaz")
@editor_required
def resolve_feedback(feedback_id: int):
    services.resolve_feedback(feedback_id, current_user._get_current_object(), request.form.get("note", ""))
    db.session.commit()
    flash("Zgłoszenie rozpatrzone.", "success")
    return redirect(url_for(".dashboard") + "#zgloszenia")


@bp.post("/admin/swiezosc/luki/synonim")
@editor_required
def add_synonym():
    phrase, words = request.form.get("query", ""), request.form.get("words", "")
    gaps.add_gap_synonym(phrase, words, current_user._get_current_object())
    db.session.commit()
    flash(f"Dodano synonim „{gaps.normalise(phrase)}”.", "success")
    return redirect(url_for(".dashboard") + "#luki")


@bp.post("/admin/swiezosc/luki/karta")
@editor_required
def attach_to_card():
    card = db.session.scalar(select(Card).where(Card.slug == request.form.get("slug", "").strip()))
    if card is None:
        raise NotFound("Nie ma karty o takim identyfikatorze.")
    edition = gaps.attach_gap_to_card(request.form.get("query", ""), card, current_user._get_current_object())
    db.session.commit()
    flash(f"Dodano słowo kluczowe do szkicu wydania {edition.number:02d} karty „{card.slug}”.", "success")
    return redirect(url_for(".dashboard") + "#luki")


@bp.errorhandler(DomainError)
def domain_error(exc: DomainError):
    """A refused back-office action returns to the dashboard with the message; anything else gets an error page."""
    db.session.rollback()
    refused = isinstance(exc, PermissionDenied)  # a forbidden action is a 403, never a friendly redirect
    if (
        not refused
        and request.method == "POST"
        and request.path.startswith("/admin/")
        and current_user.is_authenticated
    ):
        flash(exc.message, "error")
        return redirect(_return_to())
    current_app.logger.info("Refused on %s: %s", request.path, exc.message)
    return render_error(exc.status_code, exc.message)
