"""Forms of the SEPA area: the creditor settings, a mandate, a debit batch, a transfer batch."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from accounting.texts import N_
from eage.forms_fr import FrDateField, choices

REQUIRED = _l("Ce champ est obligatoire.")
MANDATE_KIND_LABELS = {"recurrent": N_("Récurrent"), "one_off": N_("Ponctuel")}


class SettingsForm(FlaskForm):
    creditor_identifier = StringField(
        _l("Identifiant créancier SEPA (ICS)"),
        validators=[Optional(), Length(max=40)],
        description=_l(
            "Attribué par la Banque de France via votre banque, ex. FR53ZZZ00000012345."
        ),
        render_kw={"autocapitalize": "characters"},
    )
    urssaf_name = StringField(_l("URSSAF : bénéficiaire"), validators=[Optional(), Length(max=70)])
    urssaf_iban = StringField(_l("URSSAF : IBAN"), validators=[Optional(), Length(max=42)])
    urssaf_bic = StringField(_l("URSSAF : BIC"), validators=[Optional(), Length(max=11)])
    retirement_name = StringField(
        _l("Retraite complémentaire : bénéficiaire"), validators=[Optional(), Length(max=70)]
    )
    retirement_iban = StringField(
        _l("Retraite complémentaire : IBAN"), validators=[Optional(), Length(max=42)]
    )
    retirement_bic = StringField(
        _l("Retraite complémentaire : BIC"), validators=[Optional(), Length(max=11)]
    )
    withholding_tax_name = StringField(
        _l("Prélèvement à la source : bénéficiaire"), validators=[Optional(), Length(max=70)]
    )
    withholding_tax_iban = StringField(
        _l("Prélèvement à la source : IBAN"), validators=[Optional(), Length(max=42)]
    )
    withholding_tax_bic = StringField(
        _l("Prélèvement à la source : BIC"), validators=[Optional(), Length(max=11)]
    )
    health_name = StringField(
        _l("Mutuelle et prévoyance : bénéficiaire"), validators=[Optional(), Length(max=70)]
    )
    health_iban = StringField(
        _l("Mutuelle et prévoyance : IBAN"), validators=[Optional(), Length(max=42)]
    )
    health_bic = StringField(
        _l("Mutuelle et prévoyance : BIC"), validators=[Optional(), Length(max=11)]
    )
    submit = SubmitField(_l("Enregistrer"))


class MandateForm(FlaskForm):
    member_id = SelectField(_l("Adhérent"), choices=[], validators=[DataRequired(REQUIRED)])
    reference = StringField(
        _l("Référence unique du mandat (RUM)"),
        validators=[DataRequired(REQUIRED), Length(max=35)],
        description=_l("35 caractères au plus, sans espace ; ne change plus ensuite."),
    )
    signed_on = FrDateField(_l("Date de signature"), validators=[InputRequired(REQUIRED)])
    debtor_name = StringField(
        _l("Titulaire du compte"), validators=[DataRequired(REQUIRED), Length(max=140)]
    )
    iban = StringField(_l("IBAN"), validators=[DataRequired(REQUIRED), Length(max=42)])
    bic = StringField(_l("BIC"), validators=[Optional(), Length(max=11)])
    kind = SelectField(_l("Type de mandat"), choices=choices(MANDATE_KIND_LABELS))
    submit = SubmitField(_l("Enregistrer le mandat"))


class DebitForm(FlaskForm):
    collection_date = FrDateField(
        _l("Date de prélèvement"),
        validators=[InputRequired(REQUIRED)],
        description=_l("Un jour ouvré bancaire (TARGET2) à venir."),
    )
    preview = SubmitField(_l("Aperçu"))
    generate = SubmitField(_l("Générer le fichier et envoyer les pré-notifications"))


class TransferForm(FlaskForm):
    month = StringField(
        _l("Mois de paie (AAAA-MM)"),
        validators=[DataRequired(REQUIRED), Length(max=7)],
        render_kw={"placeholder": "2026-11", "inputmode": "numeric"},
    )
    execution_date = FrDateField(_l("Date d'exécution"), validators=[InputRequired(REQUIRED)])
    with_charges = BooleanField(
        _l("Inclure les charges dues (URSSAF, retraite, prélèvement à la source, mutuelle)")
    )
    with_suppliers = BooleanField(
        _l("Inclure les factures fournisseurs à payer (comptabilisées, jusqu'à la fin du mois)")
    )
    preview = SubmitField(_l("Aperçu"))
    generate = SubmitField(_l("Générer le fichier de virements"))
