"""Security deposits (dépôts de garantie) a member hands to the group: a debt to return, not
revenue (PCG 165 « Dépôts et cautionnements reçus »), outside the scope of VAT (no supply of
a service: art. 256 CGI). Received: D 512 / C 165; refunded: D 165 / C 512 (journal BQ)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from accounting.ledger import Accounts, Entry, _side, assert_balanced


def deposit_entry(
    *,
    day: date,
    reference: str,
    member_code: str,
    amount: Decimal,
    accounts: Accounts,
    refund: bool = False,
) -> Entry:
    """The bank entry of a deposit received (or refunded when ``refund``)."""
    label = f"{'Remboursement d' if refund else 'D'}épôt de garantie {member_code}"
    analytic = {"member_code": member_code, "label": label}
    lines = (
        _side(accounts["bank"], amount, debit=not refund, **analytic),
        _side(accounts["deposits_received"], amount, debit=refund, **analytic),
    )
    return assert_balanced(Entry("BQ", day, label, reference, day, lines))
