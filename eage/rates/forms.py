"""Forms of the rate calculator, built per year (one field per employee and per service)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField
from wtforms.validators import InputRequired, Optional

from eage.forms_fr import FrDecimalField, Range
from eage.rates.services import RateStudy, WhatIf

POSITIVE = Range(Decimal("0"), message=_l("La valeur doit être positive ou nulle."))


class _GetForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: it changes nothing


def whatif_form(base: RateStudy, formdata: Any) -> FlaskForm:
    """Hypotheses: a monthly gross per employee, planned hours per service, the overheads.
    Empty fields keep the budget's value (shown next to each field)."""

    class WhatIfForm(_GetForm):
        pass

    for e in base.employees:
        setattr(
            WhatIfForm,
            f"brut_{e.code}",
            FrDecimalField(
                _l("%(name)s — salaire brut mensuel (€)", name=e.name),
                validators=[Optional(), POSITIVE],
            ),
        )
    for s in base.services:
        setattr(
            WhatIfForm,
            f"heures_{s.code}",
            FrDecimalField(
                _l("%(label)s — heures prévues", label=s.label), validators=[Optional(), POSITIVE]
            ),
        )
    WhatIfForm.frais = FrDecimalField(
        _l("Frais de structure de l'année (€)"), validators=[Optional(), POSITIVE]
    )
    return WhatIfForm(formdata=formdata)


def whatif_from(form: FlaskForm, base: RateStudy) -> WhatIf:
    """The hypotheses that differ from the budget (a value equal to it is no hypothesis)."""
    gross = {
        e.code: v
        for e in base.employees
        if (v := form[f"brut_{e.code}"].data) is not None and v != e.contract_gross
    }
    hours = {
        s.code: v
        for s in base.services
        if (v := form[f"heures_{s.code}"].data) is not None and v != s.budget_hours
    }
    overheads = form["frais"].data
    if overheads is not None and overheads == base.overheads_budget:
        overheads = None
    return WhatIf(gross=gross, hours=hours, overheads=overheads)


def adopt_form(
    services: Iterable[tuple[str, str]],
    *,
    ask_confirmation: bool,
    data: dict[str, Any] | None = None,
) -> FlaskForm:
    """One rate per service, prefilled with the proposal: the manager accepts or overrides
    it (SPEC §5)."""

    class AdoptForm(FlaskForm):
        submit = SubmitField(_l("Adopter ces taux"))

    for code, label in services:
        setattr(
            AdoptForm,
            f"taux_{code}",
            FrDecimalField(
                _l("%(label)s — taux retenu (€/h)", label=label),
                validators=[InputRequired(_l("Indiquer le taux retenu.")), POSITIVE],
            ),
        )
    if ask_confirmation:
        AdoptForm.confirm = BooleanField(
            _l(
                "Je confirme : des factures de l'année sont déjà émises aux taux actuels ; les "
                "nouveaux taux ne s'appliqueront qu'aux factures à venir."
            )
        )
    return AdoptForm(data=data) if data is not None else AdoptForm()
