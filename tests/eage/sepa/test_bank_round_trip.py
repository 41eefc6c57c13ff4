"""A direct-debit batch comes back on the bank statement (issue 16): the batch credit books
each invoice's payment and marks its transaction `done`; a rejected debit (R-transaction,
AM04) reverses the payment, marks the transaction `rejected` and the invoice goes into the
next batch again."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from eage.bank import services as bank
from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.sepa import debits
from tests import factories
from tests.eage.bank.camt_builder import Entry, Tx, camt053

TODAY = date(2026, 11, 30)
COLLECTION = date(2026, 12, 2)
NOV = (date(2026, 11, 1), date(2026, 11, 30))


def test_the_statement_settles_then_rejects_a_debit(sepa, give_mandate, app) -> None:
    give_mandate("LEFIL")
    give_mandate("CINE3C")
    lefil = factories.add_invoice("LEFIL", "invoice", "monthly", NOV, [("service", None, "500.00")])
    cine = factories.add_invoice("CINE3C", "invoice", "monthly", NOV, [("service", None, "300.00")])
    amounts = {lefil.number: lefil.total_incl_tax, cine.number: cine.total_incl_tax}
    batch, _plan = debits.create_debit_batch(COLLECTION, today=TODAY)
    by_invoice = {t.end_to_end_id: t for t in batch.transactions}
    assert {t.status for t in batch.transactions} == {"pending"}

    credit, closing = camt053(
        "S-12a",
        Decimal("0"),
        [Entry(COLLECTION, True, [Tx(amounts[n], n, "Prélèvement SEPA") for n in amounts])],
        date(2026, 12, 1),
        date(2026, 12, 2),
    )
    assert len(bank.import_statement(credit, "credit.xml").matched) == 2
    db.session.refresh(batch)
    assert {t.status for t in batch.transactions} == {"done"}
    assert invoicing.outstanding(lefil) == Decimal("0.00")

    reject, _ = camt053(
        "S-12b",
        closing,
        [
            Entry(
                date(2026, 12, 7),
                False,
                [Tx(amounts[cine.number], cine.number, "Retour", None, None, "AM04")],
                reversal=True,
            )
        ],
        date(2026, 12, 3),
        date(2026, 12, 7),
    )
    bank.import_statement(reject, "reject.xml")
    db.session.expire_all()
    assert by_invoice[cine.number].status == "rejected"
    assert by_invoice[lefil.number].status == "done"
    assert invoicing.outstanding(cine) == amounts[cine.number]
    again = debits.plan_debits(date(2026, 12, 16), today=date(2026, 12, 8))
    assert [line.invoice.number for line in again.lines] == [cine.number]
