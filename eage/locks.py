"""The issuing lock: one writer at a time for everything that takes a number or joins the
chain (invoices and credit notes, payslips, journal entries, chain links).

Numbers must be unique, chronological and continuous (art. 242 nonies A ann. II CGI, 7°) and
the chain linear, also when several processes issue at once. So every issuing transaction
starts with :func:`take_issuing_lock`, an UPDATE on the one ``app_lock`` row named
``issuing``: PostgreSQL holds that row lock, and SQLite its database write lock, until the
transaction commits or rolls back. The next issuer waits on the same UPDATE and then reads
the series as the previous one left them; a rollback gives its numbers back. A plain UPDATE
needs no dialect-specific SQL, so the same code serialises both databases.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session, scoped_session

from eage.extensions import db
from eage.models import AppLock

ISSUING = "issuing"


def take_issuing_lock(session: Session | scoped_session[Any] | None = None) -> None:
    """Hold the issuing lock until the end of ``session``'s transaction (the app's session
    by default). The row is seeded by the migrations; created here if it is missing."""
    s = session if session is not None else db.session
    result = s.execute(
        update(AppLock).where(AppLock.name == ISSUING).values(counter=AppLock.counter + 1)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        s.add(AppLock(name=ISSUING, counter=1))
        s.flush()
