"""Back-office forms. Every message is Polish and shown next to its field."""

from decimal import Decimal

from flask_wtf import FlaskForm
from flask_wtf.i18n import translations
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from kiosk.cards.content import empty_content, row_notes
from kiosk.cards.models import CardKind, DocumentForm
from kiosk.errors import ValidationError as DomainValidationError
from kiosk.facts import amounts
from kiosk.links import check_link
from kiosk.markdown_render import MAX_BODY_CHARS


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(str(value), label) for value, label in pairs]


MAX_ROWS = 60
MAX_BODY = MAX_BODY_CHARS  # the domain limit (kiosk.markdown_render), shown early in the form
MAX_TEXT = 5_000
DOCUMENT_FORMS = choices([(DocumentForm.ORIGINAL.value, "oryginał"), (DocumentForm.COPY.value, "kopia"),
                  (DocumentForm.ORIGINAL_OR_COPY.value, "oryginał lub kopia"),
                  (DocumentForm.TO_SHOW.value, "do wglądu")])  # fmt: skip
REQUIRED = "To pole jest wymagane."
CARD_KINDS = choices([(CardKind.SERVICE.value, "sprawa załatwiana w urzędzie"),
                      (CardKind.REFERRAL.value, "skierowanie – sprawę załatwia inna instytucja")])  # fmt: skip


def _strip(value):
    """Trim, drop NUL characters (PostgreSQL refuses them in text) and keep newlines as stored: a browser
    submits a textarea's lines with CRLF, which would otherwise make an untouched text differ from the live one."""
    if not isinstance(value, str):
        return value
    return value.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()


class StripMeta:
    """Strip text fields and speak Polish in row sub-forms too (WTForms messages via Flask-WTF's catalogue)."""

    def get_translations(self, form):
        return translations

    def bind_field(self, form, unbound_field, options):
        if issubclass(unbound_field.field_class, StringField | TextAreaField):
            options["filters"] = (*unbound_field.kwargs.get("filters", ()), _strip)
        return unbound_field.bind(form=form, **options)


class RowForm(Form):
    Meta = StripMeta


def _text(label, max_len=MAX_TEXT, *validators, area=False):
    field = TextAreaField if area else StringField
    return field(label, [*validators, Length(max=max_len, message=f"Najwyżej {max_len} znaków.")])


def parse_amount(raw) -> Decimal | None:
    """A fee amount typed by a person ("17", "17,50", "1 234,00"), by the domain's one rule; empty: it varies."""
    try:
        return amounts.parse_amount(raw)
    except DomainValidationError as exc:
        raise ValidationError(exc.message) from None


def safe_link(form, field):
    """The domain's one link rule (`kiosk.links.check_link`), its message shown next to the field."""
    try:
        check_link(field.data, "Adres")
    except DomainValidationError as exc:
        raise ValidationError(exc.message) from None


def _check_amount(form, field):
    parse_amount(field.data)


class DocumentRow(RowForm):
    name = _text("Dokument", MAX_TEXT, DataRequired(REQUIRED))
    form = SelectField("Forma", choices=DOCUMENT_FORMS)
    required = BooleanField("Wymagany", default=True)
    note = _text("Uwagi")


class FeeRow(RowForm):
    what = _text("Za co", MAX_TEXT, DataRequired(REQUIRED))
    amount = StringField("Kwota (zł)", [_check_amount])
    how_to_pay = _text("Jak zapłacić")
    exemptions = _text("Zwolnienia")
    shared = SelectField("Opłata wspólna", choices=[])
    source = _text("Źródło (adres https albo dokument i data)", 500)
    unverified = _text("Do potwierdzenia", 500)


class PointRow(RowForm):
    point = SelectField("Punkt obsługi", choices=[])
    room = _text("Pokój / stanowisko", 120)
    window = _text("Okienko", 120)
    note = _text("Uwagi")


class ActRow(RowForm):
    act = SelectField("Akt prawny", choices=[])
    detail = _text("Przepis (np. art. 64)", 200)
    source = _text("Źródło", 500)
    unverified = _text("Do potwierdzenia", 500)


