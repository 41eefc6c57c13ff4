"""The optional penalty invoice of a reminder: the late-payment penalties (art. L441-10
C. com.) and the 40 € recovery indemnities (art. D441-5) it computed, invoiced through the
ordinary issuing path (numbered in the F series, Factur-X, posted), outside the scope of VAT
(accounting/invoicing.py LATE_PAYMENT_KINDS): 411 / 7638 for the penalties, 411 / 758 for
the indemnities (accounting/ledger.py)."""

from __future__ import annotations

from datetime import date, timedelta

from accounting.formats import fr_date
from accounting.problems import Problem, ProblemsError
from eage import storage
from eage.books import periods
from eage.extensions import db
from eage.filters import tr
from eage.invoicing import services as invoicing
from eage.invoicing.services import LineSpec
from eage.locks import take_issuing_lock
from eage.models import Invoice
from eage.models.reminders import Reminder


def penalty_lines(reminder: Reminder) -> list[LineSpec]:
    """One line for the penalties, one for the indemnities, each naming the invoices."""
    numbers = ", ".join(it.invoice.number for it in reminder.items if it.penalty > 0)
    late = [it for it in reminder.items if it.indemnity > 0]
    when = fr_date(reminder.sent_on)
    lines = []
    if reminder.penalties > 0:
        lines.append(
            LineSpec(
                "penalty",
                f"Pénalités de retard au {when} (art. L441-10 C. com.) : factures {numbers}",
                reminder.penalties,
            )
        )
    if reminder.indemnities > 0:
        lines.append(
            LineSpec(
                "indemnity",
                f"Indemnités forfaitaires pour frais de recouvrement, 40 € × {len(late)} "
                f"(art. D441-5 C. com.) : factures {', '.join(it.invoice.number for it in late)}",
                reminder.indemnities,
            )
        )
    return lines


def penalty_invoice_problems(reminder: Reminder, day: date | None) -> list[Problem]:
    problems = []
    if reminder.penalty_invoice is not None:
        problems.append(
            Problem(
                None,
                tr(
                    "facture de pénalités déjà émise : %(number)s",
                    number=reminder.penalty_invoice.number,
                ),
            )
        )
    if reminder.penalties + reminder.indemnities <= 0:
        problems.append(Problem(None, tr("aucune pénalité ni indemnité à facturer")))
    if day is None:
        problems.append(Problem("day", tr("date manquante")))
    elif day < reminder.sent_on:
        problems.append(Problem("day", tr("date antérieure à la relance")))
    else:
        problems += [Problem("day", m) for m in periods.posting_problems([day])]
    return problems


def issue_penalty_invoice(
    reminder: Reminder, day: date | None, *, user_id: int | None = None
) -> Invoice:
    """Issue the reminder's penalty invoice (documents stored, entry posted); one commit."""
    problems = penalty_invoice_problems(reminder, day)
    if problems:
        raise ProblemsError(problems)
    assert day is not None
    take_issuing_lock()
    first_due = min(it.invoice.due_date for it in reminder.items)
    inv = invoicing.issue_document(
        kind="invoice",
        origin="penalty",
        member=reminder.member,
        lines=penalty_lines(reminder),
        period=(first_due + timedelta(days=1), reminder.sent_on),
        issue_date=day,
        user_id=user_id,
    )
    reminder.penalty_invoice = inv
    with storage.transaction():
        invoicing.render_and_store([inv])
        db.session.commit()
    return inv
