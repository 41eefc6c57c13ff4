"""The month-close page's forms: close a month (confirming the warnings), reopen it (admin)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from eage.forms_fr import choices


class CloseForm(FlaskForm):
    month = StringField(_l("Mois (AAAA-MM)"), validators=[DataRequired()])
    confirm_warnings = SelectField(
        _l("Avertissements"),
        choices=choices(
            [
                ("no", "Je n'ai pas vérifié"),
                ("yes", "J'ai vérifié les avertissements et je confirme"),
            ]
        ),
    )
    submit = SubmitField(_l("Clôturer le mois"))


class ReopenForm(FlaskForm):
    reason = TextAreaField(
        _l("Motif de la réouverture"),
        validators=[DataRequired(message="Indiquez le motif."), Length(max=500)],
    )
    submit = SubmitField(_l("Rouvrir le mois"))
