"""What a statement line probably is (issue 16), read from the books: a member payment (a
``F-YYYY-NNNN``/``A-YYYY-NNNN`` reference, the member's IBAN, an amount equal to one open
invoice or to the member's balance), a rejected direct debit (the invoice number as
``EndToEndId`` and a return reason), a payroll payment (``SAL-YYYY-MM-…``, ``URSSAF-YYYY-MM``,
``RETRAITE-YYYY-MM``, ``PAS-YYYY-MM``, ``MUTUELLE-YYYY-MM``), a supplier (``FOUR-<id>``), bank
charges, a subsidy.

A :class:`Proposal` is *sure* when nothing is left to judge — the line is then booked at
import — otherwise the accountant confirms it on the reconciliation page. Scores (0–100)
only order the proposals for the reader."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from accounting.money import ZERO, D
from accounting.texts import N_
from eage.extensions import db
from eage.filters import tr, translated
from eage.invoicing import services as invoicing
from eage.models import Expense, Invoice, Member, Payment, PaymentAllocation
from eage.models.bank import BankLine

DOCUMENT_REF = re.compile(r"\b([FA]-\d{4}-\d{4})\b")
PAYROLL_REF = re.compile(r"\b(SAL|URSSAF|RETRAITE|PAS|MUTUELLE)-(\d{4}-\d{2})\b")
SUPPLIER_REF = re.compile(r"\bFOUR-(\d+)\b")
PAYROLL_KINDS = {
    "SAL": "net_pay",
    "URSSAF": "urssaf",
    "RETRAITE": "retirement",
    "PAS": "withholding_tax",
    "MUTUELLE": "health",  # the health and provident body, as eage/sepa/transfers.py pays it
}
CHARGE_WORDS = ("FRAIS", "COMMISSION", "COTISATION CARTE", "AGIOS", "ABONNEMENT", "TENUE DE COMPTE")
SUBSIDY_WORDS = ("SUBV", "SUBVENTION", "FONJEP", "AIDE A L'EMPLOI")
CHARGES_ACCOUNT = "627000"
SUBSIDY_ACCOUNT = "740000"
SUPPLIERS_ACCOUNT = "401000"
# The label's variables that are words themselves (N_), translated with it at display.
TRANSLATED_VARIABLES = ("why",)


@dataclass
class Proposal:
    kind: str  # payment / reversal / payroll / account
    score: int
    label: str
    sure: bool = False
    member_id: int | None = None
    allocations: dict[int, Decimal] = field(default_factory=dict)
    payment_id: int | None = None
    month: str | None = None
    payroll_kind: str | None = None
    account: str | None = None
    supplier: str | None = None  # the 401 auxiliary account's supplier (FOUR-<expense id>)
    # The label as a msgid and its variables: the page shows it in the reader's language
    # (shown_label); ``label`` keeps the French, as the journal entry's label.
    label_msgid: str = ""
    label_vars: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "score": self.score,
            "label": self.label,
            "member_id": self.member_id,
            "allocations": {str(k): f"{v:.2f}" for k, v in self.allocations.items()},
            "payment_id": self.payment_id,
            "month": self.month,
            "payroll_kind": self.payroll_kind,
            "account": self.account,
            "supplier": self.supplier,
            "label_msgid": self.label_msgid,
            "label_vars": self.label_vars,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Proposal:
        return cls(
            kind=data["kind"],
            score=int(data.get("score", 0)),
            label=data.get("label", ""),
            member_id=data.get("member_id"),
            allocations={int(k): D(v) for k, v in (data.get("allocations") or {}).items()},
            payment_id=data.get("payment_id"),
            month=data.get("month"),
            payroll_kind=data.get("payroll_kind"),
            account=data.get("account"),
            supplier=data.get("supplier"),
            label_msgid=data.get("label_msgid") or "",
            label_vars=dict(data.get("label_vars") or {}),
        )


def _text(msgid: str, **variables: str) -> dict[str, Any]:
    """A proposal's label: French as stored, and its msgid and variables for the pages."""
    return {
        "label": msgid % variables if variables else msgid,
        "label_msgid": msgid,
        "label_vars": variables,
    }


