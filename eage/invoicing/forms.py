from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from eage.forms_fr import FrDateField, FrDecimalField, choices
from eage.models.invoicing import PAYMENT_METHODS


class CreditNoteForm(FlaskForm):
    mode = SelectField("Avoir", choices=choices([("full", "Total (tout ce qui reste à créditer)"),
                                                 ("partial", "Partiel (montants HT par ligne)")]))
    reason = TextAreaField("Motif de l'avoir", validators=[DataRequired(message="Indiquez le motif de l'avoir."),
                                                          Length(max=500)])
    submit = SubmitField("Émettre l'avoir")


class PaymentForm(FlaskForm):
    member = SelectField("Adhérent", coerce=int)
    day = FrDateField("Date du paiement", validators=[DataRequired(message="Indiquez la date.")])
    amount = FrDecimalField("Montant (€)", validators=[DataRequired(message="Indiquez le montant.")])
    method = SelectField("Mode", choices=choices(PAYMENT_METHODS))
    reference = StringField("Référence", validators=[Optional(), Length(max=100)])
    submit = SubmitField("Enregistrer le paiement")


class CloseForm(FlaskForm):
    month = StringField("Mois (AAAA-MM)", validators=[DataRequired()])
    confirm_warnings = SelectField("Avertissements", choices=choices([("no", "Je n'ai pas vérifié"),
                                                                      ("yes", "J'ai vérifié les avertissements et je confirme")]))
    submit = SubmitField("Clôturer le mois")


class ReopenForm(FlaskForm):
    reason = TextAreaField("Motif de la réouverture", validators=[DataRequired(message="Indiquez le motif."),
                                                                  Length(max=500)])
    submit = SubmitField("Rouvrir le mois")
