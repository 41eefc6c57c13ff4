"""The year's budget lines with what was actually spent and earned on each, month by month.

The actual cost is read in grouped SQL (ARCHITECTURE §8): issued payslips of the reporting
months (the payroll journal's split of class 64), expenses and operating income by account.
An amount goes to the budget line of its account, else to the first line of the same side
sharing its 3-digit account class, else to a new unbudgeted line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import extract, func, select

from accounting.money import ZERO, D
from eage.dashboard.figures import money
from eage.dashboard.period import period_end
from eage.extensions import db
from eage.models import BudgetLine, Expense
from eage.models.finance import OperatingIncome
from eage.models.payroll import Payslip

# Payslip totals → budget lines of class 64, the same split as the payroll journal PA
# (accounting/ledger.py): gross pay to 641, employer contributions net of reductions to 645.
PAYROLL_ACCOUNTS = (
    ("641", "Salaires bruts (bulletins émis)"),
    ("645", "Cotisations patronales nettes des réductions (bulletins émis)"),
)
KIND_ORDER = {"staff": 0, "overhead": 1, "income": 2}


@dataclass
class LineActuals:
    """A budget line (or an unbudgeted account) and its actual amount of each month."""

    account: str
    label: str
    kind: str  # staff | overhead | income
    budget: Decimal
    actual: list[Decimal] = field(default_factory=lambda: [ZERO] * 12)
    budgeted: bool = True


def read(year: int, through: int) -> list[LineActuals]:
    """The year's budget lines, plus the unbudgeted accounts with an actual amount, with the
    actual of January to `through` (none when it is 0), in the table's order."""
    lines = [
        LineActuals(b.account, b.label, b.kind, D(b.amount))
        for b in sorted(
            db.session.scalars(select(BudgetLine).where(BudgetLine.year == year)),
            key=lambda b: (KIND_ORDER.get(b.kind, 9), b.account, b.id),
        )
    ]
    if through:
        _add_payroll(lines, year, through)
        _add_expenses(lines, year, through)
        _add_income(lines, year, through)
    lines.sort(key=lambda r: (KIND_ORDER.get(r.kind, 9), not r.budgeted, r.account))
    return lines


def _line_for(lines: list[LineActuals], account: str, kind: str, label: str) -> LineActuals:
    """The budget line an actual amount belongs to: same account, else the first line
    of the same kind sharing its 3-digit account class; else an unbudgeted row."""
    income = kind == "income"
    same_side = [r for r in lines if (r.kind == "income") == income]
    for candidates in (
        [r for r in same_side if r.account == account],
        [r for r in same_side if r.account[:3] == account[:3]],
    ):
        if candidates:
            return candidates[0]
    line = LineActuals(account, label, kind, ZERO, budgeted=False)
    lines.append(line)
    return line


def _add_payroll(lines: list[LineActuals], year: int, through: int) -> None:
    """Issued payslips of the reporting months, by month: gross and net contributions."""
    payslips = db.session.execute(
        select(
            Payslip.month,
            func.sum(Payslip.gross),
            func.sum(Payslip.employer_contributions - Payslip.reductions),
        )
        .where(
            Payslip.status == "issued",
            Payslip.month >= f"{year}-01",
            Payslip.month <= f"{year}-{through:02d}",
        )
        .group_by(Payslip.month)
    )
    for month, gross, contributions in payslips:
        m = int(month[5:7])
        for (prefix, label), amount in zip(PAYROLL_ACCOUNTS, (gross, contributions), strict=True):
            _line_for(lines, prefix + "000", "staff", label).actual[m - 1] += money(amount)


def _add_expenses(lines: list[LineActuals], year: int, through: int) -> None:
    for (account, m), amount in sorted(_monthly_sums(Expense, year, through).items()):
        kind = "staff" if account.startswith("64") else "overhead"
        label = f"Dépenses hors budget (compte {account})"
        _line_for(lines, account, kind, label).actual[m - 1] += amount


def _add_income(lines: list[LineActuals], year: int, through: int) -> None:
    for (account, m), amount in sorted(_monthly_sums(OperatingIncome, year, through).items()):
        label = f"Produits hors budget (compte {account})"
        _line_for(lines, account, "income", label).actual[m - 1] += amount


def _monthly_sums(
    model: type[Expense] | type[OperatingIncome], year: int, through: int
) -> dict[tuple[str, int], Decimal]:
    """Σ amount per (account, month) of expenses or income, grouped in the database."""
    month = extract("month", model.date)
    rows = db.session.execute(
        select(model.account, month, func.sum(model.amount))
        .where(model.date >= date(year, 1, 1), model.date < period_end(year, through))
        .group_by(model.account, month)
    )
    return {(account, int(m)): money(total) for account, m, total in rows}