def shown_label(proposal: dict[str, Any] | None) -> str:
    """A stored proposal's label in the reader's language (French in the CLI); a proposal
    stored before labels kept their msgid shows its French label."""
    if not proposal:
        return ""
    msgid = proposal.get("label_msgid")
    if not msgid:
        return str(proposal.get("label") or "")
    variables = {
        name: translated(value) if name in TRANSLATED_VARIABLES else value
        for name, value in (proposal.get("label_vars") or {}).items()
    }
    return tr(msgid, **variables)


def _texts(line: BankLine) -> str:
    return " ".join(t for t in (line.end_to_end_id, line.remittance, line.bank_reference) if t)


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(folded.upper().split())


def propose(line: BankLine) -> Proposal | None:
    """The best reading of ``line``, or None when nothing fits."""
    if line.amount > 0 and not line.reversal:
        return _money_in(line)
    return _money_out(line)


# --------------------------------------------------------------------------- money in


def _plan(invoices: list[Invoice], amount: Decimal) -> tuple[dict[int, Decimal], Decimal]:
    """Oldest first, what ``amount`` settles of ``invoices``; and what is left over."""
    plan: dict[int, Decimal] = {}
    left = amount
    for inv in invoices:
        if left <= 0:
            break
        part = min(left, invoicing.outstanding(inv))
        if part > 0:
            plan[inv.id] = part
            left -= part
    return plan, left


def _numbers(plan: dict[int, Decimal]) -> str:
    rows = db.session.scalars(select(Invoice.number).where(Invoice.id.in_(plan)))
    return ", ".join(sorted(rows))


def _payment(
    member: Member, plan: dict[int, Decimal], score: int, sure: bool, why: str
) -> Proposal:
    label = _text(
        N_("Règlement %(code)s → %(numbers)s (%(why)s)"),
        code=member.code,
        numbers=_numbers(plan),
        why=why,
    )
    return Proposal("payment", score, sure=sure, member_id=member.id, allocations=plan, **label)


def _by_reference(line: BankLine) -> Proposal | None:
    numbers = DOCUMENT_REF.findall(_texts(line))
    if not numbers:
        return None
    docs = list(db.session.scalars(select(Invoice).where(Invoice.number.in_(numbers))))
    members = {d.member_id for d in docs}
    if len(members) != 1:
        return None
    member = docs[0].member
    named = sorted(
        (d for d in docs if d.kind == "invoice" and invoicing.outstanding(d) > 0),
        key=lambda d: (d.issue_date, d.seq),
    )
    plan, left = _plan(named, line.amount)
    if left > 0:  # more than the referenced invoices: the member's other open ones
        others = [i for i in invoicing.open_invoices(member) if i.id not in plan]
        more, left = _plan(others, left)
        plan.update(more)
    if not plan:
        return Proposal(
            "account",
            20,
            **_text(N_("%(numbers)s déjà soldée(s) : doublon ?"), numbers=", ".join(numbers)),
        )
    return _payment(member, plan, 100 if left == 0 else 50, left == 0, N_("référence"))


def _by_iban(line: BankLine) -> Proposal | None:
    if not line.counterparty_iban:
        return None
    member = db.session.scalar(select(Member).where(Member.iban == line.counterparty_iban))
    if member is None:
        return None
    owed = invoicing.open_invoices(member)
    exact = [i for i in owed if invoicing.outstanding(i) == line.amount]
    if len(exact) == 1:
        return _payment(member, {exact[0].id: line.amount}, 95, True, N_("IBAN et montant"))
    total = sum((invoicing.outstanding(i) for i in owed), ZERO)
    plan, left = _plan(owed, line.amount)
    if total == line.amount:
        return _payment(member, plan, 95, True, N_("IBAN et solde"))
    if plan and left == 0:
        return _payment(member, plan, 70, False, N_("IBAN, paiement partiel"))
    return None


def _open_invoices() -> list[Invoice]:
    rows = db.session.scalars(
        select(Invoice)
        .where(Invoice.kind == "invoice", Invoice.status != "paid")
        .order_by(Invoice.issue_date, Invoice.seq)
    )
    return [i for i in rows if invoicing.outstanding(i) > 0]


