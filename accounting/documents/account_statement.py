"""The member's statement of account (relevé de compte), attached to the reminders: every
invoice, credit note and payment with the running balance, the security deposit held, and,
for a reminder, the overdue invoices with the late-payment penalties and the 40 € indemnity
as printed on the invoices (art. L441-10 and D441-5 C. com.). Pure: a frozen dataclass in,
PDF/A-3b (WeasyPrint) out, in the house look of the other documents; French only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from accounting.documents.html import environment
from accounting.documents.pdf import html_to_pdf
from accounting.invoicing import Party, SellerParty
from accounting.money import ZERO
from accounting.reminders import LEVEL_NAMES, ReminderProposal


@dataclass(frozen=True)
class AccountLine:
    day: date
    label: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


@dataclass(frozen=True)
class AccountStatement:
    seller: SellerParty
    member: Party
    issue_date: date
    reference: str
    lines: tuple[AccountLine, ...]
    deposit_held: Decimal = ZERO  # security deposit received and not refunded (compte 165)
    reminder: ReminderProposal | None = None

    @property
    def title(self) -> str:
        return "Relevé de compte"

    @property
    def balance(self) -> Decimal:
        return self.lines[-1].balance if self.lines else ZERO

    @property
    def level_name(self) -> str:
        if self.reminder is None or self.reminder.level is None:
            return ""
        return LEVEL_NAMES[self.reminder.level]


def render_account_statement_html(stmt: AccountStatement) -> str:
    return (
        environment()
        .get_template("account_statement.html")
        .render(stmt=stmt, created=stmt.issue_date.isoformat())
    )


def render_account_statement_pdf(stmt: AccountStatement) -> bytes:
    return html_to_pdf(render_account_statement_html(stmt), identifier=stmt.reference)
