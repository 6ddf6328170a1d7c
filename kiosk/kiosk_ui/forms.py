"""The back-office form that registers a kiosk."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length


class RegisterKioskForm(FlaskForm):
    code = StringField("Identyfikator (w adresie startowym)", validators=[DataRequired(), Length(max=40)])
    name = StringField("Nazwa", validators=[DataRequired(), Length(max=120)])
    location = SelectField("Punkt obsługi", coerce=int)
    has_printer = BooleanField("Podłączona drukarka")