def _by_name_or_amount(line: BankLine) -> Proposal | None:
    text = _plain(f"{line.counterparty_name or ''} {line.remittance or ''}")
    candidates = _open_invoices()
    named = [i for i in candidates if _plain(i.member.name) in text or i.member.code in text]
    exact = [i for i in candidates if invoicing.outstanding(i) == line.amount]
    both = [i for i in exact if i in named]
    if len(both) == 1:
        return _payment(both[0].member, {both[0].id: line.amount}, 90, True, N_("nom et montant"))
    if len({i.member_id for i in named}) == 1:
        member = named[0].member
        owed = invoicing.open_invoices(member)
        if sum((invoicing.outstanding(i) for i in owed), ZERO) == line.amount:
            return _payment(member, _plan(owed, line.amount)[0], 90, True, N_("nom et solde"))
        plan, left = _plan(owed, line.amount)
        if plan and left == 0:
            return _payment(member, plan, 60, False, N_("nom"))
    if len(exact) == 1:
        return _payment(exact[0].member, {exact[0].id: line.amount}, 60, False, N_("montant"))
    return None


def _money_in(line: BankLine) -> Proposal | None:
    found = _by_reference(line) or _by_iban(line) or _by_name_or_amount(line)
    if found is not None:
        return found
    if any(w in _plain(_texts(line)) for w in SUBSIDY_WORDS):
        return Proposal("account", 60, account=SUBSIDY_ACCOUNT, **_text(N_("Subvention")))
    return None


# --------------------------------------------------------------------------- money out


def _reversal(line: BankLine) -> Proposal | None:
    numbers = DOCUMENT_REF.findall(_texts(line))
    if not numbers:
        return None
    rows = db.session.scalars(
        select(Payment)
        .join(PaymentAllocation, PaymentAllocation.payment_id == Payment.id)
        .join(Invoice, PaymentAllocation.invoice_id == Invoice.id)
        .where(Invoice.number.in_(numbers), Payment.amount == -line.amount)
        .order_by(Payment.date.desc(), Payment.id.desc())
    )
    payments = [p for p in rows if not p.is_reversed]
    if not payments:
        return None
    best = next((p for p in payments if p.reference == line.end_to_end_id), payments[0])
    label = (
        _text(
            N_("Rejet du prélèvement %(numbers)s (%(reason)s) : règlement %(code)s annulé"),
            numbers=", ".join(numbers),
            reason=line.return_reason,
            code=best.member.code,
        )
        if line.return_reason
        else _text(
            N_("Rejet du prélèvement %(numbers)s : règlement %(code)s annulé"),
            numbers=", ".join(numbers),
            code=best.member.code,
        )
    )
    return Proposal(
        "reversal", 100, sure=True, member_id=best.member_id, payment_id=best.id, **label
    )


def _supplier_payment(expense_id: int, line: BankLine) -> Proposal:
    """``FOUR-<expense id>`` (the sepa helper's pain.001): the supplier of that expense, on
    its 401 auxiliary account when the expense was booked on the supplier's account."""
    expense = db.session.get(Expense, expense_id)
    if expense is None or expense.paid_by != "supplier":
        return Proposal(
            "account",
            40,
            account=SUPPLIERS_ACCOUNT,
            **_text(N_("Fournisseur (dépense %(expense)s ?)"), expense=str(expense_id)),
        )
    name = expense.supplier or ""
    exact = D(expense.amount) + D(expense.vat or 0) == -D(line.amount)
    return Proposal(
        "account",
        90 if exact else 60,
        account=SUPPLIERS_ACCOUNT,
        supplier=name or None,
        **_text(
            N_("Fournisseur %(name)s : dépense %(expense)s (%(label)s)"),
            name=name,
            expense=str(expense_id),
            label=expense.label,
        )
        if name
        else _text(
            N_("Fournisseur divers : dépense %(expense)s (%(label)s)"),
            expense=str(expense_id),
            label=expense.label,
        ),
    )


def _money_out(line: BankLine) -> Proposal | None:
    text = _texts(line)
    if line.reversal or line.return_reason or DOCUMENT_REF.search(text):
        found = _reversal(line)
        if found is not None:
            return found
    payroll = PAYROLL_REF.search(text)
    if payroll:
        kind = PAYROLL_KINDS[payroll.group(1)]
        month = payroll.group(2)
        return Proposal(
            "payroll",
            90,
            month=month,
            payroll_kind=kind,
            **_text(N_("Paie %(month)s : %(code)s"), month=month, code=payroll.group(1)),
        )
    supplier = SUPPLIER_REF.search(text)
    if supplier:
        return _supplier_payment(int(supplier.group(1)), line)
    if any(w in _plain(text) for w in CHARGE_WORDS):
        return Proposal("account", 70, account=CHARGES_ACCOUNT, **_text(N_("Frais bancaires")))
    return None
