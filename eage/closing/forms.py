"""The month-close page's forms: close a month (confirming the figures, the warnings and the
earlier months still open), reopen it (admin)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

# A box left unticked sends nothing; "no" (the old select's refusal) is a refusal too.
REFUSED = ("false", "", "no")


class CloseForm(FlaskForm):
    month = StringField(_l("Mois (AAAA-MM)"), validators=[DataRequired()])
    figures = HiddenField()  # the fingerprint of the figures shown (services.figures_digest)
    confirm_figures = BooleanField(
        _l("J'ai vérifié les chiffres ci-dessus : émettre ces factures et ces bulletins"),
        false_values=REFUSED,
    )
    confirm_warnings = BooleanField(
        _l("J'ai vérifié les avertissements et je confirme"), false_values=REFUSED
    )
    confirm_earlier = BooleanField(
        _l("Clôturer ce mois quand même, avant les mois précédents"), false_values=REFUSED
    )
    submit = SubmitField(_l("Clôturer le mois"))


class ReopenForm(FlaskForm):
    reason = TextAreaField(
        _l("Motif de la réouverture"),
        validators=[DataRequired(message=_l("Indiquez le motif.")), Length(max=500)],
    )
    submit = SubmitField(_l("Rouvrir le mois"))
