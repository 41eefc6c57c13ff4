"""Refund of an unapplied credit: a credit note not (fully) used, to a member that owes
nothing, is paid back — D 411<member> / C 512 (accounting/refunds.py) — which closes the
note's remaining credit (eage.invoicing.services.unapplied_credit counts the refunds)."""

from __future__ import annotations

from datetime import date

from accounting.problems import Problem, ProblemsError
from accounting.refunds import credit_refund_entry
from eage import audit
from eage.books import periods
from eage.books.chart import posting_accounts
from eage.books.posting import persist_entry
from eage.extensions import db
from eage.filters import tr
from eage.invoicing import services as invoicing
from eage.locks import take_issuing_lock
from eage.models import CreditRefund, Invoice


def refund_problems(note: Invoice, day: date | None) -> list[Problem]:
    """Every reason to refuse at once: not a credit note, nothing left on it, the member
    still owes an invoice (apply the credit to it instead), no date or a closed period."""
    problems = []
    if not note.is_credit_note:
        return [Problem(None, tr("%(number)s n'est pas un avoir", number=note.number))]
    if invoicing.unapplied_credit(note) <= 0:
        problems.append(
            Problem(None, tr("%(number)s : plus de crédit à rembourser", number=note.number))
        )
    open_invoices = invoicing.open_invoices(note.member)
    if open_invoices:
        numbers = ", ".join(i.number for i in open_invoices)
        problems.append(
            Problem(
                None,
                tr(
                    "%(code)s doit encore %(numbers)s : imputez-y l'avoir",
                    code=note.member.code,
                    numbers=numbers,
                ),
            )
        )
    if day is None:
        problems.append(Problem("day", tr("date manquante")))
    elif day < note.issue_date:
        problems.append(Problem("day", tr("date antérieure à l'avoir")))
    else:
        problems += [Problem("day", m) for m in periods.posting_problems([day])]
    return problems


def refund_credit(
    note: Invoice, day: date | None, *, reference: str | None = None, user_id: int | None = None
) -> CreditRefund:
    """Pay back the whole remaining credit of `note`, posted validated; one commit."""
    problems = refund_problems(note, day)
    if problems:
        raise ProblemsError(problems)
    assert day is not None
    take_issuing_lock()
    amount = invoicing.unapplied_credit(note)
    refund = CreditRefund(
        credit_note_id=note.id,
        date=day,
        amount=amount,
        reference=reference,
        created_by_id=user_id,
    )
    db.session.add(refund)
    db.session.flush()
    entry = credit_refund_entry(
        day=day,
        reference=reference or f"RBT-{refund.id}",
        note_number=note.number,
        member_code=note.member.code,
        member_name=note.member.name,
        amount=amount,
        accounts=posting_accounts(),
    )
    refund.entry_id = persist_entry(entry, origin="refund", user_id=user_id, validated=True).id
    audit.record(
        "refund", "credit_note", note.number, user_id=user_id, summary=f"{amount} on {day}"
    )
    db.session.commit()
    return refund
