"""Month close: provisional invoices exact to the cent, idempotence, refusals, reopening,
complementary invoices and credit notes (SPEC §4, §5); immutability is checked in
tests/eage/test_immutability.py."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import func, select, update

from accounting.invoicing import check_number_sequence
from eage.closing import services as closing
from eage.demo import load_demo
from eage.extensions import db
from eage.models import (
    AuditLog,
    Invoice,
    Member,
    MonthLock,
    ServiceRate,
    StoredDocument,
    TimesheetEntry,
)
from eage.storage import read, sha256

OCT = date(2026, 10, 1)
TODAY = date(2026, 11, 28)


def spec_line(minutes: int, rate: Decimal) -> Decimal:
    """SPEC §5: amount = round_half_up(minutes × rate / 60, 2)."""
    return (Decimal(minutes) * rate / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def recompute(month: date) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    """Every member's invoice of the month recomputed from the raw entries."""
    rates = {
        r.service_id: r.rate
        for r in db.session.scalars(select(ServiceRate).where(ServiceRate.year == month.year))
    }
    start, end = month, date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    out = {}
    for member in db.session.scalars(select(Member)):
        per_service = db.session.execute(
            select(TimesheetEntry.service_id, func.sum(TimesheetEntry.minutes))
            .where(
                TimesheetEntry.member_id == member.id,
                TimesheetEntry.date >= start,
                TimesheetEntry.date < end,
            )
            .group_by(TimesheetEntry.service_id)
        ).all()
        if not per_service:
            continue
        excl = sum(spec_line(int(m), rates[s]) for s, m in per_service)
        vat = (
            (excl * Decimal("0.20")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if member.vat_regime == "vat_20"
            else Decimal("0.00")
        )
        out[member.code] = (excl, vat, excl + vat)
    return out


def invoices() -> list[Invoice]:
    return list(db.session.scalars(select(Invoice).order_by(Invoice.kind, Invoice.seq)))


def test_generated_month_is_invoiced_exactly(app) -> None:
    """A month of generated time for the 12 members: every invoice equals the SPEC §5
    recomputation to the cent, VAT included, for both VAT regimes."""
    load_demo(2026, today=TODAY)
    result = closing.close_month(OCT, today=TODAY)
    expected = recompute(OCT)
    assert result.changed and len(result.invoices) == len(expected) == 12
    got = {inv.member.code: (inv.total_excl_tax, inv.vat, inv.total_incl_tax) for inv in invoices()}
    assert got == expected
    regimes = {inv.vat_regime for inv in invoices()}
    assert regimes == {"exempt_261B", "vat_20"}
    for inv in invoices():
        for line in inv.lines:
            assert line.amount == spec_line(line.minutes, line.rate)
    assert [i.number for i in invoices()] == [f"F-2026-{n:04d}" for n in range(1, 13)]
    assert result.statements == 12


def test_close_locks_time_and_is_idempotent(app, october_time) -> None:
    first = closing.close_month(OCT, today=TODAY)
    assert first.invoices == ["F-2026-0001", "F-2026-0002"] and first.changed
    assert db.session.get(MonthLock, "2026-10") is not None
    snapshot = (
        db.session.scalar(select(func.count(Invoice.id))),
        db.session.scalar(select(func.count(StoredDocument.id))),
    )
    second = closing.close_month(OCT, today=TODAY)
    assert (
        not second.changed and second.summary() == "month 2026-10 already closed: nothing changed"
    )
    assert (
        db.session.scalar(select(func.count(Invoice.id))),
        db.session.scalar(select(func.count(StoredDocument.id))),
    ) == snapshot


def test_amounts_of_the_small_month(app, october_time) -> None:
    closing.close_month(OCT, today=TODAY)
    lefil, fabrique = (
        db.session.scalar(select(Invoice).join(Member).where(Member.code == c))
        for c in ("LEFIL", "FABRIQUE")
    )
    # LEFIL (TVA 20 %): GESTION 526 min × 36.50 = 319.9833 → 319.98;
    # PAIE 127 min × 34.00 = 71.9666 → 71.97
    assert [(line.minutes, line.amount) for line in lefil.lines] == [
        (526, Decimal("319.98")),
        (127, Decimal("71.97")),
    ]
    assert (lefil.total_excl_tax, lefil.vat, lefil.total_incl_tax) == (
        Decimal("391.95"),
        Decimal("78.39"),
        Decimal("470.34"),
    )
    # FABRIQUE (exonérée 261 B): GESTION 61 min → 37.11; RESEAU 95 min × 31.50 → 49.88
    assert (fabrique.total_excl_tax, fabrique.vat, fabrique.total_incl_tax) == (
        Decimal("86.99"),
        Decimal("0.00"),
        Decimal("86.99"),
    )
    assert (
        lefil.due_date == date(2026, 12, 28)
        and lefil.period_start == OCT
        and lefil.period_end == date(2026, 10, 31)
    )
    assert lefil.buyer["siren"] and lefil.seller["iban"]


def test_blocking_problems_refuse_the_close_and_change_nothing(app, october_time) -> None:
    db.session.execute(update(Member).where(Member.code == "LEFIL").values(siret=None))
    db.session.commit()
    audit_before = db.session.scalar(select(func.count(AuditLog.id)))
    with pytest.raises(closing.CloseRefused) as exc:
        closing.close_month(OCT, today=TODAY)
    assert any("LEFIL" in p.message and "SIRET" in p.message for p in exc.value.problems)
    assert db.session.scalar(select(func.count(Invoice.id))) == 0
    assert db.session.get(MonthLock, "2026-10") is None
    assert db.session.scalar(select(func.count(AuditLog.id))) == audit_before


def test_month_not_ended_is_refused(app, october_time) -> None:
    problems = closing.check_month(date(2026, 11, 1), today=TODAY)
    assert any(p.blocking and "n'est pas terminé" in p.message for p in problems)


def test_working_days_without_time_are_warnings(app, october_time) -> None:
    problems = closing.check_month(OCT, today=TODAY)
    warnings = [p for p in problems if not p.blocking]
    assert any(p.message.startswith("KBENALI : aucun temps saisi") for p in warnings)
    assert not any(p.blocking for p in problems)
    # 2026-11-11 (Armistice) is a public holiday, never a missing day
    assert all(
        "11/11" not in p.message
        for p in closing.check_month(date(2026, 11, 1), today=date(2026, 12, 5))
    )


def test_reopen_then_close_invoices_only_the_difference(app, october_time, add_time) -> None:
    closing.close_month(OCT, today=TODAY)
    lefil_invoice = db.session.scalar(select(Invoice).join(Member).where(Member.code == "LEFIL"))
    pdf_doc = lefil_invoice.document("invoice_pdf")
    pdf_hash = pdf_doc.sha256
    closing.reopen_month(OCT, user_id=None, reason="temps oublié")
    add_time("LEFIL", "GESTION", "CMARTIN", date(2026, 10, 12), 60)  # +1 h GESTION
    entry = db.session.scalar(
        select(TimesheetEntry)
        .join(Member)
        .where(Member.code == "FABRIQUE", TimesheetEntry.minutes == 95)
    )
    db.session.delete(entry)  # −95 min RESEAU
    db.session.commit()
    result = closing.close_month(OCT, today=TODAY)
    assert result.invoices == ["F-2026-0003"] and result.credit_notes == ["A-2026-0001"]
    complement = db.session.scalar(select(Invoice).where(Invoice.number == "F-2026-0003"))
    assert complement.origin == "complement" and complement.member.code == "LEFIL"
    # 586 min now → 356.48; 526 min invoiced → 319.98; difference 36.50 (+ VAT 7.30)
    assert [(line.minutes, line.amount) for line in complement.lines] == [(60, Decimal("36.50"))]
    assert complement.total_incl_tax == Decimal("43.80")
    note = db.session.scalar(select(Invoice).where(Invoice.number == "A-2026-0001"))
    assert note.member.code == "FABRIQUE" and note.credited_invoice.member.code == "FABRIQUE"
    assert note.total_incl_tax == Decimal("49.88")
    # issued documents untouched, byte for byte
    assert sha256(read(pdf_doc)) == pdf_hash == lefil_invoice.document("invoice_pdf").sha256
    # a second statement version for the members concerned
    versions = db.session.scalars(
        select(StoredDocument.filename).where(StoredDocument.kind == "statement_pdf")
    ).all()
    assert "R-2026-10-LEFIL-v2.pdf" in versions and "R-2026-10-LEFIL.pdf" in versions
    assert closing.close_month(OCT, today=TODAY).changed is False
    assert check_number_sequence([i.number for i in invoices()]) == []


def test_reopen_requires_a_closed_month_and_a_reason(app, october_time) -> None:
    with pytest.raises(ValueError, match="n'est pas clôturé"):
        closing.reopen_month(OCT, user_id=None, reason="x")
    closing.close_month(OCT, today=TODAY)
    with pytest.raises(ValueError, match=r"motif|pourquoi"):
        closing.reopen_month(OCT, user_id=None, reason="  ")
    assert db.session.get(MonthLock, "2026-10") is not None
