"""The password policy, one for the web forms and the `eage` commands.

At least 12 characters (ANSSI recommends a length of at least 12 characters for a password
protected by a throttled sign-in, and OWASP ASVS V2.1.1 asks for 12), not one of the
commonest passwords (ASVS V2.1.7: checked against a list of breached passwords, case
ignored), and not the user's own e-mail address. Every reason is given at once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask_babel import gettext as _

MIN_LENGTH = 12
COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common_passwords.txt"


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def password_problems(password: str, *, email: str | None = None) -> list[str]:
    """Why `password` is refused (French messages), or [] when it is acceptable."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(_("Le mot de passe doit compter au moins %(n)s caractères.", n=MIN_LENGTH))
    folded = password.strip().lower()
    if folded in common_passwords():
        problems.append(
            _("Ce mot de passe fait partie des plus courants : choisissez-en un autre.")
        )
    if email and _is_the_email(folded, email.strip().lower()):
        problems.append(_("Le mot de passe ne doit pas reprendre l'adresse e-mail."))
    return problems


def _is_the_email(folded: str, email: str) -> bool:
    local = email.partition("@")[0]
    return email in folded or (len(local) >= 4 and folded in (local, local + local))
