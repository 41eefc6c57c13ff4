"""A true year of books (issue 13), checked as the group's chartered accountant checks it.

A generated 2025 of the demo group: overheads (one with deductible VAT), a subsidy, the
membership fees, twelve closes each early in the following month (December's on 5 January
2026), a reopened and re-closed month, two credit notes, partial payments, the
regularisation issued on 20 January 2026, payments in January 2026, then ``close-year 2025``.
Then, on the FECs of 2025 and 2026 (SPEC §5 "Accounting entries", art. A47 A-1 LPF):

* the FEC of 2025 passes every A47 A-1 rule we read (accounting/fec_check.py);
* its result (classes 7 − 6) is the year's membership fees to the cent — an at-cost group's
  only margin (art. 261 B CGI: members pay their exact share of the common costs);
* December's revenue and the regularisation are in 2025 (cut-off through 4181/4198);
* each member's 411 balance equals its open items, at 31/12/2025 and today;
* 44574 (VAT due on receipt, art. 269-2-c CGI) equals the VAT of the unpaid invoices;
* the opening entries (AN) of 2026 are 2025's closing balances of classes 1–5, the result on
  120/129; every entry balances; the chain verifies; 2025 can no longer be written to.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import func, select

from accounting.fec_check import audit_fec, summarise_fec
from eage.books import yearend
from eage.books.fec import build_fec
from eage.books.integrity import verify_integrity
from eage.closing import services as closing
from eage.demo import load_demo
from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.models import (
    Expense,
    FiscalYear,
    Invoice,
    InvoiceLine,
    JournalEntry,
    JournalLine,
    Member,
    OperatingIncome,
    Payment,
    TimesheetEntry,
)
from eage.payslips import salary_tax, settlements
from eage.regularisation import services as regularisation
from tests.placeholders import use_placeholder_documents

Y = 2025
ZERO = Decimal("0.00")


def _overheads() -> None:
    for m in range(1, 13):
        db.session.add(
            Expense(
                date=date(Y, m, 5),
                account="613200",
                label="Loyer 20 rue Saint-Joseph",
                amount=Decimal("300.00"),
                supplier="SCI Saint-Joseph",
                paid_by="bank",
            )
        )
        db.session.add(
            Expense(
                date=date(Y, m, 20),
                account="626000",
                label="Internet",
                amount=Decimal("99.99"),
                supplier="Opérateur",
                paid_by="supplier",
            )
        )
    db.session.add(
        Expense(
            date=date(Y, 6, 30),
            account="622600",
            label="Honoraires expert-comptable",
            amount=Decimal("1200.00"),
            vat=Decimal("240.00"),
            supplier="Cabinet Roche",
            paid_by="supplier",
        )
    )
    db.session.add(
        Expense(
            date=date(Y, 9, 12),
            account="627000",
            label="Frais bancaires — remboursement",
            amount=Decimal("-12.50"),
            paid_by="bank",
        )
    )
    db.session.add(
        OperatingIncome(date=date(Y, 3, 15), account="740000",
                        label="Subvention de fonctionnement (Département)",
                        amount=Decimal("2500.00"))
    )  # fmt: skip
    db.session.commit()


def _member(code: str) -> Member:
    return db.session.scalar(select(Member).where(Member.code == code))


def _invoices(member: Member, *, kind: str = "invoice") -> list[Invoice]:
    return list(
        db.session.scalars(
            select(Invoice)
            .where(Invoice.member_id == member.id, Invoice.kind == kind)
            .order_by(Invoice.issue_date, Invoice.seq)
        )
    )


def _pay_all_due(member: Member, day: date, *, up_to: date) -> None:
    """The member pays, on ``day``, what it owes on the invoices issued up to ``up_to``."""
    amount = sum(
        (invoicing.outstanding(i) for i in _invoices(member) if i.issue_date <= up_to), ZERO
    )
    if amount > 0:
        invoicing.record_payment(member=member, day=day, amount=amount, method="virement",
                                 reference=f"VIR {member.code} {day:%Y%m%d}")  # fmt: skip


def _close(month: int, today: date) -> None:
    closing.close_month(date(Y, month, 1), today=today)


def _reopen_june_and_close_again() -> None:
    closing.reopen_month(date(Y, 6, 1), user_id=None, reason="heures oubliées le 30 juin")
    sample = db.session.scalar(
        select(TimesheetEntry)
        .where(TimesheetEntry.date == date(Y, 6, 30), TimesheetEntry.member_id.is_not(None))
        .limit(1)
    )
    db.session.add(
        TimesheetEntry(date=date(Y, 6, 30), employee_id=sample.employee_id,
                       member_id=sample.member_id, service_id=sample.service_id, minutes=90,
                       note="Réunion oubliée")
    )  # fmt: skip
    db.session.commit()
    closing.close_month(date(Y, 6, 1), today=date(Y, 7, 9))


@pytest.fixture()
def true_year(app, monkeypatch) -> dict[str, object]:
    load_demo(Y, today=date(Y, 12, 31))
    _overheads()
    use_placeholder_documents(monkeypatch)
    invoicing.invoice_fees(Y, issue_date=date(Y, 1, 31))
    unpaid = None  # a VAT-liable member that stops paying in the autumn (chosen below)
    for month in range(1, 13):
        closes_on = date(Y + (month == 12), month % 12 + 1, 5)
        _close(month, closes_on)
        # the group pays the month's net salaries, charges and withholding tax (421/43x/4421)
        done, refused = settlements.settle_month(f"{Y}-{month:02d}", closes_on)
        assert done and not refused, refused
        if month == 6:
            _reopen_june_and_close_again()
        if month == 3:  # a partial credit note on LEFIL's March invoice
            march = _invoices(_member("LEFIL"))[-1]
            first = march.lines[0]
            invoicing.create_credit_note(
                march, reason="Heure comptée deux fois", issue_date=date(Y, 4, 15),
                amounts={first.position: Decimal("25.00")},
            )  # fmt: skip
        if month == 9:  # a full credit note of a September invoice
            sept = _invoices(_member("GAGA"))[-1]
            invoicing.create_credit_note(sept, reason="Refacturée par erreur",
                                         issue_date=date(Y, 10, 10))  # fmt: skip
        # everyone pays at the end of the month of issue, what was issued that month…
        if month < 12:
            for member in db.session.scalars(select(Member).order_by(Member.code)):
                if member.code == unpaid:
                    continue
                paid_on = date(Y, month + 1, 25)
                if member.code == "LEFIL" and month == 10:  # …LEFIL half of October's
                    owed = invoicing.outstanding(_invoices(member)[-1])
                    invoicing.record_payment(
                        member=member,
                        day=paid_on,
                        amount=(owed / 2).quantize(Decimal("0.01")),
                        method="virement",
                        reference="VIR partiel",
                    )
                    continue  # fmt: skip
                _pay_all_due(member, paid_on, up_to=closes_on)
        if month == 8:
            unpaid = _stop_paying()
    # the taxe sur les salaires is part of the cost to recharge: computed before the
    # regularisation (art. 231 CGI; the associations' allowance of art. 1679 A absorbs it)
    tax = salary_tax.compute(Y).result
    assert tax.liable and tax.tax_before_allowance > 0 and tax.due == 0
    regularisation.regularise(Y, today=date(Y + 1, 1, 20))
    for member in db.session.scalars(select(Member).order_by(Member.code)):
        if member.code != unpaid:
            _pay_all_due(member, date(Y + 1, 1, 25), up_to=date(Y + 1, 1, 31))
    yearend.close_year(Y, today=date(Y + 1, 2, 1))
    return {"unpaid": unpaid}


def _stop_paying() -> str:
    """A VAT-liable member that pays nothing from September on."""
    candidates = sorted(
        m.code for m in db.session.scalars(select(Member).where(Member.vat_regime == "vat_20"))
    )
    assert candidates
    return candidates[0]


# --------------------------------------------------------------------------- helpers


def _service_revenue(year: int) -> Decimal:
    """Excl.-tax service revenue for periods of ``year``: invoices − credit notes (monthly,
    complements, regularisation), whatever their issue date."""
    rows = db.session.execute(
        select(Invoice.kind, func.sum(InvoiceLine.amount))
        .join(InvoiceLine.invoice)
        .where(InvoiceLine.kind != "fee", func.extract("year", Invoice.period_end) == year)
        .group_by(Invoice.kind)
    ).all()
    out = ZERO
    for kind, total in rows:
        out += Decimal(total) * (-1 if kind == "credit_note" else 1)
    return out


def _fees(year: int) -> Decimal:
    total = db.session.scalar(
        select(func.sum(InvoiceLine.amount))
        .join(InvoiceLine.invoice)
        .where(InvoiceLine.kind == "fee", Invoice.year == year, Invoice.kind == "invoice")
    )
    return Decimal(total or 0)


def _open_items_at(member: Member, day: date) -> Decimal:
    """What the member owed at ``day`` by the documents: invoices − credit notes − payments
    issued or received by then."""
    owed = ZERO
    for inv in db.session.scalars(select(Invoice).where(Invoice.member_id == member.id)):
        if inv.issue_date <= day:
            owed += inv.total_incl_tax * (-1 if inv.kind == "credit_note" else 1)
    for pay in db.session.scalars(select(Payment).where(Payment.member_id == member.id)):
        if pay.date <= day:
            owed -= pay.amount
    return owed


# --------------------------------------------------------------------------- the checks


def test_the_fec_of_the_year_is_a_true_year(true_year) -> None:
    fec = build_fec(Y)
    assert audit_fec(fec.data, fec.filename, Y) == []
    books = summarise_fec(fec.data)
    # an at-cost group's only margin: its membership fees (SPEC §5)
    fees = _fees(Y)
    assert fees > 0
    assert books.result == fees
    # December's invoices (issued 5/1) and the regularisation (20/1) are revenue of 2025
    assert -books.total("706") == _service_revenue(Y)
    assert -books.total("756") == fees
    assert -books.total("740") == Decimal("2500.00")
    # the accrual is reversed in 2026: 4181/4198/44587 are nil once 2026 is read too
    assert books.total("4181") > 0
    # each member's 411 balance at 31/12 = what its documents say it owed then
    for member in db.session.scalars(select(Member)):
        aux = books.aux.get(f"411{member.code}", ZERO)
        assert aux == _open_items_at(member, date(Y, 12, 31)), member.code
    # the payroll debts of January to November are paid; December's are paid in January
    december = summarise_fec(build_fec(Y + 1).data, without=("AN",))
    for account in ("421", "431", "437", "4421"):
        assert books.total(account) < 0 and books.total(account) == -december.total(account)
    # purchases: the deductible VAT of the accountant's fees, the suppliers still owed
    assert books.total("44566") == Decimal("240.00")
    assert books.total("6") == books.total("64") + books.total("63") + Decimal("12") * (
        Decimal("300.00") + Decimal("99.99")
    ) + Decimal("1200.00") - Decimal("12.50")


def test_the_next_year_opens_on_the_closing_balances(true_year) -> None:
    fy = db.session.get(FiscalYear, Y)
    assert fy.is_closed and fy.result == _fees(Y)
    closing_books = summarise_fec(build_fec(Y).data)
    fec_next = build_fec(Y + 1)
    assert audit_fec(fec_next.data, fec_next.filename, Y + 1) == []
    opening = summarise_fec(fec_next.data, without=("VT", "HA", "PA", "BQ", "OD"))
    expected = {k: v for k, v in closing_books.accounts.items() if k[0] in "12345" and v != 0}
    result_account = "120000" if fy.result >= 0 else "129000"
    expected[result_account] = expected.get(result_account, ZERO) - fy.result
    assert {k: v for k, v in opening.accounts.items() if v != 0} == expected
    # each member's balance is carried forward on its own auxiliary account
    assert {k: v for k, v in opening.aux.items() if v != 0 and k.startswith("411")} == {
        k: v for k, v in closing_books.aux.items() if v != 0 and k.startswith("411")
    }
    # the cut-off is undone on 1/1: nothing left in 4181/4198/44587 over both years
    both = defaultdict(lambda: ZERO)
    for data in (build_fec(Y).data, fec_next.data):
        for k, v in summarise_fec(data, without=("AN",)).accounts.items():
            both[k] += v
    assert both["418100"] == both.get("419800", ZERO) == both.get("445870", ZERO) == ZERO


def test_open_items_and_vat_on_receipts_agree_with_the_books(true_year) -> None:
    all_books: dict[str, Decimal] = defaultdict(lambda: ZERO)
    aux: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for year in (Y, Y + 1):
        summary = summarise_fec(build_fec(year).data, without=("AN",) if year > Y else ())
        for k, v in summary.accounts.items():
            all_books[k] += v
        for k, v in summary.aux.items():
            aux[k] += v
    for member in db.session.scalars(select(Member)):
        items = invoicing.open_items(member.id)
        assert sum((i.amount for i in items), ZERO) == aux[f"411{member.code}"], member.code
        assert invoicing.member_balance(member.id) == aux[f"411{member.code}"]
    # VAT due on receipt: 44574 holds the VAT of what is still unpaid, less the VAT of the
    # credit not yet applied (a credit note reverses its VAT at issue), member by member
    # (the analytic member of each 44574 line), to the cent on each open item
    for member in db.session.scalars(select(Member)):
        expected, items = ZERO, 0
        for item in invoicing.open_items(member.id):
            doc = item.document
            if doc.vat:
                items += 1
                share = (doc.vat * abs(item.amount) / doc.total_incl_tax).quantize(
                    Decimal("0.01"), rounding=ROUND_HALF_UP
                )
                expected += share if item.amount > 0 else -share
        assert abs(_pending_vat(member) - expected) <= Decimal("0.01") * items, member.code
    unpaid = _member(true_year["unpaid"])
    assert _pending_vat(unpaid) > Decimal("500")  # its autumn invoices, never paid
    assert -all_books["445740"] == sum(
        (_pending_vat(m) for m in db.session.scalars(select(Member))), ZERO
    )


def _pending_vat(member: Member) -> Decimal:
    """Credit − debit of 44574 on the member's lines, outside the opening entries."""
    debit, credit = db.session.execute(
        select(func.sum(JournalLine.debit), func.sum(JournalLine.credit))
        .join(JournalLine.entry)
        .where(
            JournalLine.account_number == "445740",
            JournalLine.member_id == member.id,
            JournalEntry.journal != "AN",
            JournalEntry.validated_at.is_not(None),
        )
    ).one()
    return Decimal(credit or 0) - Decimal(debit or 0)


def test_the_closed_year_stays_closed(true_year, runner) -> None:
    assert verify_integrity().ok
    with pytest.raises(Exception, match="clôturé"):
        closing.reopen_month(date(Y, 12, 1), user_id=None, reason="essai")
    result = runner.invoke(args=["close-year", str(Y)])
    assert result.exit_code != 0 and "clôturé" in result.output
