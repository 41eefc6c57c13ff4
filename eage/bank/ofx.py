"""OFX (1.x SGML or 2.x XML, what some banks still offer) → :class:`Statement`, read with
ofxtools (kept up to date, typed, Decimal amounts). One bank statement per file."""

from __future__ import annotations

import io

from ofxtools.Parser import OFXTree

from accounting.money import D, is_whole_cents
from accounting.problems import Problem, ProblemsError
from eage.bank.statement import Statement, StatementLine, compact_iban, line_problem
from eage.filters import tr


def is_ofx(data: bytes) -> bool:
    head = data[:1000].upper()
    return b"OFXHEADER" in head or b"<OFX>" in head


def parse_ofx(data: bytes) -> Statement:
    tree = OFXTree()
    try:
        tree.parse(io.BytesIO(data))
        ofx = tree.convert()
    except Exception as exc:  # ofxtools raises many kinds: all mean « unreadable »
        raise ProblemsError.single(tr("fichier OFX illisible : %(exc)s", exc=exc)) from exc
    statements = list(getattr(ofx, "statements", []) or [])
    if len(statements) != 1:
        raise ProblemsError.single(
            tr(
                "le fichier contient %(n)s relevés : un seul relevé par fichier",
                n=len(statements),
            )
        )
    stmt = statements[0]
    account = stmt.account
    # OFX names the account by bank, branch and account number (no IBAN): kept together.
    iban = compact_iban(
        "".join(
            str(getattr(account, name, None) or "") for name in ("bankid", "branchid", "acctid")
        )
    )
    problems: list[Problem] = []
    lines = []
    for n, tx in enumerate(stmt.transactions, start=1):
        amount = D(tx.trnamt)
        if amount == 0 or not is_whole_cents(amount):
            problems.append(line_problem(n, tr("montant invalide (%(amount)s)", amount=tx.trnamt)))
            continue
        lines.append(
            StatementLine(
                booking_date=tx.dtposted.date(),
                amount=amount,
                counterparty_name=(tx.name or None),
                remittance=(tx.memo or tx.name or None),
                end_to_end_id=None,
                bank_reference=tx.fitid,
            )
        )
    if not iban:
        problems.append(Problem(None, tr("relevé sans numéro de compte (ACCTID)")))
    if problems:
        raise ProblemsError(problems)
    ledger_balance = getattr(stmt, "ledgerbal", None)
    closing = D(ledger_balance.balamt) if ledger_balance is not None else None
    moved = sum((ln.amount for ln in lines), D("0"))
    opening = closing - moved if closing is not None else None
    tranlist = stmt.banktranlist
    start, end = tranlist.dtstart.date(), tranlist.dtend.date()
    ident = f"OFX-{start}-{end}"
    assert iban
    return Statement(iban, ident, opening, closing, start, end, tuple(lines), "ofx")
