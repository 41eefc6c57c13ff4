from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from eage.forms_fr import FrDateField, FrDecimalField, Range, choices

# The payment methods as words, in the reader's language (the codes of
# eage.models.invoicing.PAYMENT_METHODS, which the database and the API keep).
METHOD_LABELS = {
    "virement": _l("Virement"),
    "prelevement": _l("Prélèvement"),
    "cheque": _l("Chèque"),
    "especes": _l("Espèces"),
}


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
        validators=[DataRequired(message=_l("Indiquez le motif de l'avoir.")), Length(max=500)],
    )
    submit = SubmitField(_l("Émettre l'avoir"))


class AmountField(FrDecimalField):
    """An amount in euros with one clear message when it cannot be read ('12,3,4', 'abc')
    or has more than two decimals — in the reader's language."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            if str(exc).startswith("Au plus"):
                raise ValueError(_l("Un montant a au plus deux décimales.")) from None
            raise ValueError(
                _l("Montant illisible : tapez un nombre d'euros, par exemple 1 234,56.")
            ) from None


class PaymentForm(FlaskForm):
    member = SelectField(_l("Adhérent"), coerce=int)
    day = FrDateField(
        _l("Date du paiement"),
        validators=[DataRequired(message=_l("Indiquez la date."))],
        default=date.today,
    )
    amount = AmountField(
        _l("Montant (€)"),
        validators=[
            InputRequired(message=_l("Indiquez le montant.")),
            Range(Decimal(0), min_inclusive=False, message=_l("Le montant doit être positif.")),
        ],
    )
    method = SelectField(_l("Mode"), choices=choices(METHOD_LABELS))
    reference = StringField(_l("Référence"), validators=[Optional(), Length(max=100)])
    submit = SubmitField(_l("Enregistrer le paiement"))
