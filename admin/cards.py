"""Cards: list, edit a draft, the workflow steps, history and diff. Every rule lives in kiosk.cards.services."""

from dataclasses import dataclass

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm.exc import StaleDataError

from kiosk.accounts.models import Role
from kiosk.cards import services
from kiosk.cards.agreement import find_stale_statements
from kiosk.cards.content import References, edition_to_content, empty_content
from kiosk.cards.diff import FIELD_LABELS, diff_contents
from kiosk.cards.models import Card, Edition, EditionStatus
from kiosk.clock import today
from kiosk.errors import ConflictError, DomainError, NotFound, PermissionDenied
from kiosk.extensions import db
from kiosk.facts.models import Department
from kiosk.markdown_render import preview_markdown
from kiosk.requestargs import id_arg, parse_int

from .forms import (
    MAX_BODY,
    CommentForm,
    EditionForm,
    NewCardForm,
    PublishForm,
    SendBackForm,
    choices,
    content_to_formdata,
)
from .security import CARD_ROLES, SecuredView, requires

STATUS_LABELS = {EditionStatus.DRAFT: "szkic", EditionStatus.IN_REVIEW: "do zatwierdzenia",
                 EditionStatus.APPROVED: "zatwierdzone", EditionStatus.PUBLISHED: "opublikowane",
                 EditionStatus.SUPERSEDED: "zastąpione", EditionStatus.WITHDRAWN: "wycofane"}  # fmt: skip
PER_PAGE = 50
MAX_PAGE = 9_999
BLANK_ROWS = {"service_points": [{}], "documents": [{"required": True}], "fees": [{}], "legal_acts": [{}],
              "forms": [{}]}  # fmt: skip


@dataclass
class Conflict:
    """What the edit page shows after a conflict: differing fields (old = yours, new = theirs)."""

    changes: list
    version: str
    saved_by: str


def form_content(form, edition) -> dict:
    try:
        return form.to_content(edition.unverified or [])
    except ValueError:  # an amount that failed validation
        return edition_to_content(edition)


def me():
    return current_user._get_current_object()


def get_card(card_id: int) -> Card:
    return db.session.get(Card, card_id) or abort(404)


def get_edition(edition_id: int) -> Edition:
    return db.session.get(Edition, edition_id) or abort(404)


def open_edition(card: Card) -> Edition | None:
    return db.session.scalar(select(Edition).where(Edition.card_id == card.id,
                                                   Edition.status.in_(services.OPEN_STATUSES)))  # fmt: skip


def allowed_actions(card: Card, edition: Edition | None, user) -> set[str]:
    """Which workflow buttons to show; the services check every rule again on POST."""
    roles, status = user.roles, edition.status if edition else None
    mine = edition is not None and user.id in edition.contributor_ids
    depts = {d.id for d in user.departments}
    in_dept = not depts or card.owner_department_id in depts
    actions = set()
    if Role.EDITOR in roles:
        actions |= {"edit", "submit"} if status == EditionStatus.DRAFT else set()
        actions |= {"open_draft"} if edition is None else set()
    if Role.APPROVER in roles and in_dept:
        actions |= {"approve"} if status == EditionStatus.IN_REVIEW and not mine else set()
        actions |= {"send_back"} if status in (EditionStatus.IN_REVIEW, EditionStatus.APPROVED) else set()
    if Role.PUBLISHER in roles:
        signed = edition is not None and edition.approver_id == user.id  # three signatures: not the approver
        actions |= {"publish"} if status == EditionStatus.APPROVED and not mine and not signed else set()
        actions |= {"withdraw"} if card.live_edition_id else set()
        actions |= {"publish_due"} if card.next_scheduled_on and card.next_scheduled_on <= today() else set()
    return actions


