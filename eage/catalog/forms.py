from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length

from eage.forms_fr import FrDecimalField, Range

REQUIRED = _l("Ce champ est obligatoire.")


class ServiceForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(REQUIRED), Length(max=20)],
        description=_l("Court et unique, en majuscules (ex. PAIE)."),
        render_kw={"autocapitalize": "characters", "data-uppercase": True},
    )
    label = StringField(_l("Libellé"), validators=[DataRequired(REQUIRED), Length(max=200)])
    submit = SubmitField(_l("Enregistrer"))


class RateForm(FlaskForm):
    rate = FrDecimalField(
        _l("Taux horaire (€ HT / heure)"),
        validators=[InputRequired(REQUIRED), Range(Decimal("0"), Decimal("10000"))],
        description=_l("Ex. 36,50"),
    )
    # Shown only when the year is already invoiced (catalog.services.rate_change_problems).
    confirm = BooleanField(
        _l(
            "Je confirme : des factures de l'année sont déjà émises au taux actuel ; le nouveau "
            "taux ne s'appliquera qu'aux factures à venir."
        )
    )
    submit = SubmitField(_l("Enregistrer le taux"))
