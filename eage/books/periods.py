"""Which days the books accept a validated entry on (SPEC §5 "Locks"; PCG art. 420-5: once
validated, and once a period is closed, entries can no longer be changed, nor added to it).

A validated entry must be dated in a fiscal year that exists (or follows one that does) and
is not closed (the year's closing, eage/books/yearend.py), and after the accountant's period lock
(``Organisation.books_locked_until``, which only ever moves forward). The one check,
:func:`posting_problems`, is made by ``posting.persist_entry`` for every entry the software
validates and by the validation of a typed OD; the issuers that write into the books ask
it first (the close, the regularisation) so that they refuse before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select

from eage import audit
from eage.books.errors import BooksError
from eage.extensions import db
from eage.filters import tr
from eage.models import FiscalYear, Organisation
from eage.models.books import JournalEntry


def _organisation() -> Organisation | None:
    return db.session.scalar(select(Organisation).limit(1))


def lock_date() -> date | None:
    """The day up to which (included) the books are locked, if any."""
    org = _organisation()
    return org.books_locked_until if org else None


def _follows_a_year(year: int) -> bool:
    """The year after an existing fiscal year is open even before anyone sets it up: the
    close of its predecessor's December issues its invoices in it, in January (the year's
    closing then creates it with its predecessor's settings). Any other missing year — 2019
    when the books start in 2025 — is refused."""
    return db.session.get(FiscalYear, year - 1) is not None


def posting_problems(days: Iterable[date]) -> list[str]:
    """Why a validated entry could not be dated on each of ``days`` (every reason once)."""
    problems: list[str] = []
    locked = lock_date()
    years: dict[int, FiscalYear | None] = {}
    for day in sorted(set(days)):
        if day.year not in years:
            years[day.year] = db.session.get(FiscalYear, day.year)
            fiscal_year = years[day.year]
            if fiscal_year is None and not _follows_a_year(day.year):
                problems.append(tr("l'exercice %(year)s n'existe pas", year=day.year))
            elif fiscal_year is not None and fiscal_year.is_closed:
                problems.append(tr("l'exercice %(year)s est clôturé", year=day.year))
        if locked is not None and day <= locked:
            message = f"la période est verrouillée jusqu'au {locked:%d/%m/%Y}"
            if message not in problems:
                problems.append(message)
    return problems


def check_postable(day: date) -> None:
    """Refuse (:class:`BooksError`) a validated entry dated ``day`` in a missing or closed
    fiscal year, or on or before the period lock."""
    problems = posting_problems([day])
    if problems:
        raise BooksError(
            [
                tr("écriture du %(day)s refusée : %(p)s", day=format(day, "%d/%m/%Y"), p=p)
                for p in problems
            ]
        )


def is_postable(day: date) -> bool:
    return not posting_problems([day])


def year_is_closed(year: int) -> bool:
    fiscal_year = db.session.get(FiscalYear, year)
    return fiscal_year is not None and fiscal_year.is_closed


def closed_years(years: Iterable[int]) -> set[int]:
    """The years of ``years`` that are closed."""
    wanted = sorted(set(years))
    if not wanted:
        return set()
    return set(
        db.session.scalars(
            select(FiscalYear.year).where(
                FiscalYear.year.in_(wanted), FiscalYear.closed_at.is_not(None)
            )
        )
    )


def set_lock_date(day: date, *, user_id: int | None = None) -> date:
    """Move the period lock forward to ``day`` (never back: what was locked stays locked);
    audit-logged."""
    org = _organisation()
    if org is None:
        raise BooksError(tr("le groupement n'est pas encore paramétré"))
    current = org.books_locked_until
    if current is not None and day <= current:
        raise BooksError(
            tr(
                "la date de verrouillage ne peut qu'avancer : la période est déjà verrouillée "
                "jusqu'au %(current)s",
                current=format(current, "%d/%m/%Y"),
            )
        )
    drafts = db.session.scalar(
        select(func.count(JournalEntry.id)).where(
            JournalEntry.validated_at.is_(None), JournalEntry.date <= day
        )
    )
    if drafts:
        raise BooksError(
            tr(
                "%(drafts)s écriture(s) en brouillon datée(s) au plus tard du %(day)s : "
                "validez-les ou supprimez-les avant de verrouiller la période",
                drafts=drafts,
                day=format(day, "%d/%m/%Y"),
            )
        )
    org.books_locked_until = day
    audit.record(
        "lock",
        "books",
        f"{day:%Y-%m-%d}",
        user_id=user_id,
        summary=(
            f"période verrouillée jusqu'au {day:%d/%m/%Y}"
            + (f" (auparavant {current:%d/%m/%Y})" if current else "")
        ),
    )
    db.session.commit()
    return day
