"""Time writes and the month close never overlap on the same month (PostgreSQL).

The close reads a month's time, invoices it and keeps it grouped, then locks the month, all
in one transaction that can last minutes at a large group. Under PostgreSQL's READ
COMMITTED, a week saved or a file imported meanwhile would still see the month open and
commit time that neither the invoices nor the month's summary count, and that nobody can
correct afterwards. So the close holds an exclusive transaction-level advisory lock on the
month and every time write a shared one on each month it touches, *then* checks that the
month is not closed: a write for another month never waits, one for the month being closed
waits for the close and is then refused. SQLite lets one writer at a time in any case.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from eage.extensions import db
from eage.models import FiscalYear, MonthLock

# First key of the two-key advisory locks: "eage month" (any constant distinct in the database).
NAMESPACE = 0x4541_4745 & 0x7FFF_FFFF


def lock_months(months: Iterable[str], *, exclusive: bool = False) -> None:
    """Hold, until the end of the transaction, the lock of each month "YYYY-MM" (shared for a
    time write, exclusive for the close); taken in month order, so two writers never wait
    for each other in a cycle. Does nothing on SQLite."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    take = func.pg_advisory_xact_lock if exclusive else func.pg_advisory_xact_lock_shared
    for key in sorted(set(months)):
        db.session.execute(select(take(NAMESPACE, int(key[:4]) * 100 + int(key[5:7]))))


def closed_among(months: Iterable[str]) -> set[str]:
    """The months of `months` that are closed (read after :func:`lock_months`), a month of a
    closed fiscal year included (its books are final: SPEC §5 "Locks")."""
    wanted = sorted(set(months))
    if not wanted:
        return set()
    locked = set(db.session.scalars(select(MonthLock.month).where(MonthLock.month.in_(wanted))))
    return locked | in_closed_years(wanted)


def in_closed_years(months: Iterable[str]) -> set[str]:
    """The months of `months` ("YYYY-MM") that belong to a closed fiscal year."""
    wanted = set(months)
    years = {int(m[:4]) for m in wanted}
    if not years:
        return set()
    closed = set(
        db.session.scalars(
            select(FiscalYear.year).where(
                FiscalYear.year.in_(sorted(years)), FiscalYear.closed_at.is_not(None)
            )
        )
    )
    return {m for m in wanted if int(m[:4]) in closed}


def closed_year_months() -> set[str]:
    """Every month of every closed fiscal year."""
    years = db.session.scalars(select(FiscalYear.year).where(FiscalYear.closed_at.is_not(None)))
    return {f"{year}-{month:02d}" for year in years for month in range(1, 13)}
