"""Translations of cards into English and Ukrainian: list, write side by side with the live Polish text, and the
four-eyes steps. Every rule lives in kiosk.cards.translations; this screen parses, calls and commits."""

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from kiosk.accounts.models import Role, User
from kiosk.cards import translations as domain
from kiosk.cards.models import Card
from kiosk.cards.translation_desk import STATES, draft_texts, send_back_reason, translation_state, translation_states
from kiosk.cards.translation_models import TRANSLATION_LANGUAGES, TranslationStatus
from kiosk.errors import ConflictError, DomainError, NotFound, PermissionDenied
from kiosk.extensions import db
from kiosk.facts.models import Department
from kiosk.requestargs import parse_int

from .security import CARD_ROLES, SecuredView, requires

MAX_COMMENT = 2000


def me():
    return current_user._get_current_object()


def get_card(card_id: int) -> Card:
    return db.session.get(Card, card_id) or abort(404)


def display_names(ids) -> list[str]:
    """The names of the people with `ids` (a translation's contributors), in that order."""
    ids = [i for i in ids or () if i is not None]
    found = {u.id: u.display_name for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    return [found[i] for i in ids if i in found]


def checked_language(language: str) -> str:
    if language not in TRANSLATION_LANGUAGES:
        abort(400, f"Nieznany język tłumaczenia „{language[:10]}”. Dostępne: en, uk.")
    return language


def texts_from_form(form, live) -> dict:
    """The translated texts posted for the live Polish rows (by position); extra rows are not read."""
    rows = domain.polish_rows(live)

    def many(name: str) -> list[str]:
        found = [form.get(f"{name}-{i}", "") for i in range(len(rows[name]))]
        while found and not found[-1].strip():
            found.pop()
        return found

    fees = [{k: form.get(f"fees-{i}-{k}", "") for k in ("what", "how_to_pay", "exemptions")}
            for i in range(len(rows["fees"]))]  # fmt: skip
    while fees and not any(v.strip() for v in fees[-1].values()):
        fees.pop()
    body = form.get("body", "").replace("\r\n", "\n")  # a browser sends a textarea's lines with CRLF
    return {"title": form.get("title", ""), "summary": form.get("summary", ""), "documents": many("documents"),
            "document_notes": many("document_notes"), "fees": fees, "settle_text": form.get("settle_text", ""),
            "point_notes": many("point_notes"), "body": body}  # fmt: skip


def _flat(texts: dict) -> dict[str, str]:
    """The texts by form field name (title, documents-0, fees-1-what, ...)."""
    flat = {k: texts.get(k) or "" for k in ("title", "summary", "settle_text", "body")}
    for name in ("documents", "document_notes", "point_notes"):
        flat |= {f"{name}-{i}": v or "" for i, v in enumerate(texts.get(name) or [])}
    for i, fee in enumerate(texts.get("fees") or []):
        flat |= {f"fees-{i}-{k}": v or "" for k, v in fee.items()}
    return flat


def differences(mine: dict, saved: dict) -> list[tuple[str, str]]:
    """(form field, saved text) where the saved draft differs from what the translator sent."""
    a, b = _flat(mine), _flat(saved)
    return [
        (name, b.get(name, ""))
        for name in sorted(a.keys() | b.keys())
        if a.get(name, "").strip() != b.get(name, "").strip()
    ]


def allowed_actions(state, user) -> set[str]:
    """Which buttons to show; the domain checks every rule again on POST."""
    tr, roles = state.open, user.roles
    status = tr.status if tr is not None else None
    mine = tr is not None and user.id in set(tr.contributor_ids or ()) | {tr.author_id}
    depts = {d.id for d in user.departments}
    in_dept = not depts or state.card.owner_department_id in depts
    actions = set()
    if Role.EDITOR in roles and status in (None, TranslationStatus.DRAFT) and state.card.live_edition_id:
        actions |= {"edit"} | ({"submit"} if status == TranslationStatus.DRAFT else set())
    if Role.APPROVER in roles and in_dept:
        actions |= {"approve"} if status == TranslationStatus.IN_REVIEW and not mine else set()
        actions |= {"send_back"} if status in (TranslationStatus.IN_REVIEW, TranslationStatus.APPROVED) else set()
    if Role.PUBLISHER in roles and status == TranslationStatus.APPROVED and not mine and tr.approver_id != user.id:
        actions.add("publish")
    return actions


class TranslationsView(SecuredView):
    allowed_roles = CARD_ROLES

    @expose("/")
    def index_view(self):
        language, state = request.args.get("language", ""), request.args.get("state", "")
        q, dept = request.args.get("q", "")[:200], parse_int(request.args.get("department", ""))
        rows = translation_states(language or None, state or None, q, dept)
        departments = db.session.scalars(select(Department).order_by(Department.name)).all()
        return self.render("admin_ui/translation_list.html", rows=rows, states=STATES, languages=TRANSLATION_LANGUAGES,
                           language=language, state=state, q=q, dept=dept, departments=departments,
                           ui_lang=str(get_locale()))  # fmt: skip

    @expose("/<int:card_id>/<language>/")
    def translation(self, card_id, language):
        return self._page(get_card(card_id), checked_language(language))

    def _page(self, card, language, texts=None, problem=None, expected=None, status=200, conflict=None):
        state = translation_state(card, language)
        live = card.live_edition
        draft = draft_texts(state) if live is not None else None
        if texts is not None:
            draft.texts, draft.expected_hash = texts, expected
        reason = send_back_reason(state.open) if state.open and state.open.status == TranslationStatus.DRAFT else ""
        return self.render("admin_ui/translation.html", card=card, language=language, state=state, live=live,
                           draft=draft, problem=problem, conflict=conflict, reason=reason,
                           actions=allowed_actions(state, me()), ui_lang=str(get_locale()), people=display_names,
                           max_text=domain.MAX_TEXT, max_title=domain.MAX_TITLE), status  # fmt: skip

    @expose("/<int:card_id>/<language>/save", methods=["POST"])
    @requires(Role.EDITOR)
    def save(self, card_id, language):
        card, language = get_card(card_id), checked_language(language)
        if card.live_edition is None:
            flash(_("Tłumaczy się opublikowane wydanie; ta karta go nie ma."), "error")
            return redirect(url_for(".translation", card_id=card.id, language=language))
        texts = texts_from_form(request.form, card.live_edition)
        expected = request.form.get("expected_hash", "")[:64]
        try:
            domain.write_translation(card, language, texts, me(), expected_hash=expected)
        except PermissionDenied:
            db.session.rollback()
            abort(403)
        except ConflictError as exc:  # keep their text; show what was saved meanwhile; the next save is informed
            db.session.rollback()
            saved = draft_texts(translation_state(card, language))
            return self._page(card, language, texts, exc.message, saved.expected_hash, 409,
                              conflict=differences(texts, saved.texts))  # fmt: skip
        except DomainError as exc:
            db.session.rollback()
            return self._page(card, language, texts, exc.message, expected, 400)
        db.session.commit()
        flash(_("Tłumaczenie zapisane."), "success")
        return redirect(url_for(".translation", card_id=card.id, language=language))

    def _step(self, card_id, language, fn, done: str, *extra):
        """Run a workflow step on the card's open translation as the current user and commit."""
        card, language = get_card(card_id), checked_language(language)
        tr = domain.open_translation_of(card, language)
        try:
            if tr is None:
                raise NotFound("Ta karta nie ma otwartego tłumaczenia w tym języku.")
            fn(tr, me(), *extra)
            db.session.flush()
        except PermissionDenied as exc:
            db.session.rollback()
            abort(403, exc.message)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        except StaleDataError:
            db.session.rollback()
            flash(_("Ktoś w międzyczasie zmienił to tłumaczenie; sprawdź jego stan i spróbuj ponownie."), "error")
        else:
            db.session.commit()
            flash(done, "success")
        return redirect(url_for(".translation", card_id=card.id, language=language))

    @expose("/<int:card_id>/<language>/submit", methods=["POST"])
    @requires(Role.EDITOR)
    def submit(self, card_id, language):
        return self._step(card_id, language, domain.submit_translation, _("Tłumaczenie przekazane do zatwierdzenia."))

    @expose("/<int:card_id>/<language>/approve", methods=["POST"])
    @requires(Role.APPROVER)
    def approve(self, card_id, language):
        return self._step(card_id, language, domain.approve_translation, _("Tłumaczenie zatwierdzone."))

    @expose("/<int:card_id>/<language>/send-back", methods=["POST"])
    @requires(Role.APPROVER)
    def send_back(self, card_id, language):
        comment = request.form.get("comment", "").replace("\x00", "").strip()
        if len(comment) > MAX_COMMENT:
            flash(_("Powód zwrotu może mieć najwyżej %(n)s znaków.", n=MAX_COMMENT), "error")
            return redirect(url_for(".translation", card_id=card_id, language=checked_language(language)))
        return self._step(card_id, language, domain.send_back_translation, _("Tłumaczenie zwrócone do poprawy."),
                          comment)  # fmt: skip

    @expose("/<int:card_id>/<language>/publish", methods=["POST"])
    @requires(Role.PUBLISHER)
    def publish(self, card_id, language):
        return self._step(card_id, language, domain.publish_translation, _("Tłumaczenie opublikowane."))
