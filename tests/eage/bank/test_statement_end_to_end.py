"""THE test of issue 16 (bank statements in): a closed month, then the November statement
as the bank sends it (CAMT.053.001.08) with member payments with and without references, a
partial payment, a SEPA direct-debit batch credit (one entry, one detail per invoice, the
EndToEndId being the invoice number), a rejected debit (AM04), the net salaries, the URSSAF
and bank charges. What the accountant checks afterwards: the referenced and exact-amount
lines were booked without a click; once the rest is confirmed the bank account 512 equals
the statement's closing balance, every paid invoice is lettered, 44574 holds only the VAT of
what is still unpaid (art. 269-2-c CGI: VAT on services is due on receipt), and the same
statement imported again changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from eage.bank import services as bank
from eage.bank.services import Part
from eage.books.lettering import receivable_letters
from eage.closing import services as closing
from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.invoicing.services import LineSpec
from eage.locks import take_issuing_lock
from eage.models import Invoice, JournalEntry, JournalLine, Member, Payslip, Service
from eage.models.bank import BankLine
from eage.payslips import settlements
from tests.eage.bank.camt_builder import Entry, Tx, camt053
from tests.eage.closing.conftest import add_time, october_time  # noqa: F401

NOV = date(2026, 11, 2)
D = Decimal
NOCTAMB_IBAN = "FR7610107001011234567890129"


def _member(code: str) -> Member:
    return db.session.scalars(select(Member).where(Member.code == code)).one()


def _issue(code: str, excl_tax: str) -> Invoice:
    take_issuing_lock()
    svc = db.session.scalars(select(Service).where(Service.code == "GESTION")).one()
    inv = invoicing.issue_document(
        kind="invoice",
        origin="monthly",
        member=_member(code),
        lines=[LineSpec("service", "Gestion", D(excl_tax), svc)],
        period=(date(2026, 10, 1), date(2026, 10, 31)),
        issue_date=NOV,
    )
    db.session.commit()
    return inv


def balance(account: str) -> Decimal:
    """Debit − credit of an account over the validated entries."""
    debit, credit = db.session.execute(
        select(func.sum(JournalLine.debit), func.sum(JournalLine.credit))
        .join(JournalEntry, JournalLine.entry_id == JournalEntry.id)
        .where(JournalLine.account_number == account, JournalEntry.validated_at.is_not(None))
    ).one()
    return D(debit or 0) - D(credit or 0)


@pytest.fixture()
def october_closed(october_time) -> dict[str, Invoice]:  # noqa: F811
    closing.close_month(date(2026, 10, 1), today=date(2026, 11, 28))
    invoices = {i.member.code: i for i in db.session.scalars(select(Invoice))}
    _member("NOCTAMB").iban = NOCTAMB_IBAN
    db.session.commit()
    invoices["CINE3C"] = _issue("CINE3C", "1000.00")  # 1 200.00 incl. 200.00 VAT
    invoices["REMUE"] = _issue("REMUE", "300.00")  # exempt association: 300.00
    invoices["NOCTAMB"] = _issue("NOCTAMB", "450.00")
    invoices["BAROUF"] = _issue("BAROUF", "250.00")
    return invoices


def _statement(inv: dict[str, Invoice], opening: Decimal) -> tuple[bytes, Decimal]:
    nets = {s.employee.code: D(s.net_paid) for s in db.session.scalars(select(Payslip))}
    urssaf = next(o for o in settlements.month_settlements("2026-10") if o.kind == "urssaf")
    f = {code: i.number for code, i in inv.items()}
    entries = [
        Entry(
            date(2026, 11, 3),
            True,
            [Tx(D("86.99"), None, f"Facture {f['FABRIQUE']}", "LA FABRIQUE")],
        ),
        Entry(
            date(2026, 11, 4),
            True,
            [Tx(D("200.00"), None, f"Acompte {f['LEFIL']}", "ASSOCIATION LIMACE")],
        ),
        Entry(  # the direct-debit batch: one credit, one detail per invoice
            date(2026, 11, 5),
            True,
            [
                Tx(inv["CINE3C"].total_incl_tax, f["CINE3C"], "Prélèvement GE", "CINEMA LE FRANCE"),
                Tx(inv["REMUE"].total_incl_tax, f["REMUE"], "Prélèvement GE", "LE REMUE MENINGES"),
            ],
        ),
        Entry(
            date(2026, 11, 6),
            True,
            [Tx(D("450.00"), None, "VIREMENT", "NOCTAMBULES", NOCTAMB_IBAN)],
        ),
        Entry(date(2026, 11, 7), True, [Tx(D("100.00"), None, "VIR LA BAROUFADA", "LA BAROUFADA")]),
        *[
            Entry(date(2026, 11, 5), False, [Tx(v, f"SAL-2026-10-{k}", "Salaire octobre", k)])
            for k, v in nets.items()
        ],
        Entry(date(2026, 11, 15), False, [Tx(urssaf.amount, "URSSAF-2026-10", "Cotisations")]),
        Entry(date(2026, 11, 30), False, [Tx(D("12.50"), None, "FRAIS TENUE DE COMPTE")]),
        Entry(  # the bank takes back REMUE's debit: insufficient funds
            date(2026, 11, 12),
            False,
            [
                Tx(
                    inv["REMUE"].total_incl_tax,
                    f["REMUE"],
                    "Rejet prélèvement",
                    "REMUE",
                    None,
                    "AM04",
                )
            ],
            reversal=True,
        ),
    ]
    return camt053("STMT-2026-11", opening, entries, date(2026, 11, 1), date(2026, 11, 30))


def _unpaid_vat() -> Decimal:
    total = D(0)
    for inv in db.session.scalars(select(Invoice).where(Invoice.kind == "invoice")):
        left = invoicing.outstanding(inv)
        if left and inv.vat:
            total += (left * inv.vat / inv.total_incl_tax).quantize(D("0.01"))
    return total


def _line(text: str) -> BankLine:
    rows = db.session.scalars(select(BankLine)).all()
    return next(ln for ln in rows if text in f"{ln.end_to_end_id} {ln.remittance}")


def test_a_month_of_bank_statement_ends_reconciled(october_closed, login_as) -> None:
    inv = october_closed
    opening = bank.bank_balance(date(2026, 10, 31))
    data, closing_balance = _statement(inv, opening)

    dry = bank.import_statement(data, "releve-novembre.xml", dry_run=True)
    assert dry.dry_run and len(dry.matched) == 6
    assert db.session.scalar(select(func.count(BankLine.id))) == 0  # the dry run wrote nothing

    result = bank.import_statement(data, "releve-novembre.xml")
    matched = {ln.end_to_end_id or ln.remittance for ln in result.matched}
    # booked without a click: the references, the batch split per invoice, the IBAN + exact
    # amount, the rejected debit
    assert (
        matched
        == {
            f"Facture {inv['FABRIQUE'].number}",
            f"Acompte {inv['LEFIL'].number}",
            inv["CINE3C"].number,
            inv["REMUE"].number,
            "VIREMENT",
        }
        and len(result.matched) == 6
    )
    assert inv["FABRIQUE"].status == "paid" and inv["CINE3C"].status == "paid"
    assert invoicing.outstanding(inv["LEFIL"]) == inv["LEFIL"].total_incl_tax - D("200.00")
    assert inv["NOCTAMB"].status == "paid"
    # the rejected debit re-opened REMUE's invoice
    assert invoicing.outstanding(inv["REMUE"]) == D("300.00")
    assert inv["REMUE"].status != "paid"

    review = {ln.id: ln.proposal for ln in result.review}
    assert all(p is not None for p in review.values())  # each has a proposal
    barouf = _line("BAROUFADA")
    assert (
        barouf.proposal["kind"] == "payment"
        and barouf.proposal["member_id"] == _member("BAROUF").id
    )
    bank.confirm_line(barouf)  # partial: 100.00 of 250.00
    assert invoicing.outstanding(inv["BAROUF"]) == D("150.00")
    bank.confirm_line(_line("URSSAF-2026-10"))
    charges = _line("FRAIS")
    assert charges.proposal["account"] == "627000"
    bank.assign_line(charges, [Part("account", D("12.50"), account="627000", label="Frais")])

    # one through the page: the salaries (one click settles the month's three transfers)
    client = login_as("accountant")
    salary = next(
        ln for ln in bank.lines_to_review() if (ln.end_to_end_id or "").startswith("SAL-")
    )
    response = client.post(f"/banque/lignes/{salary.id}/confirmer", follow_redirects=True)
    assert response.status_code == 200
    assert bank.lines_to_review() == []

    assert balance("512000") == closing_balance  # the bank reconciled
    view = bank.statements()[0]
    assert view.difference == D("0.00") and view.to_review == 0
    letters = receivable_letters()
    for invoice in inv.values():
        entry = db.session.scalars(
            select(JournalEntry).where(JournalEntry.invoice_id == invoice.id)
        ).one()
        line411 = next(ln for ln in entry.lines if ln.account_number.startswith("411"))
        assert (line411.id in letters) == (invoicing.outstanding(invoice) == 0), invoice.number
    assert -balance("445740") == _unpaid_vat()  # 44574 = VAT of what is still unpaid
    assert -balance("445740") > 0

    entries = db.session.scalar(select(func.count(JournalEntry.id)))
    again = bank.import_statement(data, "copie.xml")
    assert again.already
    assert db.session.scalar(select(func.count(JournalEntry.id))) == entries
    assert db.session.scalar(select(func.count(BankLine.id))) == len(result.matched) + len(
        result.review
    )
