"""The member admin's invitation form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from eage.auth.emails import ValidEmail
from eage.auth.forms import REQUIRED


class InviteForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(REQUIRED), ValidEmail()])
    name = StringField(_l("Nom (facultatif)"), validators=[Length(max=200)])
    submit = SubmitField(_l("Inviter"))
