"""Closed months' figures, kept between page views (the dashboard's 200 ms goal, issue 5).

The expensive part of the dashboard is the allocation service, over the year and month by
month (the capacity reuses the year's grouped minutes): even read from the closed months'
summaries (:mod:`eage.timesheets.summary`), a large group's year is tens of thousands of
groups to split, 13 times. Timesheets of a **closed** month can no longer be created, changed
or deleted (SPEC §5 "Time"), and issued payslips and invoices never change (SPEC §5
"Numbering", ARCHITECTURE §4). So a result over closed months only is kept, keyed by a fingerprint of everything else
it depends on, read in a handful of cheap grouped queries on each page view:

* each month's lock (`month_lock.closed_at`: reopening and closing again changes it, a
  reopened month is no longer closed and is never served from here);
* per month, expenses and operating income (count, Σ amount, Σ id, max id — an expense
  edited, moved or deleted changes it) and issued payslips (count, max id, Σ employer cost);
* invoices and credit notes (count, max id: they are only ever added);
* the codes the results are labelled with (members, services, employees).

A period with any open month is always computed afresh. The cache is per process and
bounded; the allocation itself is always the allocation service's (never recomputed here).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from sqlalchemy import extract, func, select

from eage.allocation import services as allocation_services
from eage.extensions import db
from eage.models import Employee, Expense, Invoice, Member, MonthLock, Service
from eage.models.finance import OperatingIncome
from eage.models.payroll import Payslip

MAX_ENTRIES = 64
_entries: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_lock = threading.Lock()
stats = {"hits": 0, "misses": 0}


def clear() -> None:
    with _lock:
        _entries.clear()
        stats.update(hits=0, misses=0)


def _grouped_by_month(model: Any, year: int, *columns: Any) -> dict[int, tuple[Any, ...]]:
    month = extract("month", model.date)
    rows = db.session.execute(
        select(month, *columns).where(extract("year", model.date) == year).group_by(month)
    )
    return {int(m): tuple(str(v) for v in rest) for m, *rest in rows}


def fingerprint_year(year: int) -> dict[str, Any]:
    """Everything a closed period's figures depend on besides its timesheets (read once per
    dashboard, see :class:`Year`)."""
    locks = {
        m: str(closed)
        for m, closed in db.session.execute(
            select(MonthLock.month, MonthLock.closed_at).where(MonthLock.month.like(f"{year}-%"))
        )
    }
    money = (func.count(), func.sum(Expense.amount), func.sum(Expense.id), func.max(Expense.id))
    expenses = _grouped_by_month(Expense, year, *money)
    income = _grouped_by_month(
        OperatingIncome,
        year,
        func.count(),
        func.sum(OperatingIncome.amount),
        func.sum(OperatingIncome.id),
        func.max(OperatingIncome.id),
    )
    payslips = {
        int(month[5:7]): (str(n), str(last), str(cost))
        for month, n, last, cost in db.session.execute(
            select(
                Payslip.month, func.count(), func.max(Payslip.id), func.sum(Payslip.employer_cost)
            )
            .where(Payslip.month.like(f"{year}-%"))
            .group_by(Payslip.month)
        )
    }
    invoices = tuple(
        str(v)
        for v in db.session.execute(select(func.count(Invoice.id), func.max(Invoice.id))).one()
    )
    codes = hashlib.sha256()
    for model in (Member, Service, Employee):
        for row_id, code in db.session.execute(select(model.id, model.code).order_by(model.id)):
            codes.update(f"{row_id}:{code};".encode())
    fingerprint = {
        "locks": locks,
        "expenses": expenses,
        "income": income,
        "payslips": payslips,
        "invoices": invoices,
        "codes": codes.hexdigest(),
        "database": db.engine.url.render_as_string(hide_password=True),
    }
    return fingerprint


def period_key(fp: dict[str, Any], year: int, first: int, last: int) -> tuple[Any, ...] | None:
    """The fingerprint of months `first`…`last` of `year`, or None when one is still open."""
    months = range(first, last + 1)
    keys = [f"{year}-{m:02d}" for m in months]
    if any(k not in fp["locks"] for k in keys):
        return None
    return (
        fp["database"],
        fp["codes"],
        fp["invoices"],
        tuple(
            (fp["locks"][k], fp["expenses"].get(m), fp["income"].get(m), fp["payslips"].get(m))
            for k, m in zip(keys, months, strict=True)
        ),
    )


def cached(name: tuple[Any, ...], key: tuple[Any, ...] | None, compute: Callable[[], Any]) -> Any:
    """`compute()`, or its kept result when `key` (None: never keep) was seen before."""
    if key is None:
        return compute()
    full_key = (*name, key)
    with _lock:
        if full_key in _entries:
            _entries.move_to_end(full_key)
            stats["hits"] += 1
            return _entries[full_key]
    value = compute()
    with _lock:
        stats["misses"] += 1
        _entries[full_key] = value
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


class Year:
    """One dashboard's view of the cache: the year's fingerprint, read once."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.fingerprint = fingerprint_year(year)

    def key(self, first: int, last: int) -> tuple[Any, ...] | None:
        return period_key(self.fingerprint, self.year, first, last)

    def cached(self, name: str, first: int, last: int, compute: Callable[[], Any]) -> Any:
        return cached((name, self.year, first, last), self.key(first, last), compute)

    def allocation(self, first: int, last: int) -> allocation_services.PeriodAllocation:
        """The allocation service's result for months `first`…`last` of the year."""
        return self.cached(  # type: ignore[no-any-return]
            "allocation",
            first,
            last,
            lambda: allocation_services.compute(
                f"{self.year}-{first:02d}", f"{self.year}-{last:02d}"
            ),
        )
