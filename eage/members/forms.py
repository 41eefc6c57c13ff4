"""Member forms (French labels; the domain rules live in services.check_member)."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from eage.forms_fr import FrDateField, FrDecimalField, Range, choices
from eage.members.services import VAT_REGIME_LABELS
from eage.models import Service

REQUIRED = _l("Ce champ est obligatoire.")


class MemberForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(REQUIRED), Length(max=20)],
        description=_l("Court et unique, en majuscules (ex. LEFIL)."),
        render_kw={"autocapitalize": "characters", "data-uppercase": True},
    )
    name = StringField(_l("Raison sociale"), validators=[DataRequired(REQUIRED), Length(max=200)])
    legal_form = StringField(
        _l("Forme juridique"),
        validators=[DataRequired(REQUIRED), Length(max=100)],
        description=_l("Ex. Association loi 1901, SCOP SARL, SCIC SAS."),
    )
    siret = StringField(
        _l("SIRET"),
        validators=[Optional(), Length(max=20)],
        description=_l("14 chiffres ; les espaces sont acceptés."),
    )
    siren = StringField(
        _l("SIREN"),
        validators=[Optional(), Length(max=15)],
        description=_l("9 chiffres ; déduit du SIRET s'il est laissé vide."),
    )
    vat_number = StringField(
        _l("N° de TVA intracommunautaire"),
        validators=[Optional(), Length(max=20)],
        description=_l("FR + clé + SIREN, ex. FR 12 345678901."),
    )
    vat_regime = SelectField(
        _l("Régime de TVA"), choices=choices(VAT_REGIME_LABELS), validators=[DataRequired(REQUIRED)]
    )
    address = StringField(_l("Adresse"), validators=[Optional(), Length(max=200)])
    postcode = StringField(_l("Code postal"), validators=[Optional(), Length(max=10)])
    city = StringField(_l("Ville"), validators=[Optional(), Length(max=100)])
    email = EmailField(
        _l("E-mail de contact"),
        validators=[Optional(), Email(_l("Adresse e-mail invalide.")), Length(max=200)],
    )
    iban = StringField(
        _l("IBAN du compte payeur"),
        validators=[Optional(), Length(max=42)],
        description=_l("Rapproche ses virements sur les relevés bancaires ; espaces acceptés."),
    )
    joined_on = FrDateField(_l("Date d'adhésion"), validators=[InputRequired(REQUIRED)])
    left_on = FrDateField(_l("Date de sortie"), validators=[Optional()])
    payment_terms_days = IntegerField(
        _l("Délai de paiement (jours)"),
        default=30,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(0, 60, _l("Entre 0 et 60 jours (art. L441-10 C. com.).")),
        ],
    )
    previous_year_gross_payroll = FrDecimalField(
        _l("Masse salariale brute de l'année précédente (€)"),
        default=Decimal("0.00"),
        validators=[InputRequired(REQUIRED), Range(Decimal("0"))],
        description=_l("Sert au calcul de la cotisation annuelle."),
    )
    submit = SubmitField(_l("Enregistrer"))

    def data_for_service(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for name in (
            "code",
            "name",
            "legal_form",
            "siret",
            "siren",
            "vat_number",
            "vat_regime",
            "address",
            "postcode",
            "city",
            "email",
            "joined_on",
            "left_on",
            "payment_terms_days",
            "previous_year_gross_payroll",
            "iban",
        ):
            value = getattr(self, name).data
            if isinstance(value, str):
                value = value.strip() or None
            out[name] = value
        return out


class PlannedHoursForm(FlaskForm):
    """One hours field per service is added at runtime (see planned_hours_form)."""

    submit = SubmitField(_l("Enregistrer les heures"))


def planned_hours_form(services: list[Service], values: dict[int, Decimal]) -> FlaskForm:
    class _Form(PlannedHoursForm):
        pass

    for s in services:
        setattr(
            _Form,
            f"s{s.id}",
            FrDecimalField(
                f"{s.label} ({s.code})",
                validators=[Optional(), Range(Decimal("0"))],
                default=values.get(s.id),
            ),
        )
    return _Form()
