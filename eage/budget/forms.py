from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length

from eage.budget.services import BILLING_MODES, HOURS_DENOMINATORS, KIND_LABELS
from eage.forms_fr import FrDecimalField, Range, choices

REQUIRED = "Ce champ est obligatoire."
PERCENT = [Range(Decimal("0"), Decimal("100"), message="Un pourcentage entre 0 et 100.")]


class BudgetLineForm(FlaskForm):
    kind = SelectField("Nature", choices=choices(KIND_LABELS), validators=[DataRequired(REQUIRED)])
    account = StringField("Compte", validators=[DataRequired(REQUIRED), Length(max=10)],
                          description="Plan comptable associatif, ex. 641100, 613200, 741000.",
                          render_kw={"inputmode": "numeric"})
    label = StringField("Libellé", validators=[DataRequired(REQUIRED), Length(max=200)])
    amount = FrDecimalField("Montant annuel (€)", validators=[InputRequired(REQUIRED), Range(Decimal("0"))])
    submit = SubmitField("Enregistrer")


class FiscalYearForm(FlaskForm):
    hours_denominator = SelectField("Base horaire annuelle", coerce=int,
                                    choices=choices(HOURS_DENOMINATORS),
                                    description="Heures d'un temps plein sur l'année, pour le coût horaire.")
    billing_mode = SelectField("Mode de facturation", choices=choices(BILLING_MODES))
    atmp_rate = FrDecimalField("Taux AT/MP (%)", places=3, validators=[InputRequired(REQUIRED), *PERCENT],
                               description="Taux notifié par la Carsat pour l'année.")
    health_insurance_monthly = FrDecimalField("Mutuelle : cotisation mensuelle (€)",
                                              validators=[InputRequired(REQUIRED), Range(Decimal("0"))])
    health_employer_share = FrDecimalField("Mutuelle : part employeur (%)",
                                           validators=[InputRequired(REQUIRED), *PERCENT])
    prevoyance_employer_rate = FrDecimalField("Prévoyance : taux employeur (%)", places=3,
                                              validators=[InputRequired(REQUIRED), *PERCENT])
    prevoyance_employee_rate = FrDecimalField("Prévoyance : taux salarié (%)", places=3,
                                              validators=[InputRequired(REQUIRED), *PERCENT])
    fee_rate = FrDecimalField("Cotisation : taux sur la masse salariale N-1 (%)", places=3,
                              validators=[InputRequired(REQUIRED), *PERCENT])
    fee_cap = FrDecimalField("Cotisation : plafond (€)", validators=[InputRequired(REQUIRED), Range(Decimal("0"))])
    submit = SubmitField("Enregistrer les paramètres")