class CardsView(SecuredView):
    allowed_roles = CARD_ROLES

    @expose("/")
    def index_view(self):
        latest = (select(Edition.card_id, func.max(Edition.number).label("number"))
                  .group_by(Edition.card_id).subquery())  # fmt: skip
        query = (select(Card, Edition).outerjoin(latest, latest.c.card_id == Card.id)
                 .outerjoin(Edition, (Edition.card_id == Card.id) & (Edition.number == latest.c.number)))  # fmt: skip
        status, dept, q = request.args.get("status", ""), request.args.get("department", ""), request.args.get("q", "")
        if status in STATUS_LABELS:
            query = query.where(Edition.status == EditionStatus(status))
        if (dept_id := parse_int(dept)) is not None:
            query = query.where(Card.owner_department_id == dept_id)
        if q.strip():
            needle = q.strip()[:200]
            query = query.where(or_(Edition.title.icontains(needle, autoescape=True),
                                    Card.slug.icontains(needle, autoescape=True)))  # fmt: skip
        page = parse_int(request.args.get("page", "1"), 1, MAX_PAGE) or 1
        rows = db.session.execute(query.order_by(Edition.title, Card.slug).limit(PER_PAGE + 1)
                                  .offset((page - 1) * PER_PAGE)).all()  # fmt: skip
        departments = db.session.scalars(select(Department).order_by(Department.name)).all()
        return self.render("admin_ui/card_list.html", rows=rows[:PER_PAGE], more=len(rows) > PER_PAGE,
                           page=page, departments=departments, labels=STATUS_LABELS, status=status, dept=dept,
                           q=q[:200])  # fmt: skip

    @expose("/new", methods=["GET", "POST"])
    @requires(Role.EDITOR)
    def new(self):
        form = NewCardForm()
        departments = db.session.scalars(select(Department).order_by(Department.name))
        form.owner_department.choices = choices((d.id, d.name) for d in departments)
        if form.validate_on_submit():
            try:
                owner = db.session.get(Department, int(form.owner_department.data))
                card = services.create_card(form.slug.data, me(), owner_department=owner)
                services.open_draft(card, me(), dict(empty_content(), title=form.title.data))
            except DomainError as exc:
                db.session.rollback()
                form.slug.errors.append(exc.message)
            else:
                db.session.commit()
                return redirect(url_for(".edit", card_id=card.id))
        return self.render("admin_ui/card_new.html", form=form)

    @expose("/<int:card_id>/")
    def card(self, card_id):
        card = get_card(card_id)
        edition = open_edition(card)
        return self.render("admin_ui/card.html", card=card, edition=edition, labels=STATUS_LABELS,
                           actions=allowed_actions(card, edition, me()), comment_form=CommentForm(),
                           send_back_form=SendBackForm(), publish_form=PublishForm())  # fmt: skip

    @expose("/<int:card_id>/open-draft", methods=["POST"])
    @requires(Role.EDITOR)
    def open_draft(self, card_id):
        card = get_card(card_id)
        if self._run(services.open_draft, card, me()):
            return redirect(url_for(".edit", card_id=card.id))
        return redirect(url_for(".card", card_id=card.id))

    @expose("/<int:card_id>/edit", methods=["GET", "POST"])
    @requires(Role.EDITOR)
    def edit(self, card_id):
        card = get_card(card_id)
        edition = open_edition(card)
        if edition is None or edition.status != EditionStatus.DRAFT:
            flash("Ta karta nie ma szkicu do edycji; otwórz nowy szkic.", "warning")
            return redirect(url_for(".card", card_id=card.id))
        refs = References.load()
        data = content_to_formdata(edition_to_content(edition), edition.lock_version)
        form = EditionForm(data=data) if request.method == "GET" else EditionForm()
        form.set_choices(refs)
        conflict, problem = None, None
        if form.validate_on_submit():
            conflict, problem = self._save(edition, form)
            if conflict is None and problem is None:
                flash("Szkic zapisany.", "success")
                return redirect(url_for(".edit", card_id=card.id))
        elif request.method == "POST":
            problem = "Popraw zaznaczone pola; nic nie zostało zapisane."
            if request.form.get("theirs_version", "").isdigit():  # keep the comparison on screen
                conflict = Conflict(diff_contents(form_content(form, edition), edition_to_content(edition)),
                                    request.form["theirs_version"],
                                    edition.updated_by.display_name if edition.updated_by else "")  # fmt: skip
        blank = EditionForm(formdata=None, data=BLANK_ROWS, meta={"csrf": False})
        blank.set_choices(refs)
        return self.render("admin_ui/edit.html", card=card, edition=edition, form=form, blank=blank,
                           conflict=conflict, problem=problem, labels=STATUS_LABELS, choices=request.form,
                           preview=preview_markdown(form.body.data or ""))  # fmt: skip

    def _save(self, edition, form):
        """Save through the service; returns (the conflict to resolve, problem message).

        After a conflict the form carries `theirs_version`, the saved version the editor compared with,
        and a choice per differing field; the version they started from stays, so saving again without
        choosing is refused rather than silently overwriting the other person's change.
        """
        version = parse_int(form.expected_version.data or "")
        theirs_raw = request.form.get("theirs_version", "")
        theirs = parse_int(theirs_raw) if theirs_raw else None
        if version is None or (theirs_raw and theirs is None):
            abort(400)
        try:
            content = form.to_content(edition.unverified or [])
            if theirs is not None:
                choices = {name: request.form.get(f"resolve-{name}", "") for name in FIELD_LABELS}
                services.save_resolved_draft(edition, content, choices, me(), theirs)
            else:
                services.save_draft(edition, content, me(), version)
        except ConflictError as exc:
            db.session.rollback()
            return Conflict(exc.changes, str(exc.version), exc.saved_by), exc.message
        except PermissionDenied:
            db.session.rollback()
            abort(403)
        except DomainError as exc:
            db.session.rollback()
            return None, exc.message
        db.session.commit()
        for warning in find_stale_statements(edition):
            flash(warning, "warning")
        return None, None

    @expose("/preview", methods=["POST"])
    @requires(Role.EDITOR)
    def preview(self):
        body = request.form.get("body", "")
        status = 413 if len(body) > MAX_BODY else 200
        return str(preview_markdown(body)), status, {"Content-Type": "text/html; charset=utf-8"}

    def _run(self, fn, *args) -> bool:
        """Call a service as the current user and commit; a broken rule is a message, a forbidden one 403."""
        try:
            fn(*args)
            db.session.flush()
        except PermissionDenied as exc:
            db.session.rollback()
            abort(403, exc.message)
        except NotFound:
            db.session.rollback()
            abort(404)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return False
        except StaleDataError:  # two people acted on the same edition at once; the other one won
            db.session.rollback()
            flash("Ktoś w międzyczasie zmienił to wydanie; sprawdź jego stan i spróbuj ponownie.", "error")
            return False
        db.session.commit()
        return True

    def _step(self, edition_id, fn, done: str, *extra, form=None):
        edition = get_edition(edition_id)
        if form is not None and not form.validate():
            flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        elif self._run(fn, edition, me(), *extra):
            flash(done, "success")
        return redirect(url_for(".card", card_id=edition.card_id))

    @expose("/editions/<int:edition_id>/submit", methods=["POST"])
    @requires(Role.EDITOR)
    def submit(self, edition_id):
        return self._step(edition_id, services.submit_edition, "Wydanie przekazane do zatwierdzenia.")

    @expose("/editions/<int:edition_id>/approve", methods=["POST"])
    @requires(Role.APPROVER)
    def approve(self, edition_id):
        form = CommentForm()
        return self._step(edition_id, services.approve_edition, "Wydanie zatwierdzone merytorycznie.",
                          form.comment.data or "", form=form)  # fmt: skip

    @expose("/editions/<int:edition_id>/send-back", methods=["POST"])
    @requires(Role.APPROVER)
    def send_back(self, edition_id):
        form = SendBackForm()
        return self._step(edition_id, services.send_back_edition, "Wydanie zwrócone do poprawy.",
                          form.comment.data or "", form=form)  # fmt: skip

    @expose("/editions/<int:edition_id>/publish", methods=["POST"])
    @requires(Role.PUBLISHER)
    def publish(self, edition_id):
        form = PublishForm()
        return self._step(edition_id, services.publish_edition, "Wydanie opublikowane (albo zaplanowane).",
                          form.on.data if form.validate() else None, form=form)  # fmt: skip

    @expose("/<int:card_id>/publish-due", methods=["POST"])
    @requires(Role.PUBLISHER)
    def publish_due(self, card_id):
        """The explicit step for a scheduled edition whose date has come before the scheduled job ran."""
        card = get_card(card_id)
        published, voided = [], []
        if self._run(lambda: published.extend(services.publish_due(card, voided))):
            for edition in published:
                flash(f"Opublikowano zaplanowane wydanie: {edition.label}.", "success")
            for edition in voided:
                flash(f"Wstrzymano wydanie {edition.number:02d}: treść różni się od zatwierdzonej.", "error")
            if not published and not voided:
                flash("Karta nie ma wydania, którego data publikacji już nadeszła.", "info")
        return redirect(url_for(".card", card_id=card.id))

    @expose("/<int:card_id>/withdraw", methods=["POST"])
    @requires(Role.PUBLISHER)
    def withdraw(self, card_id):
        card = get_card(card_id)
        form = CommentForm()
        if not form.validate():
            abort(400)
        if self._run(services.withdraw_card, card, me(), form.comment.data or ""):
            flash("Karta wycofana ze stron publicznych.", "success")
        return redirect(url_for(".card", card_id=card.id))

    @expose("/editions/<int:edition_id>/revert", methods=["POST"])
    @requires(Role.EDITOR)
    def revert(self, edition_id):
        source = get_edition(edition_id)
        if self._run(services.revert_card, source.card, source, me()):
            flash(f"Treść wydania {source.number:02d} przywrócona jako szkic; przekaż go do zatwierdzenia.",
                  "success")  # fmt: skip
            return redirect(url_for(".edit", card_id=source.card_id))
        return redirect(url_for(".card", card_id=source.card_id))

    @expose("/<int:card_id>/history")
    def history(self, card_id):
        card = get_card(card_id)
        return self.render("admin_ui/history.html", card=card, editions=list(reversed(card.editions)),
                           labels=STATUS_LABELS, can_revert=Role.EDITOR in me().roles)  # fmt: skip

    @expose("/<int:card_id>/diff")
    def diff(self, card_id):
        card = get_card(card_id)
        ids = [id_arg(k) for k in ("a", "b")]
        if None in ids:
            abort(400, "Wybierz dwa wydania do porównania.")
        old, new = (db.session.get(Edition, i) for i in ids)
        if old is None or new is None or old.card_id != card.id or new.card_id != card.id:
            abort(404)
        if old.number > new.number:
            old, new = new, old
        return self.render("admin_ui/diff.html", card=card, old=old, new=new,
                           changes=services.diff_editions(old, new))  # fmt: skip
