"""Refund of a credit note's unapplied credit to a member with nothing left to pay: the
group pays the member back, the member's auxiliary account is settled (journal BQ):
D 411<member> / C 512 — the mirror of a payment received (accounting.ledger.payment_entry)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from accounting.chart import member_aux_number
from accounting.ledger import Accounts, Entry, _side, assert_balanced


def credit_refund_entry(
    *,
    day: date,
    reference: str,
    note_number: str,
    member_code: str,
    member_name: str,
    amount: Decimal,
    accounts: Accounts,
) -> Entry:
    label = f"Remboursement avoir {note_number} {member_code}"
    analytic = {"member_code": member_code, "label": label}
    lines = (
        _side(
            accounts["receivable"],
            amount,
            debit=True,
            aux_number=member_aux_number(member_code),
            aux_label=member_name,
            **analytic,
        ),
        _side(accounts["bank"], amount, debit=False, **analytic),
    )
    return assert_balanced(Entry("BQ", day, label, reference, day, lines))
