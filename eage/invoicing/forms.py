from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from eage.forms_fr import FrDateField, FrDecimalField, choices
from eage.models.invoicing import PAYMENT_METHODS


class CreditNoteForm(FlaskForm):
    mode = SelectField(
        _l("Avoir"),
        choices=choices(
            [
                ("full", "Total (tout ce qui reste à créditer)"),
                ("partial", "Partiel (montants HT par ligne)"),
            ]
        ),
    )
    reason = TextAreaField(
        _l("Motif de l'avoir"),
        validators=[DataRequired(message="Indiquez le motif de l'avoir."), Length(max=500)],
    )
    submit = SubmitField(_l("Émettre l'avoir"))


class PaymentForm(FlaskForm):
    member = SelectField(_l("Adhérent"), coerce=int)
    day = FrDateField(
        _l("Date du paiement"), validators=[DataRequired(message="Indiquez la date.")]
    )
    amount = FrDecimalField(
        _l("Montant (€)"), validators=[DataRequired(message="Indiquez le montant.")]
    )
    method = SelectField(_l("Mode"), choices=choices(PAYMENT_METHODS))
    reference = StringField(_l("Référence"), validators=[Optional(), Length(max=100)])
    submit = SubmitField(_l("Enregistrer le paiement"))
