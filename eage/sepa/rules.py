"""The SEPA rules eage checks before writing a file (pure: no Flask, no database).

- IBAN (ISO 13616, mod 97-10) and BIC (ISO 9362) through python-stdnum.
- The SEPA creditor identifier (ICS in France): ``FR`` + 2 check digits + a 3-character
  business code + the 11-character national identifier; the check digits are ISO 7064
  mod 97-10 computed over the national identifier followed by the country code and ``00``,
  the business code left out (EPC262-08 "Creditor Identifier Overview").
- Collection and execution dates: TARGET2 business days (ECB: every day but Saturdays,
  Sundays, 1 January, Good Friday, Easter Monday, 1 May, 25 and 26 December).
- Texts: the SEPA character set (EPC217-08: latin letters, digits, ``/ - ? : ( ) . , ' +``
  and space) — the library transliterates accents.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import InvalidChecksum, ValidationError

from accounting.calendar import easter_sunday
from eage.filters import tr

ICS_PATTERN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{3}[A-Z0-9]{1,28}$")
FR_ICS_PATTERN = re.compile(r"^FR[0-9]{2}[A-Z0-9]{3}[A-Z0-9]{11}$")
# A mandate reference (RUM): up to 35 characters of the SEPA set, no space (EPC rulebook).
MANDATE_REFERENCE = re.compile(r"^[A-Za-z0-9/\-?:().,'+]{1,35}$")
# SEPA Core: a mandate not used for 36 months expires (SDD Core rulebook 4.5, CT-05).
MANDATE_EXPIRY_MONTHS = 36


def compact(value: str | None) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def iban_problem(value: str | None) -> str | None:
    """None if ``value`` is a valid IBAN, else why not (French)."""
    if not compact(value):
        return tr("IBAN manquant")
    try:
        stdnum_iban.validate(compact(value))
    except InvalidChecksum:
        return tr(
            "IBAN %(iban)s invalide : la clé de contrôle ne correspond pas", iban=compact(value)
        )
    except ValidationError:
        return tr("IBAN %(iban)s invalide", iban=compact(value))
    return None


def bic_problem(value: str | None, *, required: bool = False) -> str | None:
    """None if ``value`` is empty (and not required) or a valid BIC, else why not."""
    if not compact(value):
        return tr("BIC manquant") if required else None
    try:
        stdnum_bic.validate(compact(value))
    except ValidationError:
        return tr(
            "BIC %(bic)s invalide : 8 ou 11 caractères (banque, pays, lieu)", bic=compact(value)
        )
    return None


def _mod97(text: str) -> int:
    digits = "".join(str(int(c, 36)) for c in text)
    return int(digits) % 97


def ics_check_digits(country: str, national_id: str) -> str:
    """The two check digits of a creditor identifier (ISO 7064 mod 97-10)."""
    return f"{98 - _mod97(national_id + country + '00'):02d}"


def ics_problem(value: str | None) -> str | None:
    """None if ``value`` is a well-formed creditor identifier with right check digits."""
    ics = compact(value)
    if not ics:
        return tr("identifiant créancier SEPA (ICS) manquant")
    pattern = FR_ICS_PATTERN if ics.startswith("FR") else ICS_PATTERN
    if not pattern.match(ics):
        return tr(
            "identifiant créancier SEPA %(ics)s invalide : FR + 2 chiffres de contrôle "
            "+ 3 caractères + 11 caractères attendus (ex. FR53ZZZ00000012345)",
            ics=ics,
        )
    if ics_check_digits(ics[:2], ics[7:]) != ics[2:4]:
        return tr(
            "identifiant créancier SEPA %(ics)s invalide : la clé de contrôle ne correspond pas",
            ics=ics,
        )
    return None


def target_holidays(year: int) -> frozenset[date]:
    easter = easter_sunday(year)
    return frozenset(
        {
            date(year, 1, 1),
            easter - timedelta(days=2),
            easter + timedelta(days=1),
            date(year, 5, 1),
            date(year, 12, 25),
            date(year, 12, 26),
        }
    )


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in target_holidays(day.year)


def next_business_day(after: date) -> date:
    """The first TARGET2 business day strictly after ``after``."""
    day = after + timedelta(days=1)
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
