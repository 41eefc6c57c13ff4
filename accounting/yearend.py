"""The year's closing, pure (SPEC §5 "Locks"): the result of the year and the opening entries
(à-nouveaux) of the next one.

* **Result** = Σ class 7 (credit − debit) − Σ class 6 (debit − credit) of the year's entries
  (PCG art. 513-1 and 941-12; for an association, ANC 2018-06 art. 213-1: the *excédent*
  or *déficit* on 120 / 129).
* **Opening entries** (journal ``AN``, dated 01/01/Y+1): one line per balance-sheet account
  of classes 1–5 whose balance at the end of Y is not zero — per auxiliary account for the
  members' 411 (the member's open items are carried forward, not only the collective
  total) — and the result on 120000 (excédent) or 129000 (déficit), awaiting the general
  meeting's decision (*affectation du résultat*, an OD of Y+1 to 110/119). The entry
  balances by construction: every entry of Y balances, so the net debit of classes 1–5 is
  exactly the result.

No database: the service gives the balances as plain data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from accounting.ledger import AccountRef, Entry, EntryLine, assert_balanced
from accounting.money import ZERO, D

__all__ = ["AccountBalance", "YearEnd", "close_year", "year_result"]

BALANCE_SHEET_CLASSES = ("1", "2", "3", "4", "5")


@dataclass(frozen=True)
class AccountBalance:
    """The totals of one account (and auxiliary account) over the year's validated entries."""

    account: str
    account_label: str
    debit: Decimal
    credit: Decimal
    aux_number: str | None = None
    aux_label: str | None = None
    member_code: str | None = None  # the analytic member of a 411 auxiliary account

    @property
    def balance(self) -> Decimal:
        """Debit − credit: positive for a debit balance."""
        return D(self.debit) - D(self.credit)


@dataclass(frozen=True)
class YearEnd:
    year: int
    expenses: Decimal  # class 6, debit − credit
    income: Decimal  # class 7, credit − debit
    opening: Entry | None  # the AN of Y+1; None when nothing is carried forward

    @property
    def result(self) -> Decimal:
        """Classes 7 − 6: positive is an excédent, negative a déficit."""
        return self.income - self.expenses


def _class_total(balances: Iterable[AccountBalance], cls: str) -> Decimal:
    return sum((b.balance for b in balances if b.account.startswith(cls)), ZERO)


def year_result(balances: Sequence[AccountBalance]) -> Decimal:
    """Classes 7 − 6 of the year (credit balances of 7 less debit balances of 6)."""
    return -_class_total(balances, "7") - _class_total(balances, "6")


def _line(account: str, label: str, amount: Decimal, text: str, **extra: str | None) -> EntryLine:
    """A line carrying ``amount`` (debit when positive, credit when negative)."""
    return EntryLine(
        account=account,
        account_label=label,
        debit=amount if amount > 0 else ZERO,
        credit=-amount if amount < 0 else ZERO,
        label=text,
        **extra,
    )


def close_year(
    year: int,
    balances: Sequence[AccountBalance],
    *,
    profit: AccountRef,
    loss: AccountRef,
) -> YearEnd:
    """The result of ``year`` and the opening entry of ``year + 1`` (see the module)."""
    expenses = _class_total(balances, "6")
    income = -_class_total(balances, "7")
    result = income - expenses
    label = f"À-nouveaux {year + 1} (clôture de l'exercice {year})"
    lines = [
        _line(
            b.account,
            b.account_label,
            b.balance,
            label,
            aux_number=b.aux_number,
            aux_label=b.aux_label,
            member_code=b.member_code,
        )
        for b in sorted(balances, key=lambda b: (b.account, b.aux_number or ""))
        if b.account.startswith(BALANCE_SHEET_CLASSES) and b.balance
    ]
    if result:
        target = profit if result > 0 else loss
        text = f"Résultat de l'exercice {year}"
        lines.append(_line(target.number, target.label, -result, text))
    opening = None
    if lines:
        day = date(year + 1, 1, 1)
        opening = assert_balanced(Entry("AN", day, label, f"AN-{year + 1}", day, tuple(lines)))
    return YearEnd(year, expenses, income, opening)
