"""Shared facts (service points, departments, categories, life situations, legal acts, fees) and the audit log."""

import re

from flask_admin.contrib.sqla import filters
from flask_login import current_user
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from kiosk.accounts.models import Role
from kiosk.audit import AuditRecord, record_audit
from kiosk.cards.services import record_shared_fact_change
from kiosk.errors import ValidationError as DomainValidationError
from kiosk.extensions import db
from kiosk.facts.amounts import check_amount
from kiosk.facts.models import (
    WEEKDAYS,
    Category,
    Department,
    LegalAct,
    LegalActStatus,
    LifeSituation,
    Location,
    SharedFee,  # fmt: skip
)
from kiosk.facts.services import parse_card_order, set_life_situation_order, weekly_hours

from .forms import choices, safe_link
from .security import SecuredModelView

CATEGORY = "Wspólne dane"
DAY_LABELS = dict(zip(WEEKDAYS, ("poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela"),
                      strict=True))  # fmt: skip
STATUS_LABELS = {LegalActStatus.IN_FORCE: "obowiązuje", LegalActStatus.AMENDED: "zmieniony",
                 LegalActStatus.REPEALED: "uchylony"}  # fmt: skip
SPAN = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
COMMON_LABELS = {"slug": "Adres (slug)", "name": "Nazwa", "name_en": "Nazwa (EN)", "name_uk": "Nazwa (UK)",
                 "description": "Opis", "position": "Kolejność", "title": "Tytuł", "reference": "Publikator",
                 "url": "Adres", "status": "Status", "what": "Za co", "amount": "Kwota", "how_to_pay": "Jak zapłacić",
                 "exemptions": "Zwolnienia", "phone": "Telefon", "email": "E-mail", "address": "Adres pocztowy",
                 "updated_at": "Zmieniono", "short_name": "Nazwa skrócona", "is_service_point": "Punkt obsługi",
                 "head_name": "Naczelnik", "head_email": "E-mail naczelnika", "accessibility": "Dostępność",
                 "payment": "Płatności", "hours_note": "Uwagi o godzinach"}  # fmt: skip


def parse_spans(text: str) -> list[str]:
    """ "08:00-15:30, 16:00-17:00" → ["08:00-15:30", "16:00-17:00"] (as content files store them); empty: closed."""
    spans = []
    for part in filter(None, (p.strip().replace(" ", "") for p in (text or "").split(","))):
        if not SPAN.match(part) or part[:5] >= part[6:]:
            raise ValidationError("Podaj godziny jak 08:00-15:30 (kilka przedziałów po przecinku); puste = nieczynne.")
        spans.append(part)
    return spans


def _check_spans(form, field):
    parse_spans(field.data)


class AuditedModelView(SecuredModelView):
    """Every change to a shared fact leaves an audit row, in the same transaction."""

    column_labels = COMMON_LABELS
    column_exclude_list = ("unverified",)
    form_excluded_columns = ("updated_at", "unverified")

    def on_model_change(self, form, model, is_created):
        changed = not is_created and db.session.is_modified(model)
        db.session.add(model)
        db.session.flush()
        actor = current_user._get_current_object()
        record_audit(actor, ("create_" if is_created else "update_") + self.endpoint, model)
        if changed:  # whoever changes what open editions show is their co-author (four eyes)
            record_shared_fact_change(model, actor)


class LocationView(AuditedModelView):
    column_list = ("name", "short_name", "address", "is_service_point", "updated_at")
    column_searchable_list = ("name", "address")
    form_excluded_columns = ("updated_at", "unverified", "opening_hours", "rooms", "handles")
    form_extra_fields = {
        **{f"hours_{d}": StringField(f"Godziny: {label}", [_check_spans]) for d, label in DAY_LABELS.items()},
        "rooms_text": TextAreaField("Pokoje / stanowiska (jedno w wierszu: nazwa | uwagi)"),
        "handles_text": TextAreaField("Kompetencje – sprawy załatwiane w punkcie (jedna w wierszu)"),
    }

    def on_form_prefill(self, form, id):
        model = self.get_one(id)
        for day, spans in weekly_hours(model):  # reads both "08:00-15:30" and ["08:00", "15:30"]
            form[f"hours_{day}"].data = ", ".join(f"{a}-{b}" for a, b in spans)
        form.rooms_text.data = "\n".join(f"{r.get('name', '')} | {r.get('note', '')}".rstrip(" |")
                                         for r in model.rooms or [])  # fmt: skip
        form.handles_text.data = "\n".join(model.handles or [])

    def on_model_change(self, form, model, is_created):
        model.opening_hours = {d: s for d in WEEKDAYS if (s := parse_spans(form[f"hours_{d}"].data))}
        rows = [line.split("|", 1) for line in (form.rooms_text.data or "").splitlines() if line.strip()]
        model.rooms = [{"name": r[0].strip(), "note": r[1].strip() if len(r) > 1 else ""} for r in rows]
        model.handles = [line.strip() for line in (form.handles_text.data or "").splitlines() if line.strip()]
        super().on_model_change(form, model, is_created)


