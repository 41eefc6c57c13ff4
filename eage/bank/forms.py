"""The bank pages' forms: a statement file, a bank's CSV columns."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from accounting.texts import N_
from eage.forms_fr import choices


class StatementForm(FlaskForm):
    file = FileField(
        _l("Relevé bancaire (CAMT.053, OFX ou CSV)"),
        validators=[
            FileRequired(_l("Choisissez un fichier.")),
            FileAllowed(
                ["xml", "ofx", "qfx", "csv", "txt", "sta"],
                _l("Seuls les fichiers .xml (CAMT.053), .ofx et .csv sont acceptés."),
            ),
        ],
    )
    bank = SelectField(
        _l("Format CSV de la banque (pour un CSV)"), choices=[], validators=[Optional()]
    )
    dry_run = BooleanField(_l("Vérifier seulement (ne rien enregistrer)"))
    submit = SubmitField(_l("Importer le relevé"))


class CsvMappingForm(FlaskForm):
    bank_name = StringField(
        _l("Banque"), validators=[DataRequired(_l("Indiquez la banque.")), Length(max=100)]
    )
    account_iban = StringField(
        _l("IBAN du compte"),
        validators=[DataRequired(_l("Indiquez l'IBAN du compte.")), Length(max=40)],
    )
    date_column = StringField(
        _l("Colonne de la date"),
        validators=[DataRequired(_l("Indiquez la colonne de la date.")), Length(max=60)],
    )
    date_format = SelectField(
        _l("Format des dates"),
        choices=choices(
            [
                ("%d/%m/%Y", N_("JJ/MM/AAAA")),
                ("%Y-%m-%d", N_("AAAA-MM-JJ")),
                ("%d/%m/%y", N_("JJ/MM/AA")),
                ("%d-%m-%Y", N_("JJ-MM-AAAA")),
            ]
        ),
    )
    label_column = StringField(
        _l("Colonne du libellé"),
        validators=[DataRequired(_l("Indiquez la colonne du libellé.")), Length(max=60)],
    )
    amount_column = StringField(
        _l("Colonne du montant signé"), validators=[Optional(), Length(max=60)]
    )
    debit_column = StringField(_l("ou colonne du débit"), validators=[Optional(), Length(max=60)])
    credit_column = StringField(_l("et colonne du crédit"), validators=[Optional(), Length(max=60)])
    reference_column = StringField(
        _l("Colonne de la référence (facultatif)"), validators=[Optional(), Length(max=60)]
    )
    counterparty_column = StringField(
        _l("Colonne du tiers (facultatif)"), validators=[Optional(), Length(max=60)]
    )
    iban_column = StringField(
        _l("Colonne de l'IBAN du tiers (facultatif)"), validators=[Optional(), Length(max=60)]
    )
    decimal_comma = BooleanField(_l("Virgule décimale (1 234,56)"), default=True)
    submit = SubmitField(_l("Enregistrer le format"))
