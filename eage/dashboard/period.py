"""The dashboard's reporting period: January to the last closed month of the year.

The reporting month is the last month of the year with issued payslips (the last closed
month). Time, expenses and income after it are not counted yet, so that costs and time cover
the same months.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from eage.extensions import db
from eage.models.payroll import Payslip


def last_payslip_month(year: int) -> str | None:
    """The last month ("YYYY-MM") of `year` with issued payslips, None before the first close."""
    last: str | None = db.session.scalar(
        select(func.max(Payslip.month)).where(
            Payslip.status == "issued", Payslip.month >= f"{year}-01", Payslip.month <= f"{year}-12"
        )
    )
    return last


def reporting_month(year: int, today: date) -> int:
    """The last month of `year` with issued payslips; without any, the months elapsed."""
    last = last_payslip_month(year)
    if last:
        return int(last[5:7])
    if year < today.year:
        return 12
    if year == today.year:
        return today.month
    return 0


def period_end(year: int, through: int) -> date:
    """The first day after the reporting month `through` (1 January when it is 0): the
    period is [1 January, period_end)."""
    if not through:
        return date(year, 1, 1)
    return date(year + 1, 1, 1) if through == 12 else date(year, through + 1, 1)
