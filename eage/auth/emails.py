"""The one e-mail validator, used by every form that takes an address and by the `eage`
commands: an address the CLI accepts can always sign in through the login form."""

from __future__ import annotations

from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError


class InvalidEmail(ValueError):
    """The address cannot be used to sign in; the message says why (in English, for the CLI)."""


def normalise_email(raw: str) -> str:
    """The address as stored and compared (trimmed, lower-case), or InvalidEmail."""
    email = (raw or "").strip().lower()
    if len(email) > 200:
        raise InvalidEmail("e-mail address longer than 200 characters")
    try:
        validate_email(email, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError as exc:
        raise InvalidEmail(str(exc)) from exc
    return email


class ValidEmail:
    """WTForms validator running normalise_email."""

    def __init__(self, message: Any = None) -> None:
        self.message = message or _l("Adresse e-mail invalide.")

    def __call__(self, form: Any, field: Any) -> None:
        try:
            normalise_email(field.data or "")
        except InvalidEmail as exc:
            raise ValidationError(self.message) from exc
