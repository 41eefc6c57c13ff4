"""Locks (SPEC §5 "Locks"; PCG art. 420-5: a validated entry, and a closed period, can no
longer be changed nor added to): no validated entry outside an existing, open fiscal year or
on/before the accountant's period lock; no time, close, reopening or regularisation that
would write into a closed year. Every refusal is in French and writes nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from eage.books import entries, periods
from eage.books.entries import ManualLine
from eage.books.errors import BooksError
from eage.closing import services as closing
from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.models import AuditLog, FiscalYear, Member, MonthLock, Organisation, TimesheetEntry
from eage.models.books import JournalEntry
from eage.regularisation import services as regularisation

AFTER = date(2027, 1, 6)


def _od(day: date) -> JournalEntry:
    """A draft OD: office supplies paid by the bank."""
    return entries.create_manual_entry(
        day=day,
        label="Fournitures",
        piece_ref="FAC-123",
        lines=[
            ManualLine("606400", debit=Decimal("120.00")),
            ManualLine("512000", credit=Decimal("120.00")),
        ],
    )


def _validated() -> int:
    return db.session.scalar(
        select(func.count(JournalEntry.id)).where(JournalEntry.validated_at.is_not(None))
    )


def _close(year: int) -> None:
    db.session.get(FiscalYear, year).closed_at = datetime(2027, 2, 1, 12, 0)
    db.session.commit()


def test_od_dated_in_a_year_that_does_not_exist_is_refused(demo) -> None:
    draft = _od(date(2019, 6, 30))
    with pytest.raises(BooksError) as refused:
        entries.validate_entry(draft)
    assert "l'exercice 2019 n'existe pas" in refused.value.messages()
    assert _validated() == 0
    assert db.session.get(JournalEntry, draft.id).number is None  # still a draft


def test_od_in_a_closed_year_is_refused(demo) -> None:
    draft = _od(date(2026, 12, 31))
    _close(2026)
    with pytest.raises(BooksError) as refused:
        entries.validate_entry(db.session.get(JournalEntry, draft.id))
    assert "l'exercice 2026 est clôturé" in refused.value.messages()
    assert _validated() == 0


def test_lock_date_refuses_entries_on_or_before_it_and_only_moves_forward(demo) -> None:
    march, april = _od(date(2026, 3, 31)), _od(date(2026, 4, 1))
    db.session.delete(march)  # a draft in the period to lock is refused: see below
    db.session.commit()
    periods.set_lock_date(date(2026, 3, 31))
    assert db.session.scalar(select(Organisation.books_locked_until)) == date(2026, 3, 31)
    line = db.session.scalars(select(AuditLog).where(AuditLog.action == "lock")).one()
    assert "31/03/2026" in line.summary
    # On the lock day itself: refused; the day after: accepted.
    with pytest.raises(BooksError) as refused:
        entries.validate_entry(_od(date(2026, 3, 31)))
    assert refused.value.messages() == ["la période est verrouillée jusqu'au 31/03/2026"]
    assert entries.validate_entry(db.session.get(JournalEntry, april.id)).number == "OD-2026-00001"
    # Back is refused, forward needs no draft left in the period.
    with pytest.raises(BooksError, match="ne peut qu'avancer"):
        periods.set_lock_date(date(2026, 2, 28))
    with pytest.raises(BooksError, match="1 écriture\\(s\\) en brouillon"):
        periods.set_lock_date(date(2026, 6, 30))
    assert db.session.scalar(select(Organisation.books_locked_until)) == date(2026, 3, 31)


def test_lock_date_refuses_a_payment_dated_in_the_period(demo) -> None:
    periods.set_lock_date(date(2026, 6, 30))
    member = db.session.scalars(select(Member).where(Member.code == "LEFIL")).one()
    with pytest.raises(invoicing.InvoicingError) as refused:
        invoicing.record_payment(
            member=member,
            day=date(2026, 6, 15),
            amount=Decimal("10.00"),
            method="virement",
            reference=None,
        )
    assert refused.value.errors == [
        "règlement du 15/06/2026 refusé : la période est verrouillée jusqu'au 30/06/2026"
    ]
    assert _validated() == 0


HEADER = "date,employee,member,service,hours,note\n"


def test_import_into_a_closed_year_is_refused_and_writes_nothing(runner, demo, tmp_path) -> None:
    _close(2026)
    path = tmp_path / "temps.csv"
    path.write_text(HEADER + "2026-11-02,KBENALI,LEFIL,PAIE,7,\n", encoding="utf-8")
    before = db.session.scalar(select(func.count(AuditLog.id)))
    result = runner.invoke(args=["import-timesheets", str(path)])
    assert result.exit_code == 1
    assert "row 2: mois 2026-11 clôturé : aucune saisie possible" in result.output
    assert db.session.scalar(select(func.count(TimesheetEntry.id))) == 0
    assert db.session.scalar(select(func.count(AuditLog.id))) == before


def test_closing_or_reopening_a_month_of_a_closed_year_is_refused(demo) -> None:
    db.session.add(MonthLock(month="2026-10"))
    db.session.add(FiscalYear(year=2027))
    db.session.commit()
    _close(2026)
    with pytest.raises(closing.CloseRefused) as refused:
        closing.close_month(date(2026, 11, 1), today=AFTER)
    assert "l'exercice 2026 est clôturé : le mois 2026-11 est définitif" in str(refused.value)
    with pytest.raises(ValueError, match="l'exercice 2026 est clôturé : le mois 2026-10 ne peut"):
        closing.reopen_month(date(2026, 10, 1), user_id=None, reason="erreur de saisie")
    assert db.session.get(MonthLock, "2026-10") is not None
    assert db.session.get(MonthLock, "2026-11") is None


def test_december_closes_in_january_of_a_year_not_set_up_yet(demo) -> None:
    """December closed in January: its invoices are dated in the next year, which is open
    as the year after an existing one; a year after nothing (2028) is refused."""
    problems = closing.check_month(date(2026, 12, 1), AFTER)
    assert not [p.message for p in problems if "exercice" in p.message]
    assert periods.posting_problems([date(2027, 1, 5)]) == []
    assert periods.posting_problems([date(2028, 1, 5)]) == ["l'exercice 2028 n'existe pas"]
    assert periods.posting_problems([date(2019, 6, 1)]) == ["l'exercice 2019 n'existe pas"]


def test_regularisation_of_a_closed_year_is_refused(demo) -> None:
    _close(2026)
    with pytest.raises(regularisation.RegularisationRefused) as refused:
        regularisation.regularise(2026, today=AFTER)
    assert "l'exercice 2026 est clôturé : sa régularisation n'est plus possible" in (
        refused.value.errors
    )
