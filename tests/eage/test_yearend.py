"""Cut-off and year closing in the app (SPEC §5 "Cut-off", "Locks"; A47 A-1 LPF).

- December's invoice issued in January of Y+1: accrued in Y at 31/12 (revenue in Y),
  reversed on 01/01/Y+1, net 0 in Y+1.
- `eage close-year` refuses with every reason, then closes a generated year: the AN of Y+1
  equal the balances of classes 1–5 at the end of Y to the cent (per member for 411), the
  result on 120/129 equals classes 7 − 6 of Y's FEC, the FEC of Y+1 opens with its AN,
  the chain verifies; afterwards a document of Y goes to Y+1 with "(exercice Y)".
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from accounting.ledger import fec_decimal, parse_fec, result_by_class
from eage.books import yearend
from eage.books.fec import build_fec
from eage.books.integrity import verify_integrity
from eage.closing import services as closing
from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.invoicing.services import LineSpec
from eage.locks import take_issuing_lock
from eage.models import FiscalYear, Invoice, Member, MonthLock, Service
from eage.models.books import JournalEntry
from eage.regularisation import services as regularisation
from tests.eage.regularisation.test_year import AFTER, closed_year  # noqa: F401

JAN = date(2027, 1, 6)


def _issue(code: str, amount: str, *, kind: str = "invoice", day: date = JAN) -> Invoice:
    """A document for December 2026's service, issued on ``day``."""
    take_issuing_lock()
    inv = invoicing.issue_document(
        kind=kind,
        origin="monthly" if kind == "invoice" else "credit",
        member=db.session.scalars(select(Member).where(Member.code == code)).one(),
        lines=[
            LineSpec(
                "service",
                "Gestion décembre",
                Decimal(amount),
                db.session.scalars(select(Service).where(Service.code == "GESTION")).one(),
            )
        ],
        period=(date(2026, 12, 1), date(2026, 12, 31)),
        issue_date=day,
        month="2026-12" if kind == "invoice" else None,
        reason=None if kind == "invoice" else "geste commercial",
    )
    db.session.commit()
    return inv


def _records(year: int) -> list[dict[str, str]]:
    return parse_fec(build_fec(year).data)


def _net(records: list[dict[str, str]], prefix: str) -> Decimal:
    """Credit − debit of the FEC lines on accounts starting with ``prefix``."""
    return sum(
        (
            fec_decimal(r["Credit"]) - fec_decimal(r["Debit"])
            for r in records
            if r["CompteNum"].startswith(prefix)
        ),
        Decimal(0),
    )


def test_december_invoice_issued_in_january_is_revenue_of_december(demo) -> None:
    db.session.add(FiscalYear(year=2027))
    db.session.commit()
    inv = _issue("LEFIL", "1000.00")  # LEFIL pays VAT: 200.00
    accrual, reversal = db.session.scalars(
        select(JournalEntry)
        .where(JournalEntry.accrued_invoice_id == inv.id)
        .order_by(JournalEntry.date)
    ).all()
    assert (accrual.origin, accrual.date, accrual.number) == (
        "accrual",
        date(2026, 12, 31),
        "OD-2026-00001",
    )
    assert accrual.label == f"FAE {inv.number} (exercice 2026)"
    assert (reversal.origin, reversal.date, reversal.label) == (
        "reversal",
        date(2027, 1, 1),
        f"Extourne FAE {inv.number} (exercice 2026)",
    )
    # Every line of the accrual names the member (analytics); the revenue line its service.
    assert {ln.member.code for ln in accrual.lines} == {"LEFIL"}
    assert [ln.service.code for ln in accrual.lines if ln.account_number.startswith("7")] == [
        "GESTION"
    ]
    y2026, y2027 = _records(2026), _records(2027)
    # PCG art. 513-4: December's revenue is in 2026, with 4181 and 44587 open at 31/12.
    assert _net(y2026, "706") == Decimal("1000.00")
    assert _net(y2026, "4181") == Decimal("-1200.00")
    assert _net(y2026, "44587") == Decimal("200.00")
    # In 2027 the reversal cancels the invoice's revenue; it clears 4181 and 44587 of 2026.
    assert _net(y2027, "706") == Decimal("0.00")
    assert _net(y2027, "4181") == Decimal("1200.00") and _net(y2027, "44587") == Decimal("-200.00")
    assert _net(y2027, "411") == Decimal("-1200.00")  # the member owes the invoice


def test_credit_note_for_the_year_issued_later_is_accrued_on_4198(demo) -> None:
    db.session.add(FiscalYear(year=2027))
    db.session.commit()
    inv = _issue("FABRIQUE", "300.00", kind="credit_note")  # exempt: no VAT
    accrual = db.session.scalars(
        select(JournalEntry).where(
            JournalEntry.accrued_invoice_id == inv.id, JournalEntry.origin == "accrual"
        )
    ).one()
    assert accrual.label == f"AAE {inv.number} (exercice 2026)"
    assert {(ln.account_number, ln.debit, ln.credit) for ln in accrual.lines} == {
        ("419800", Decimal("0.00"), Decimal("300.00")),
        ("706100", Decimal("300.00"), Decimal("0.00")),
    }


def test_close_year_refuses_with_every_reason(runner, demo) -> None:
    db.session.add(MonthLock(month="2026-01"))
    db.session.commit()
    result = runner.invoke(args=["close-year", "2026"])
    assert result.exit_code != 0
    assert "l'exercice 2026 n'est pas terminé" in result.output
    assert "encore ouverts : 2026-02, 2026-03" in result.output
    assert "year 2026 not closed" in result.output
    assert db.session.get(FiscalYear, 2026).closed_at is None
    assert db.session.get(FiscalYear, 2027) is None  # nothing written
    assert runner.invoke(args=["close-year", "2019"]).exit_code != 0


