from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from eage.admin.services import ROLE_LABELS
from eage.auth.emails import ValidEmail
from eage.forms_fr import choices

REQUIRED = _l("Ce champ est obligatoire.")


def _int_or_none(value: object) -> int | None:
    if value in (None, "", "None"):
        return None
    return int(str(value))


class UserForm(FlaskForm):
    email = EmailField(
        _l("Adresse e-mail"),
        validators=[DataRequired(REQUIRED), ValidEmail(), Length(max=200)],
    )
    name = StringField(_l("Nom affiché"), validators=[Optional(), Length(max=200)])
    role = SelectField(
        _l("Rôle"), choices=choices(ROLE_LABELS), validators=[DataRequired(REQUIRED)]
    )
    member_id = SelectField(
        _l("Structure adhérente"),
        coerce=_int_or_none,
        validate_choice=False,
        description=_l("Obligatoire pour le rôle adhérent, vide sinon."),
    )
    active = BooleanField(_l("Compte actif"), default=True)
    # issue 18: a member user who may invite and remove its member's other users
    member_admin = BooleanField(_l("Gère les utilisateurs de sa structure (rôle adhérent)"))
    password = PasswordField(
        _l("Mot de passe"), validators=[Optional()], render_kw={"autocomplete": "new-password"}
    )
    password_confirm = PasswordField(
        _l("Confirmer le mot de passe"),
        validators=[Optional()],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Enregistrer"))

    def data_for_service(self) -> dict[str, object]:
        return {
            "email": (self.email.data or "").strip().lower() or None,
            "name": (self.name.data or "").strip() or None,
            "role": self.role.data,
            "member_id": self.member_id.data,
            "active": bool(self.active.data),
            "member_admin": bool(self.member_admin.data),
            "password": self.password.data or None,
            "password_confirm": self.password_confirm.data or None,
        }


class ConfirmForm(FlaskForm):
    """An empty form: a button protected by its CSRF token."""


class VatOptionForm(FlaskForm):
    vat_on_debits = BooleanField(
        _l("Option pour le paiement de la TVA d'après les débits"),
        description=_l(
            "Art. 269-2-c du CGI. Sans option, la TVA sur les prestations est exigible à "
            "l'encaissement (compte 44574 jusqu'au paiement). Avec l'option, elle est "
            "exigible à la facturation (44571) et chaque facture porte la mention « Option "
            "pour le paiement de la taxe d'après les débits ». Le changement ne vaut que pour "
            "les factures émises ensuite."
        ),
    )
    submit = SubmitField(_l("Enregistrer"))
