from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from eage.forms_fr import FrDateField

OD_ROWS = 8  # lines offered on the OD form (rows left empty are ignored)


class AccountForm(FlaskForm):
    """Checked by the service (every problem at once)."""

    number = StringField("Numéro de compte", validators=[Length(max=20)])
    label = StringField("Intitulé", validators=[Length(max=200)])
    active = BooleanField("Actif (proposé à la saisie)", default=True)
    submit = SubmitField("Enregistrer")


class ManualEntryForm(FlaskForm):
    """The header of an OD entry; its lines are the rows line-N-* of the same form."""

    day = FrDateField("Date de l'écriture", validators=[DataRequired(message="Indiquez la date.")])
    label = StringField(
        "Libellé", validators=[DataRequired(message="Indiquez le libellé."), Length(max=300)]
    )
    piece_ref = StringField(
        "Pièce justificative",
        validators=[DataRequired(message="Indiquez la référence de la pièce."), Length(max=60)],
    )
    submit = SubmitField("Enregistrer le brouillon")


class ConfirmForm(FlaskForm):
    submit = SubmitField("Confirmer")


class LockDateForm(FlaskForm):
    """The period lock: no validated entry on or before this day (it only moves forward)."""

    day = FrDateField(
        "Verrouiller la période jusqu'au (inclus)",
        validators=[DataRequired(message="Indiquez la date.")],
    )
    submit = SubmitField("Verrouiller")