class FormRow(RowForm):
    title = _text("Nazwa formularza", 300, DataRequired(REQUIRED))
    url = _text("Adres pliku", 500, DataRequired(REQUIRED), safe_link)
    source = _text("Źródło", 500)
    unverified = _text("Do potwierdzenia", 500)


NOTE_FIELDS = ("settle_source", "settle_unverified", "online_source", "online_unverified")


def _rows(row_form, label):
    return FieldList(FormField(row_form), label, min_entries=0, max_entries=MAX_ROWS)


class EditionForm(FlaskForm):
    """All structured fields of a draft; `to_content` gives the dict `save_draft` takes."""

    Meta = type("Meta", (StripMeta, FlaskForm.Meta), {})

    expected_version = HiddenField()
    title = _text("Tytuł", 300, DataRequired("Tytuł jest wymagany."))
    summary = _text("Streszczenie", 2000, area=True)
    kind = SelectField("Rodzaj karty", choices=CARD_KINDS)
    category = SelectField("Kategoria", choices=[])
    department = SelectField("Wydział prowadzący", choices=[])
    life_situations = SelectMultipleField("Sytuacje życiowe", choices=[], option_widget=CheckboxInput(),
                                          widget=ListWidget(prefix_label=False))  # fmt: skip
    settle_days = IntegerField("Termin ustawowy (dni)", [Optional(), NumberRange(0, 3650, "Od 0 do 3650 dni.")])
    settle_text = _text("Czas załatwienia", area=True)
    settle_source = _text("Źródło terminu (adres https albo dokument i data)", 500)
    settle_unverified = _text("Termin: do potwierdzenia", 500)
    online_channel = _text("Kanał online (np. ePUAP)", 40)
    online_url = _text("Adres usługi online", 500, Optional(), safe_link)
    online_text = _text("Jak załatwić online", area=True)
    online_source = _text("Źródło usługi online", 500)
    online_unverified = _text("Usługa online: do potwierdzenia", 500)
    appeal = _text("Tryb odwoławczy", area=True)
    effective_date = DateField("Data wejścia w życie", [Optional()])
    body = TextAreaField("Opis (Markdown)", [Length(max=MAX_BODY, message=f"Opis może mieć najwyżej {MAX_BODY:,} "
                                                                          "znaków.".replace(",", " "))])  # fmt: skip
    keywords = _text("Słowa kluczowe (po przecinku)", 2000)
    service_points = _rows(PointRow, "Gdzie załatwić")
    documents = _rows(DocumentRow, "Wymagane dokumenty")
    fees = _rows(FeeRow, "Opłaty")
    legal_acts = _rows(ActRow, "Podstawa prawna")
    forms = _rows(FormRow, "Formularze")

    def set_choices(self, refs) -> None:
        """Offer the shared facts: categories, departments, service points, legal acts, shared fees."""
        none = [("", "— brak —")]
        self.category.choices = choices(none + [(c.slug, c.name) for c in refs.categories.values()])
        self.department.choices = choices(none + [(d.slug, d.name) for d in refs.departments.values()])
        self.life_situations.choices = choices((s.slug, s.name) for s in refs.life_situations.values())
        points = choices((p.slug, p.display_name) for p in refs.locations.values())
        acts = choices((a.slug, a.title[:120]) for a in refs.legal_acts.values())
        shared = choices(none + [(f.slug, f.what) for f in refs.shared_fees.values()])
        for row in self.service_points:
            row.point.choices = points
        for row in self.legal_acts:
            row.act.choices = acts
        for row in self.fees:
            row.shared.choices = shared
        self.row_choices = {"point": points, "act": acts, "shared": shared}

    def to_content(self, unverified: list) -> dict:
        content = empty_content()
        for name in ("title", "summary", "settle_days", "settle_text", "online_channel", "online_url",
                     "online_text", "appeal", "effective_date", "body", *NOTE_FIELDS):  # fmt: skip
            content[name] = getattr(self, name).data
        content["kind"] = self.kind.data
        content["category"] = self.category.data or None
        content["department"] = self.department.data or None
        content["life_situations"] = list(self.life_situations.data or [])
        content["keywords"] = [k.strip() for k in (self.keywords.data or "").split(",") if k.strip()]
        content["unverified"] = list(unverified)
        content["service_points"] = [{k: r[k] for k in ("point", "room", "window", "note")}
                                     for r in self.service_points.data]  # fmt: skip
        content["documents"] = [{k: r[k] for k in ("name", "form", "required", "note")} for r in self.documents.data]
        content["fees"] = [{"what": r["what"], "amount": parse_amount(r["amount"]), "how_to_pay": r["how_to_pay"],
                            "exemptions": r["exemptions"], "shared": r["shared"] or None, **row_notes(r)}
                           for r in self.fees.data]  # fmt: skip
        content["legal_acts"] = [{"act": r["act"], "detail": r["detail"], **row_notes(r)} for r in self.legal_acts.data]
        content["forms"] = [{"title": r["title"], "url": r["url"], **row_notes(r)} for r in self.forms.data]
        return content


