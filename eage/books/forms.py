from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from eage.forms_fr import FrDateField

OD_ROWS = 8  # lines offered on the OD form (rows left empty are ignored)


class AccountForm(FlaskForm):
    """Checked by the service (every problem at once)."""

    number = StringField(_l("Numéro de compte"), validators=[Length(max=20)])
    label = StringField(_l("Intitulé"), validators=[Length(max=200)])
    active = BooleanField(_l("Actif (proposé à la saisie)"), default=True)
    submit = SubmitField(_l("Enregistrer"))


class ManualEntryForm(FlaskForm):
    """The header of an OD entry; its lines are the rows line-N-* of the same form."""

    day = FrDateField(
        _l("Date de l'écriture"), validators=[DataRequired(message=_l("Indiquez la date."))]
    )
    label = StringField(
        _l("Libellé"),
        validators=[DataRequired(message=_l("Indiquez le libellé.")), Length(max=300)],
    )
    piece_ref = StringField(
        _l("Pièce justificative"),
        validators=[DataRequired(message=_l("Indiquez la référence de la pièce.")), Length(max=60)],
    )
    submit = SubmitField(_l("Enregistrer le brouillon"))


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("Confirmer"))


class LockDateForm(FlaskForm):
    """The period lock: no validated entry on or before this day (it only moves forward)."""

    day = FrDateField(
        _l("Verrouiller la période jusqu'au (inclus)"),
        validators=[DataRequired(message=_l("Indiquez la date."))],
    )
    submit = SubmitField(_l("Verrouiller"))
