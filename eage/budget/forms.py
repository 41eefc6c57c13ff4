from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length

from eage.budget.services import BILLING_MODES, HOURS_DENOMINATORS, KIND_LABELS
from eage.forms_fr import FrDecimalField, Range, choices

REQUIRED = _l("Ce champ est obligatoire.")
PERCENT = [Range(Decimal("0"), Decimal("100"), message=_l("Un pourcentage entre 0 et 100."))]


class BudgetLineForm(FlaskForm):
    kind = SelectField(
        _l("Nature"), choices=choices(KIND_LABELS), validators=[DataRequired(REQUIRED)]
    )
    account = StringField(
        _l("Compte"),
        validators=[DataRequired(REQUIRED), Length(max=10)],
        description=_l("Plan comptable associatif, ex. 641100, 613200, 741000."),
        render_kw={"inputmode": "numeric"},
    )
    label = StringField(_l("Libellé"), validators=[DataRequired(REQUIRED), Length(max=200)])
    amount = FrDecimalField(
        _l("Montant annuel (€)"), validators=[InputRequired(REQUIRED), Range(Decimal("0"))]
    )
    submit = SubmitField(_l("Enregistrer"))


class FiscalYearForm(FlaskForm):
    hours_denominator = SelectField(
        _l("Base horaire annuelle"),
        coerce=int,
        choices=choices(HOURS_DENOMINATORS),
        description=_l("Heures d'un temps plein sur l'année, pour le coût horaire."),
    )
    billing_mode = SelectField(_l("Mode de facturation"), choices=choices(BILLING_MODES))
    atmp_rate = FrDecimalField(
        _l("Taux AT/MP (%)"),
        places=3,
        validators=[InputRequired(REQUIRED), *PERCENT],
        description=_l("Taux notifié par la Carsat pour l'année."),
    )
    health_insurance_monthly = FrDecimalField(
        _l("Mutuelle : cotisation mensuelle (€)"),
        validators=[InputRequired(REQUIRED), Range(Decimal("0"))],
    )
    health_employer_share = FrDecimalField(
        _l("Mutuelle : part employeur (%)"), validators=[InputRequired(REQUIRED), *PERCENT]
    )
    prevoyance_employer_rate = FrDecimalField(
        _l("Prévoyance : taux employeur (%)"),
        places=3,
        validators=[InputRequired(REQUIRED), *PERCENT],
    )
    prevoyance_employee_rate = FrDecimalField(
        _l("Prévoyance : taux salarié (%)"),
        places=3,
        validators=[InputRequired(REQUIRED), *PERCENT],
    )
    fee_rate = FrDecimalField(
        _l("Cotisation : taux sur la masse salariale N-1 (%)"),
        places=3,
        validators=[InputRequired(REQUIRED), *PERCENT],
    )
    fee_cap = FrDecimalField(
        _l("Cotisation : plafond (€)"), validators=[InputRequired(REQUIRED), Range(Decimal("0"))]
    )
    submit = SubmitField(_l("Enregistrer les paramètres"))
