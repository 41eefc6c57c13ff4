from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from eage.auth.emails import ValidEmail

REQUIRED = _l("Ce champ est obligatoire.")
NEW_PASSWORD = {"autocomplete": "new-password"}


class LoginForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(REQUIRED), ValidEmail()])
    password = PasswordField(
        _l("Mot de passe"), validators=[DataRequired(REQUIRED), Length(max=1000)]
    )
    submit = SubmitField(_l("Se connecter"))


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code à 6 chiffres"),
        validators=[DataRequired(REQUIRED), Length(max=10)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    submit = SubmitField(_l("Valider"))


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Nouveau mot de passe"),
        validators=[DataRequired(REQUIRED), Length(max=1000)],
        render_kw=NEW_PASSWORD,
    )
    password_confirm = PasswordField(
        _l("Confirmer le nouveau mot de passe"),
        validators=[DataRequired(REQUIRED)],
        render_kw=NEW_PASSWORD,
    )
    submit = SubmitField(_l("Enregistrer"))


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        _l("Mot de passe actuel"),
        validators=[DataRequired(REQUIRED), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(REQUIRED), ValidEmail()])
    submit = SubmitField(_l("Recevoir un lien"))