def _balances_1_to_5(records: list[dict[str, str]]) -> dict[tuple[str, str], Decimal]:
    out: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for r in records:
        if r["CompteNum"][:1] in "12345":
            out[(r["CompteNum"], r["CompAuxNum"])] += fec_decimal(r["Debit"]) - fec_decimal(
                r["Credit"]
            )
    return {k: v for k, v in out.items() if v}


def _fee(code: str, amount: str) -> Invoice:
    """The year's membership fee, issued in December (outside the regularisation)."""
    take_issuing_lock()
    inv = invoicing.issue_document(
        kind="invoice",
        origin="fee",
        member=db.session.scalars(select(Member).where(Member.code == code)).one(),
        lines=[LineSpec("fee", "Cotisation 2026", Decimal(amount), None)],
        period=(date(2026, 1, 1), date(2026, 12, 31)),
        issue_date=date(2026, 12, 15),
    )
    db.session.commit()
    return inv


def test_closing_a_generated_year(closed_year, runner) -> None:  # noqa: F811
    _fee("LEFIL", "480.25")
    _fee("CINE3C", "312.10")
    refused = yearend.closing_problems(2026, AFTER)
    assert any("la régularisation annuelle 2026 n'est pas émise" in p for p in refused)
    regularisation.regularise(2026, today=AFTER)
    assert yearend.closing_problems(2026, AFTER) == []
    y2026 = _records(2026)
    # The regularisation issued in January 2027 is accrued in 2026 too.
    assert any(
        r["EcritureLib"].startswith("FAE") or r["EcritureLib"].startswith("AAE") for r in y2026
    )

    end = yearend.close_year(2026, today=AFTER)

    fiscal_year = db.session.get(FiscalYear, 2026)
    expected = result_by_class(y2026)["result"]
    assert fiscal_year.is_closed and fiscal_year.result == end.result == expected
    y2027 = _records(2027)
    an = [r for r in y2027 if r["JournalCode"] == "AN"]
    assert y2027[: len(an)] == an  # A47 A-1: the FEC of 2027 opens with its AN entries
    assert {r["EcritureNum"] for r in an} == {"AN-2027-00001"}
    assert {r["EcritureDate"] for r in an} == {"20270101"}
    carried = {
        (r["CompteNum"], r["CompAuxNum"]): fec_decimal(r["Debit"]) - fec_decimal(r["Credit"])
        for r in an
        if r["CompteNum"][:3] not in ("120", "129")
    }
    assert carried == _balances_1_to_5(y2026)
    # 411 per member (the fees issued in 2026; the monthly invoices, issued in 2027, are on 4181).
    assert carried[("411000", "411LEFIL")] == Decimal("480.25")
    assert carried[("411000", "411CINE3C")] == Decimal("312.10")
    result_lines = [r for r in an if r["CompteNum"][:3] in ("120", "129")]
    assert len(result_lines) == 1
    booked = fec_decimal(result_lines[0]["Credit"]) - fec_decimal(result_lines[0]["Debit"])
    assert booked == expected
    assert result_lines[0]["CompteNum"] == ("120000" if expected > 0 else "129000")
    assert verify_integrity(check_files=False).ok

    # Final: no second closing, no month to reopen, no OD, no regularisation in 2026.
    assert runner.invoke(args=["close-year", "2026"]).exit_code != 0
    try:
        closing.reopen_month(date(2026, 12, 1), user_id=None, reason="erreur")
    except ValueError as exc:
        assert "l'exercice 2026 est clôturé" in str(exc)
    else:
        raise AssertionError("a month of a closed year was reopened")

    # A late document of 2026 goes to 2027, saying which year it is about; no accrual.
    late = _issue("LEFIL", "100.00", day=date(2027, 2, 3))
    vt = db.session.scalars(select(JournalEntry).where(JournalEntry.invoice_id == late.id)).one()
    assert vt.date == date(2027, 2, 3) and vt.label.endswith("(exercice 2026)")
    assert not db.session.scalars(
        select(JournalEntry).where(JournalEntry.accrued_invoice_id == late.id)
    ).all()
    assert verify_integrity(check_files=False).ok


def test_years_page_locks_the_period_and_shows_the_closing_figures(login_as) -> None:
    client = login_as("accountant")
    page = client.get("/comptabilite/exercices")
    assert page.status_code == 200 and "Aucune période verrouillée." in page.text
    done = client.post(
        "/comptabilite/exercices/verrou", data={"day": "31/03/2026"}, follow_redirects=True
    )
    assert "Période verrouillée jusqu&#39;au 31/03/2026." in done.text
    assert db.session.get(FiscalYear, 2026) is not None
    back = client.post(
        "/comptabilite/exercices/verrou", data={"day": "01/01/2026"}, follow_redirects=True
    )
    assert "ne peut qu&#39;avancer" in back.text
    close = client.get("/comptabilite/exercices/2026/cloture")
    assert close.status_code == 200
    assert "La clôture est impossible" in close.text and "encore ouverts : 2026-01" in close.text
    refused = client.post("/comptabilite/exercices/2026/cloture", data={}, follow_redirects=True)
    assert db.session.get(FiscalYear, 2026).closed_at is None and refused.status_code == 200
    assert login_as("manager").post("/comptabilite/exercices/verrou", data={}).status_code == 403
