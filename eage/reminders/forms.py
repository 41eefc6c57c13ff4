"""The security deposit forms (the reminders are sent from a list of checkboxes)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField
from wtforms.validators import DataRequired

from eage.forms_fr import FrDateField
from eage.invoicing.forms import AmountField


class DepositForm(FlaskForm):
    member = SelectField(_l("Adhérent"), coerce=int)
    amount = AmountField(
        _l("Montant du dépôt"), validators=[DataRequired(message=_l("Indiquez le montant."))]
    )
    day = FrDateField(_l("Demandé le"), validators=[DataRequired(message=_l("Indiquez la date."))])
    submit = SubmitField(_l("Demander le dépôt"))


class DepositDayForm(FlaskForm):
    day = FrDateField(_l("Date"), validators=[DataRequired(message=_l("Indiquez la date."))])
