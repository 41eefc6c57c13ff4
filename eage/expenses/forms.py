"""Forms of the expenses area: one expense or operating income, and the file import."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length

from eage.forms_fr import FrDateField, FrDecimalField

REQUIRED = "Ce champ est obligatoire."


class ExpenseForm(FlaskForm):
    date = FrDateField("Date", validators=[InputRequired(REQUIRED)])
    account = StringField(
        "Compte",
        validators=[DataRequired(REQUIRED), Length(max=10)],
        description="Classe 6 du plan comptable associatif (ex. 613200 loyer, "
        "626000 télécommunications) ; pas de 64 : la paie vient des bulletins.",
        render_kw={"inputmode": "numeric"},
    )
    label = StringField("Libellé", validators=[DataRequired(REQUIRED), Length(max=200)])
    amount = FrDecimalField(
        "Montant (€)",
        validators=[InputRequired(REQUIRED)],
        description="Négatif pour un avoir fournisseur ou un remboursement.",
    )
    service_id = SelectField("Service (facultatif)", choices=[])
    submit = SubmitField("Enregistrer")


class IncomeForm(ExpenseForm):
    account = StringField(
        "Compte",
        validators=[DataRequired(REQUIRED), Length(max=10)],
        description="Classe 7 (ex. 740000 subventions d'exploitation) ; pas de 706 : "
        "les prestations viennent des factures.",
        render_kw={"inputmode": "numeric"},
    )
    amount = FrDecimalField("Montant (€)", validators=[InputRequired(REQUIRED)])


class ImportForm(FlaskForm):
    file = FileField(
        "Fichier de dépenses (CSV ou XLSX)",
        validators=[
            FileRequired("Choisissez un fichier."),
            FileAllowed(["csv", "xlsx", "txt"], "Seuls les fichiers .csv et .xlsx sont acceptés."),
        ],
    )
    dry_run = BooleanField("Vérifier seulement (ne rien enregistrer)")
    submit = SubmitField("Importer")
