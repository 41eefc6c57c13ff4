"""Forms of the expenses area: one expense or operating income, and the file import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from eage.forms_fr import FrDateField, FrDecimalField, choices

REQUIRED = _l("Ce champ est obligatoire.")


class _RowForm(FlaskForm):
    """What an expense and an operating income share."""

    date = FrDateField(_l("Date"), validators=[InputRequired(REQUIRED)])
    label = StringField(_l("Libellé"), validators=[DataRequired(REQUIRED), Length(max=200)])
    service_id = SelectField(_l("Service (facultatif)"), choices=[])
    submit = SubmitField(_l("Enregistrer"))


class ExpenseForm(_RowForm):
    account = StringField(
        _l("Compte"),
        validators=[DataRequired(REQUIRED), Length(max=10)],
        description=_l(
            "Classe 6 du plan comptable associatif (ex. 613200 loyer, "
            "626000 télécommunications) ; pas de 64 : la paie vient des bulletins."
        ),
        render_kw={"inputmode": "numeric"},
    )
    amount = FrDecimalField(
        _l("Montant (€)"),
        validators=[InputRequired(REQUIRED)],
        description=_l(
            "Le coût : hors taxes si la TVA est déductible, TTC sinon. "
            "Négatif pour un avoir fournisseur ou un remboursement."
        ),
    )
    vat = FrDecimalField(
        _l("TVA déductible (€)"),
        validators=[Optional()],
        description=_l("Portée en 44566 ; vide ou 0 si le groupement ne la déduit pas."),
    )
    supplier = StringField(
        _l("Fournisseur"),
        validators=[Optional(), Length(max=200)],
        description=_l("Compte auxiliaire 401 ; « Fournisseurs divers » si vide."),
    )
    supplier_iban = StringField(
        _l("IBAN du fournisseur (facultatif)"),
        validators=[Optional(), Length(max=42)],
        description=_l(
            "Retenu pour ce fournisseur : ses factures pourront être payées par virement SEPA."
        ),
        render_kw={"autocapitalize": "characters", "autocomplete": "off"},
    )
    supplier_bic = StringField(
        _l("BIC du fournisseur (facultatif)"),
        validators=[Optional(), Length(max=11)],
        render_kw={"autocapitalize": "characters", "autocomplete": "off"},
    )
    paid_by = SelectField(
        _l("Réglée par"),
        choices=choices(
            {
                "supplier": _l("Facture fournisseur (401)"),
                "bank": _l("Prélevée ou payée par la banque (512)"),
            }
        ),
        default="supplier",
    )


class IncomeForm(_RowForm):
    account = StringField(
        _l("Compte"),
        validators=[DataRequired(REQUIRED), Length(max=10)],
        description=_l(
            "Classe 7 (ex. 740000 subventions d'exploitation) ; pas de 706 : "
            "les prestations viennent des factures."
        ),
        render_kw={"inputmode": "numeric"},
    )
    amount = FrDecimalField(_l("Montant (€)"), validators=[InputRequired(REQUIRED)])


class ImportForm(FlaskForm):
    file = FileField(
        _l("Fichier de dépenses (CSV ou XLSX)"),
        validators=[
            FileRequired(_l("Choisissez un fichier.")),
            FileAllowed(
                ["csv", "xlsx", "txt"], _l("Seuls les fichiers .csv et .xlsx sont acceptés.")
            ),
        ],
    )
    dry_run = BooleanField(_l("Vérifier seulement (ne rien enregistrer)"))
    submit = SubmitField(_l("Importer"))


class SupplierBankForm(FlaskForm):
    """A supplier's bank details alone: also for a supplier whose invoices are all posted."""

    supplier = StringField(
        _l("Fournisseur"),
        validators=[DataRequired(REQUIRED), Length(max=200)],
        description=_l("Tel qu'écrit sur ses dépenses (compte auxiliaire 401)."),
    )
    supplier_iban = StringField(
        _l("IBAN"),
        validators=[DataRequired(REQUIRED), Length(max=42)],
        render_kw={"autocapitalize": "characters", "autocomplete": "off"},
    )
    supplier_bic = StringField(
        _l("BIC (facultatif)"),
        validators=[Optional(), Length(max=11)],
        render_kw={"autocapitalize": "characters", "autocomplete": "off"},
    )
    submit = SubmitField(_l("Enregistrer"))
