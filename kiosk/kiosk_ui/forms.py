"""The back-office forms of the kiosk fleet: register, edit, retire, reissue the token."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class EditKioskForm(FlaskForm):
    name = StringField("Nazwa", validators=[DataRequired("Podaj nazwę kiosku."), Length(max=120)])
    location = SelectField("Punkt obsługi", coerce=int)
    has_printer = BooleanField("Podłączona drukarka")


class RegisterKioskForm(EditKioskForm):
    code = StringField(
        "Identyfikator (w adresie startowym)", validators=[DataRequired("Podaj identyfikator kiosku."), Length(max=40)]
    )


class RetireKioskForm(FlaskForm):
    reason = TextAreaField("Powód (zapisany w dzienniku zmian)", validators=[Length(max=2000)])


class ReissueTokenForm(FlaskForm):
    """Only the CSRF token: the action has no fields."""
