"""An auditor's reading of a FEC: every rule of art. A47 A-1 LPF the file must meet, checked the
way the tax office's test tool (Test Compta Demat) and a chartered accountant read it, every
problem at once.

:func:`accounting.ledger.check_fec` checks the form of each line (file name, encoding, header
and 18 columns, dates ``AAAAMMJJ``, amounts ``1234,56``, one side per line, accounts, each
entry balanced). :func:`audit_fec` adds the rules that span lines:

* **EcritureNum continuous per journal** (A47 A-1 I: « un numéro … unique et continu ») — our
  numbers are ``<journal>-<year>-<seq>``; in a year's file each journal's sequence runs 1, 2, 3…
  without a gap or a repeat, and one number belongs to one entry (one date, one piece).
* **Chronology**: the file is in the order of validation (ValidDate never goes back, the
  opening entries apart) and every EcritureDate lies in the fiscal year.
* **Opening entries** (à-nouveaux, journal ``AN``) come first, dated on the first day.
* **Lettrage**: EcritureLet and DateLet go together; the lines of one matching code (per
  account and auxiliary account) net to zero, and DateLet is not before the lines it matches.
* **No result-closing entry**: no line on 12x/129 outside the opening entries, so classes 7 − 6
  are the result (BOI-CF-IOR-60-40-20 § 190: « pas d'écritures de centralisation ni de
  détermination du résultat »).

Pure: bytes in, messages (French) out.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from accounting.ledger import FecError, check_fec, fec_decimal, parse_fec
from accounting.money import ZERO

__all__ = ["FecSummary", "audit_fec", "summarise_fec"]

_NUMBER = re.compile(r"^(?P<journal>[A-Z]{2})-(?P<year>\d{4})-(?P<seq>\d+)$")


def _day(text: str) -> date | None:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except (ValueError, IndexError):
        return None


def _amount(rec: Mapping[str, str]) -> Decimal:
    """Debit − credit of a line (0 where unreadable: check_fec reports it)."""
    try:
        return fec_decimal(rec["Debit"]) - fec_decimal(rec["Credit"])
    except (ValueError, ArithmeticError):
        return ZERO


def _numbering_problems(records: list[dict[str, str]], year: int | None) -> list[str]:
    problems: list[str] = []
    seqs: dict[str, list[int]] = defaultdict(list)
    heads: dict[str, tuple[str, str, str]] = {}
    previous: str | None = None
    for n, rec in enumerate(records, start=2):
        number = rec["EcritureNum"]
        head = (rec["JournalCode"], rec["EcritureDate"], rec["PieceRef"])
        if number in heads and heads[number] != head:
            problems.append(f"ligne {n} : l'écriture {number} change de journal, date ou pièce")
        if number != previous:
            if number in heads:
                problems.append(f"ligne {n} : les lignes de l'écriture {number} ne se suivent pas")
            match = _NUMBER.match(number)
            if match is None or match["journal"] != rec["JournalCode"]:
                problems.append(f"ligne {n} : EcritureNum {number!r} hors de la série du journal")
            else:
                if year is not None and int(match["year"]) != year:
                    problems.append(f"ligne {n} : EcritureNum {number} d'un autre exercice")
                seqs[rec["JournalCode"]].append(int(match["seq"]))
        heads.setdefault(number, head)
        previous = number
    for journal, numbers in sorted(seqs.items()):
        expected = list(range(1, len(numbers) + 1))
        if sorted(numbers) != expected:
            problems.append(
                f"journal {journal} : numérotation non continue "
                f"(n° {min(numbers)} à {max(numbers)} pour {len(numbers)} écritures)"
            )
    return problems


def _chronology_problems(records: list[dict[str, str]], year: int | None) -> list[str]:
    problems: list[str] = []
    last_valid = ""
    seen_other = False
    for n, rec in enumerate(records, start=2):
        # Opening entries head the file although they are validated at the previous year's
        # closing, later than the year's first entries: the order of validation is the rest's.
        if rec["JournalCode"] != "AN":
            if rec["ValidDate"] < last_valid:
                problems.append(
                    f"ligne {n} : ValidDate {rec['ValidDate']} antérieure à la précédente"
                )
            last_valid = max(last_valid, rec["ValidDate"])
        day = _day(rec["EcritureDate"])
        if year is not None and day is not None and day.year != year:
            problems.append(f"ligne {n} : EcritureDate {rec['EcritureDate']} hors de l'exercice")
        if rec["JournalCode"] == "AN":
            if seen_other:
                problems.append(f"ligne {n} : à-nouveau après des écritures de l'exercice")
            if day is not None and (day.month, day.day) != (1, 1):
                problems.append(f"ligne {n} : à-nouveau daté du {rec['EcritureDate']}")
        else:
            seen_other = True
            if rec["CompteNum"].startswith(("12",)):
                problems.append(
                    f"ligne {n} : écriture de résultat ({rec['CompteNum']}) hors à-nouveaux"
                )
    return problems


def _lettering_problems(records: list[dict[str, str]]) -> list[str]:
    problems: list[str] = []
    groups: dict[tuple[str, str, str], Decimal] = defaultdict(lambda: ZERO)
    latest: dict[tuple[str, str, str], str] = {}
    letdates: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for n, rec in enumerate(records, start=2):
        code, when = rec["EcritureLet"], rec["DateLet"]
        if bool(code) != bool(when):
            problems.append(f"ligne {n} : EcritureLet et DateLet vont ensemble")
            continue
        if not code:
            continue
        key = (rec["CompteNum"], rec["CompAuxNum"], code)
        groups[key] += _amount(rec)
        latest[key] = max(latest.get(key, ""), rec["EcritureDate"])
        letdates[key].add(when)
    for key, total in sorted(groups.items()):
        account, aux, code = key
        where = f"{account} {aux}".strip()
        if total != 0:
            problems.append(f"lettrage {code} du compte {where} non soldé : écart {total}")
        if len(letdates[key]) > 1:
            problems.append(f"lettrage {code} du compte {where} : plusieurs DateLet")
        elif min(letdates[key]) < latest[key]:
            problems.append(f"lettrage {code} du compte {where} : DateLet avant une ligne lettrée")
    return problems


def audit_fec(data: bytes, filename: str | None = None, year: int | None = None) -> list[str]:
    """Every problem of a FEC at once: the line rules of :func:`check_fec`, then the rules
    across lines (numbering, chronology, opening entries, lettrage). ``year`` is the fiscal
    year the file is for (calendar year), when known."""
    problems = check_fec(data, filename)
    try:
        records = parse_fec(data)
    except FecError:
        return problems
    problems += _numbering_problems(records, year)
    problems += _chronology_problems(records, year)
    problems += _lettering_problems(records)
    return problems


@dataclass
class FecSummary:
    """What an accountant reads off a FEC: balances per account (debit − credit), per
    auxiliary account, and the result (classes 7 − 6, credit positive)."""

    accounts: dict[str, Decimal] = field(default_factory=dict)
    aux: dict[str, Decimal] = field(default_factory=dict)
    journals: dict[str, Decimal] = field(default_factory=dict)

    def total(self, prefix: str) -> Decimal:
        """Debit − credit of every account starting with ``prefix``."""
        return sum((v for k, v in self.accounts.items() if k.startswith(prefix)), ZERO)

    @property
    def result(self) -> Decimal:
        return -(self.total("7") + self.total("6"))


def summarise_fec(data: bytes, *, without: tuple[str, ...] = ()) -> FecSummary:
    """Balances of a FEC's accounts (journals in ``without`` left out, e.g. ``("AN",)``)."""
    out = FecSummary()
    accounts: dict[str, Decimal] = defaultdict(lambda: ZERO)
    aux: dict[str, Decimal] = defaultdict(lambda: ZERO)
    journals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for rec in parse_fec(data):
        if rec["JournalCode"] in without:
            continue
        amount = _amount(rec)
        accounts[rec["CompteNum"]] += amount
        if rec["CompAuxNum"]:
            aux[rec["CompAuxNum"]] += amount
        journals[rec["JournalCode"]] += fec_decimal(rec["Debit"])
    out.accounts, out.aux, out.journals = dict(accounts), dict(aux), dict(journals)
    return out
