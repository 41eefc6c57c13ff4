"""Employee and contract forms (French labels; domain rules live in services)."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from eage.forms_fr import FrDateField, FrDecimalField, Range, choices
from eage.staff.services import CONTRACT_KINDS

REQUIRED = _l("Ce champ est obligatoire.")


class EmployeeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(REQUIRED), Length(max=20)],
        description=_l("Court et unique, en majuscules (ex. CMARTIN)."),
        render_kw={"autocapitalize": "characters", "data-uppercase": True},
    )
    first_name = StringField(_l("Prénom"), validators=[DataRequired(REQUIRED), Length(max=100)])
    last_name = StringField(_l("Nom"), validators=[DataRequired(REQUIRED), Length(max=100)])
    job = StringField(_l("Emploi"), validators=[DataRequired(REQUIRED), Length(max=200)])
    classification = StringField(
        _l("Classification conventionnelle"), validators=[Optional(), Length(max=200)]
    )
    email = EmailField(
        _l("E-mail"),
        validators=[Optional(), Email(_l("Adresse e-mail invalide.")), Length(max=200)],
    )
    # Never pre-filled: the number is not sent back to the browser (SPEC §3).
    social_security_number = StringField(
        _l("N° de sécurité sociale"),
        validators=[Optional(), Length(max=25)],
        render_kw={"autocomplete": "off", "inputmode": "numeric"},
    )
    pas_rate = FrDecimalField(
        _l("Taux de prélèvement à la source (%)"),
        default=Decimal("0.00"),
        validators=[InputRequired(REQUIRED), Range(Decimal("0"), Decimal("100"))],
        description=_l("Taux transmis par l'administration fiscale (0 à 100 %)."),
    )
    iban = StringField(
        _l("IBAN"),
        validators=[Optional(), Length(max=42)],
        description=_l("Compte où le salaire net est viré (virement SEPA)."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
    )
    bic = StringField(
        _l("BIC"),
        validators=[Optional(), Length(max=11)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
    )
    submit = SubmitField(_l("Enregistrer"))

    def data_for_service(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for name in (
            "code",
            "first_name",
            "last_name",
            "job",
            "classification",
            "email",
            "social_security_number",
            "pas_rate",
            "iban",
            "bic",
        ):
            value = getattr(self, name).data
            if isinstance(value, str):
                value = value.strip() or None
            out[name] = value
        return out


class ContractForm(FlaskForm):
    kind = SelectField(
        _l("Nature du contrat"),
        choices=choices(CONTRACT_KINDS),
        validators=[DataRequired(REQUIRED)],
    )
    start_date = FrDateField(_l("Date de début"), validators=[InputRequired(REQUIRED)])
    end_date = FrDateField(
        _l("Date de fin"),
        validators=[Optional()],
        description=_l("Vide pour un contrat sans date de fin."),
    )
    weekly_hours = FrDecimalField(
        _l("Durée hebdomadaire (heures)"),
        validators=[InputRequired(REQUIRED)],
        description=_l("Plus de 0 et au plus 48 h ; 35 h = temps plein."),
    )
    monthly_gross = FrDecimalField(
        _l("Salaire brut mensuel (€)"), validators=[InputRequired(REQUIRED), Range(Decimal("0"))]
    )
    cadre = BooleanField(_l("Cadre"))
    submit = SubmitField(_l("Enregistrer le contrat"))

    def data_for_service(self) -> dict[str, object]:
        return {
            name: getattr(self, name).data
            for name in ("kind", "start_date", "end_date", "weekly_hours", "monthly_gross", "cadre")
        }
