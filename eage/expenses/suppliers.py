"""Suppliers' bank details (issue 16): the IBAN (and optional BIC) to pay a supplier by SEPA
transfer, remembered per supplier name — the name written on its expenses, their 401
auxiliary account — so it is typed once and serves every later invoice. Entered on the
expense form; checked with the SEPA rules (eage/sepa/rules.py: ISO 13616 IBAN, ISO 9362 BIC).

A table of its own rather than fields on the expense: a posted expense is frozen (corrected
by a credit note only), the bank details are the supplier's, not the invoice's, and they may
change after the invoice was posted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from accounting.ledger import DEFAULT_SUPPLIER
from accounting.problems import Problem
from eage import audit
from eage.extensions import db
from eage.filters import tr
from eage.models.suppliers import Supplier
from eage.sepa import rules


def by_name(name: str | None) -> Supplier | None:
    if not name:
        return None
    return db.session.scalar(select(Supplier).where(Supplier.name == name.strip()))


def bank_problems(data: dict[str, Any]) -> list[Problem]:
    """The IBAN and BIC typed on an expense form: empty (nothing remembered), or valid and
    for a named supplier paid on its invoice."""
    iban, bic = rules.compact(data.get("supplier_iban")), rules.compact(data.get("supplier_bic"))
    if not iban and not bic:
        return []
    problems: list[Problem] = []
    supplier = (data.get("supplier") or "").strip()
    if not supplier or supplier == DEFAULT_SUPPLIER or data.get("paid_by") == "bank":
        problems.append(
            Problem(
                "supplier",
                tr("Nommez le fournisseur (réglé sur facture) dont vous donnez l'IBAN."),
            )
        )
    why = rules.iban_problem(iban)
    if why:
        problems.append(Problem("supplier_iban", why))
    why = rules.bic_problem(bic)
    if why:
        problems.append(Problem("supplier_bic", why))
    return problems


def remember(data: dict[str, Any], *, user_id: int | None) -> None:
    """Keep the supplier's IBAN/BIC typed on the form (no commit: the expense's save does)."""
    iban, bic = rules.compact(data.get("supplier_iban")), rules.compact(data.get("supplier_bic"))
    name = (data.get("supplier") or "").strip()
    if not iban or not name:
        return
    row = by_name(name)
    if row is None:
        row = Supplier(name=name)
        db.session.add(row)
    if (row.iban, row.bic) == (iban, bic or None):
        return
    row.iban, row.bic = iban, bic or None
    db.session.flush()
    audit.record(
        "update",
        "supplier",
        row.id,
        summary=f"{name}: IBAN {iban[:4]}…{iban[-4:]}",
        user_id=user_id,
    )


def save_bank(data: dict[str, Any], *, user_id: int | None) -> list[Problem]:
    """The supplier bank page: every problem, or the details kept and committed."""
    problems = bank_problems({**data, "paid_by": "supplier"})
    if not rules.compact(data.get("supplier_iban")):
        problems.append(Problem("supplier_iban", tr("IBAN manquant")))
    if problems:
        return problems
    remember(data, user_id=user_id)
    db.session.commit()
    return []