def content_to_formdata(content: dict, version: int) -> dict:
    """Form defaults from an edition's content dict."""
    data = dict(content, expected_version=str(version), keywords=", ".join(content["keywords"]))
    data["category"] = content["category"] or ""
    data["department"] = content["department"] or ""
    data["fees"] = [dict(f, amount="" if f["amount"] is None else f"{f['amount']:.2f}".replace(".", ","),
                         shared=f["shared"] or "") for f in content["fees"]]  # fmt: skip
    return data


class CommentForm(FlaskForm):
    comment = TextAreaField("Komentarz", [Length(max=2000, message="Najwyżej 2000 znaków.")])


class SendBackForm(FlaskForm):
    comment = TextAreaField("Powód zwrotu", [DataRequired("Podaj powód zwrócenia wydania do poprawy."),
                                             Length(max=2000, message="Najwyżej 2000 znaków.")])  # fmt: skip


class PublishForm(FlaskForm):
    on = DateField("Opublikuj dnia (puste = teraz)", [Optional()])


class NewCardForm(FlaskForm):
    Meta = type("Meta", (StripMeta, FlaskForm.Meta), {})
    slug = _text("Adres (slug)", 120, DataRequired(REQUIRED))
    title = _text("Tytuł", 300, DataRequired("Tytuł jest wymagany."))
    owner_department = SelectField("Wydział – właściciel karty", choices=[])

    def validate_slug(self, field):
        import re

        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", field.data or ""):
            raise ValidationError("Tylko małe litery bez polskich znaków, cyfry i myślniki, np. dowod-osobisty.")


class LoginForm(FlaskForm):
    username = StringField("Nazwa użytkownika", [InputRequired(REQUIRED), Length(max=80)])
    password = PasswordField("Hasło", [InputRequired(REQUIRED), Length(max=200)])


class PasswordForm(FlaskForm):
    old_password = PasswordField("Obecne hasło", [InputRequired(REQUIRED)])
    new_password = PasswordField("Nowe hasło", [InputRequired(REQUIRED), Length(max=200)])
    confirm = PasswordField("Powtórz nowe hasło", [EqualTo("new_password", "Hasła się różnią.")])


class UserForm(FlaskForm):
    Meta = type("Meta", (StripMeta, FlaskForm.Meta), {})
    username = _text("Nazwa użytkownika", 80, DataRequired(REQUIRED))
    display_name = _text("Imię i nazwisko", 120, DataRequired(REQUIRED))
    email = _text("E-mail", 120)
    password = PasswordField("Hasło startowe", [InputRequired(REQUIRED), Length(max=200)])
    roles = SelectMultipleField("Role", choices=[], option_widget=CheckboxInput(),
                                widget=ListWidget(prefix_label=False))  # fmt: skip
    departments = SelectMultipleField("Wydziały (zatwierdzającego, pracownika wydziału)", choices=[],
                                      option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))  # fmt: skip


class RolesForm(FlaskForm):
    roles = UserForm.roles
    departments = UserForm.departments
