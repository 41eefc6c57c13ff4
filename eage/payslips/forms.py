"""The simulator form: a GET form (it changes nothing), French decimals."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import InputRequired, NumberRange, Optional, Regexp

from eage.forms_fr import FrDecimalField

REQUIRED = _l("Champ obligatoire.")


class SimulatorForm(FlaskForm):
    class Meta:
        csrf = False  # read-only computation sent by GET

    gross = FrDecimalField(
        _l("Salaire brut mensuel (€)"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(min=Decimal("0.01"), message=_l("Montant positif attendu.")),
        ],
    )
    weekly_hours = FrDecimalField(
        _l("Durée hebdomadaire (heures)"),
        default=Decimal("35.00"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(
                min=Decimal("1"), max=Decimal("35"), message=_l("Entre 1 et 35 heures par semaine.")
            ),
        ],
    )
    cadre = BooleanField(_l("Cadre"))
    month = StringField(
        _l("Mois (AAAA-MM)"),
        validators=[
            InputRequired(REQUIRED),
            Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", message=_l("Mois attendu au format AAAA-MM.")),
        ],
    )
    atmp_rate = FrDecimalField(
        _l("Taux AT/MP (%)"),
        places=3,
        validators=[
            Optional(),
            NumberRange(min=Decimal("0"), max=Decimal("20"), message=_l("Entre 0 et 20 %.")),
        ],
    )
    health_insurance = FrDecimalField(
        _l("Mutuelle (€ par mois)"),
        validators=[
            Optional(),
            NumberRange(min=Decimal("0"), message=_l("Montant positif attendu.")),
        ],
    )
    health_employer_share = FrDecimalField(
        _l("Part employeur de la mutuelle (%)"),
        validators=[
            Optional(),
            NumberRange(
                min=Decimal("50"),
                max=Decimal("100"),
                message=_l("Entre 50 et 100 % (art. L911-7 CSS)."),
            ),
        ],
    )
    submit = SubmitField(_l("Simuler"))