class DepartmentView(AuditedModelView):
    column_list = ("name", "slug", "phone", "email", "updated_at")
    column_searchable_list = ("name", "slug")


class NamedView(AuditedModelView):
    column_list = ("name", "slug", "position")
    column_searchable_list = ("name", "slug")


class LegalActView(AuditedModelView):
    column_list = ("title", "reference", "status", "updated_at")
    # Our own select: Flask-Admin's Enum converter passes tuple choices, which WTForms 3.3 deprecates.
    form_overrides = {"status": SelectField}
    form_args = {"status": {"coerce": LegalActStatus, "choices": choices(STATUS_LABELS.items())},
                 "url": {"validators": [safe_link]}}  # fmt: skip
    column_formatters = {"status": lambda v, c, m, n: STATUS_LABELS.get(m.status, m.status)}
    column_searchable_list = ("title", "reference", "slug")
    column_filters = ("status",)


def _check_amount(form, field):
    """The domain's one amount rule (`kiosk.facts.amounts`), its message shown next to the field."""
    try:
        check_amount(field.data)
    except DomainValidationError as exc:
        raise ValidationError(exc.message) from None


class SharedFeeView(AuditedModelView):
    column_list = ("what", "amount", "slug", "updated_at")
    form_args = {"amount": {"validators": [Optional(), _check_amount]}}
    column_searchable_list = ("what", "slug")


class AuditView(SecuredModelView):
    """Read-only: the trail cannot be edited or deleted from the UI."""

    allowed_roles = (Role.ADMINISTRATOR, Role.PUBLISHER)
    can_create = can_edit = can_delete = False
    can_view_details = True
    column_default_sort = ("at", True)
    column_list = ("at", "actor_name", "action", "object_type", "object_id", "card_id", "edition_id", "comment")
    column_labels = {"at": "Kiedy", "actor_name": "Kto", "action": "Czynność", "object_type": "Rodzaj",
                     "object_id": "Nr obiektu", "card_id": "Nr karty", "edition_id": "Nr wydania",
                     "comment": "Komentarz", "detail": "Szczegóły"}  # fmt: skip
    column_filters = ("actor_name", "card_id", "action", "object_type",
                      filters.DateTimeGreaterFilter(AuditRecord.at, "Od"),
                      filters.DateTimeSmallerFilter(AuditRecord.at, "Do"),
                      filters.DateTimeBetweenFilter(AuditRecord.at, "Między"))  # fmt: skip
    column_searchable_list = ("actor_name", "action", "comment")


class LifeSituationView(NamedView):
    """A life situation with the ordered list of its cards (one slug a line, first what is done first)."""

    form_excluded_columns = ("updated_at", "order")
    form_extra_fields = {
        "order_text": TextAreaField(
            "Kolejność kart (identyfikator karty w wierszu, w kolejności załatwiania; pozostałe karty – alfabetycznie)"
        )
    }

    def on_form_prefill(self, form, id):
        form.order_text.data = "\n".join(self.get_one(id).order or [])

    def on_model_change(self, form, model, is_created):
        from kiosk.cards.models import Card

        known = set(db.session.scalars(db.select(Card.slug)))
        try:
            set_life_situation_order(model, parse_card_order(form.order_text.data), known=known)
        except DomainValidationError as exc:
            raise ValidationError(exc.message) from exc
        super().on_model_change(form, model, is_created)


def add_views(admin) -> None:
    admin.add_view(LocationView(Location, db, name="Punkty obsługi", endpoint="locations", category=CATEGORY))
    admin.add_view(DepartmentView(Department, db, name="Wydziały", endpoint="departments", category=CATEGORY))
    admin.add_view(NamedView(Category, db, name="Kategorie", endpoint="categories", category=CATEGORY))
    admin.add_view(LifeSituationView(LifeSituation, db, name="Sytuacje życiowe", endpoint="life_situations",
                                     category=CATEGORY))  # fmt: skip
    admin.add_view(LegalActView(LegalAct, db, name="Akty prawne", endpoint="legal_acts", category=CATEGORY))
    admin.add_view(SharedFeeView(SharedFee, db, name="Opłaty wspólne", endpoint="shared_fees", category=CATEGORY))
    admin.add_view(AuditView(AuditRecord, db, name="Dziennik zmian", endpoint="audit"))
