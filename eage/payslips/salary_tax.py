"""The taxe sur les salaires of a year (art. 231 and 1679 A CGI) from the books' documents:
the receipts that make the ratio, each employee's gross pay of the year's payslips, and its
posting at 31/12 (``OD``, origin ``payroll_tax``: D 631100 / C 447000) when it is due. The
rule itself is payroll/salary_tax.py.

Choices (stated in the README):
* **Receipts** are the documents' amounts excluding tax for services of the year (invoices
  minus credit notes, by their service period, so December and the year-end regularisation
  count in their year), plus the operating income (subsidies) dated in the year. A line that
  bore VAT is VAT-liable; 261 B lines, membership fees and subsidies (outside the scope of
  VAT) are not, and count in both terms of the ratio (BOI-TPS-TS-20-30).
* **Ratio year**: the law takes the ratio of the year before the pay (art. 231, 1 CGI); in
  the group's first year (no receipts the year before) the year's own ratio is used.
* The group is an association (art. 1679 A CGI allowance).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, extract, func, select

from accounting import ledger
from accounting.money import ZERO, D
from eage import audit
from eage.books.chart import posting_accounts
from eage.books.errors import BooksError
from eage.books.posting import persist_entry
from eage.extensions import db
from eage.filters import tr
from eage.locks import take_issuing_lock
from eage.models import Employee, FiscalYear, Invoice, InvoiceLine, OperatingIncome
from eage.models.books import JournalEntry
from eage.models.payroll import Payslip
from payroll import load_params
from payroll.salary_tax import Receipts, SalaryTax, salary_tax, salary_tax_rules

logger = logging.getLogger(__name__)


def receipts(year: int) -> Receipts:
    """The receipts of ``year`` excluding tax, split by whether they bore VAT."""
    signed = case((Invoice.kind == "credit_note", -InvoiceLine.amount), else_=InvoiceLine.amount)
    rows = db.session.execute(
        select(InvoiceLine.vat_rate, func.coalesce(func.sum(signed), 0))
        .join(Invoice, InvoiceLine.invoice_id == Invoice.id)
        .where(extract("year", Invoice.period_start) == year)
        .group_by(InvoiceLine.vat_rate)
    ).all()
    liable = sum((D(total) for rate, total in rows if rate and D(rate) > 0), ZERO)
    not_liable = sum((D(total) for rate, total in rows if not rate or D(rate) == 0), ZERO)
    income = db.session.scalar(
        select(func.coalesce(func.sum(OperatingIncome.amount), 0)).where(
            extract("year", OperatingIncome.date) == year
        )
    )
    return Receipts(vat_liable=liable, not_vat_liable=not_liable + D(income or ZERO))


def ratio_year(year: int) -> int:
    """The year whose receipts make ``year``'s ratio: the year before, or ``year`` itself in
    the group's first year."""
    return year - 1 if receipts(year - 1).total > 0 else year


def gross_by_employee(year: int) -> list[tuple[str, str, Decimal]]:
    """Each employee's gross pay of the payslips of ``year``, by employee code."""
    rows = db.session.execute(
        select(Employee.code, Employee.first_name, Employee.last_name, func.sum(Payslip.gross))
        .join(Employee, Payslip.employee_id == Employee.id)
        .where(Payslip.month.like(f"{year:04d}-%"))
        .group_by(Employee.code, Employee.first_name, Employee.last_name)
        .order_by(Employee.code)
    ).all()
    return [(code, f"{first} {last}", D(total)) for code, first, last, total in rows]


@dataclass(frozen=True)
class YearSalaryTax:
    """The computation of a year, the year of its ratio, and its entry once posted."""

    result: SalaryTax
    ratio_year: int
    entry: JournalEntry | None


def posted_entry(year: int) -> JournalEntry | None:
    return db.session.scalars(
        select(JournalEntry).where(
            JournalEntry.origin == "payroll_tax",
            JournalEntry.year == year,
            JournalEntry.validated_at.is_not(None),
        )
    ).first()


def compute(year: int) -> YearSalaryTax:
    """The taxe sur les salaires of ``year`` as the rule computes it now."""
    basis = ratio_year(year)
    result = salary_tax(
        year, receipts(basis), gross_by_employee(year), salary_tax_rules(load_params(year))
    )
    return YearSalaryTax(result, basis, posted_entry(year))


def post(year: int, *, user_id: int | None = None) -> JournalEntry:
    """Post the year's tax due at 31/12 (OD, D 631100 / C 447000); refused when nothing is
    due, when it is already posted, or when the year is closed."""
    take_issuing_lock()
    computed = compute(year)
    problems = []
    if computed.entry is not None:
        problems.append(
            tr(
                "la taxe sur les salaires %(year)s est déjà comptabilisée (%(number)s)",
                year=year,
                number=computed.entry.number,
            )
        )
    if computed.result.due <= 0:
        problems.append(tr("aucune taxe sur les salaires n'est due pour %(year)s", year=year))
    fiscal_year = db.session.get(FiscalYear, year)
    if fiscal_year is not None and fiscal_year.is_closed:
        problems.append(tr("l'exercice %(year)s est clôturé", year=year))
    if problems:
        raise BooksError(problems)
    entry = ledger.salary_tax_entry(
        year=year, amount=computed.result.due, accounts=posting_accounts()
    )
    row = persist_entry(entry, origin="payroll_tax", user_id=user_id, validated=True)
    audit.record(
        "create",
        "journal_entry",
        row.id,
        user_id=user_id,
        summary=f"taxe sur les salaires {year} : {computed.result.due} € ({row.number})",
    )
    db.session.commit()
    logger.info("salary tax %s posted: %s € (%s)", year, computed.result.due, row.number)
    return row
