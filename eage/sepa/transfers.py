"""SEPA credit transfers (pain.001) of a closed month's payroll: the net salaries from the
issued payslips (net paid, to the employee's IBAN) and, when asked, the payroll charges still
owed (URSSAF, retirement, income tax withheld, health insurance) to the payees set in the
SEPA settings. One file; an employee without a valid IBAN (or a payee without one) refuses
it with the whole list, nothing written.

Supplier payments (when asked): the posted purchases on a supplier's invoice (401) of that
month or before, not paid yet (no ``paid_on``: the statement has not booked ``FOUR-<id>``) and
not already in a pending or done transfer; to the IBAN remembered for the supplier
(eage/expenses/suppliers.py), EndToEndId ``FOUR-<expense id>``, the amount the 401 account
owes (cost + deductible VAT), the expense's label as remittance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from accounting import ledger
from accounting.formats import fr_date, month_label
from accounting.money import ZERO, D
from accounting.months import Month
from accounting.problems import Problem, ProblemsError
from eage import audit, storage
from eage.books.chart import posting_accounts
from eage.extensions import db
from eage.filters import tr
from eage.locks import take_issuing_lock
from eage.models import Expense, JournalEntry, JournalLine, MonthLock, Organisation, Payslip
from eage.models.sepa import SepaBatch, SepaTransaction
from eage.models.suppliers import Supplier
from eage.payslips import settlements
from eage.sepa import files, rules
from eage.sepa.batches import store_batch
from eage.sepa.mandates import PAYEE_KINDS, creditor_problems, settings


@dataclass(frozen=True)
class TransferLine:
    end_to_end_id: str
    name: str
    iban: str
    bic: str | None
    amount: Decimal
    remittance: str
    payslip: Payslip | None = None
    settlement_kind: str | None = None
    expense: Expense | None = None


@dataclass
class TransferPlan:
    month: str
    execution_date: date
    lines: list[TransferLine] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.lines)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


def default_execution_date(month: str, today: date) -> date:
    """The net pay's usual day (the 5th of the next month), or the next business day."""
    usual = settlements.default_day(month, "net_pay")
    if usual > today and rules.is_business_day(usual):
        return usual
    return rules.next_business_day(max(today, usual))


def _already_transferred() -> tuple[set[int], set[str]]:
    rows = db.session.execute(
        select(SepaTransaction.payslip_id, SepaTransaction.end_to_end_id)
        .join(SepaBatch)
        .where(SepaBatch.kind == "transfer", SepaTransaction.status != "rejected")
    ).all()
    return {p for p, _e in rows if p is not None}, {e for _p, e in rows}


def charges_owed(month: str) -> dict[str, Decimal]:
    """What the month still owes per payroll debt not yet settled (eage/payslips)."""
    return {
        o.kind: o.amount
        for o in settlements.month_settlements(month)
        if o.kind in PAYEE_KINDS and o.settlement is None and o.amount > 0
    }


def _salary_lines(plan: TransferPlan, taken: set[int]) -> None:
    label = month_label(Month.parse(plan.month).start)
    slips = db.session.scalars(
        select(Payslip).where(Payslip.month == plan.month).order_by(Payslip.number)
    )
    for slip in slips:
        if slip.id in taken or slip.net_paid <= 0:
            continue
        emp = slip.employee
        why = rules.iban_problem(emp.iban) or rules.bic_problem(emp.bic)
        if why:
            plan.problems.append(Problem(None, f"{emp.code} ({emp.name}) : {why}"))
            continue
        plan.lines.append(
            TransferLine(
                end_to_end_id=f"SAL-{plan.month}-{emp.code}",
                name=emp.name,
                iban=rules.compact(emp.iban),
                bic=rules.compact(emp.bic) or None,
                amount=slip.net_paid,
                remittance=f"Salaire {label}",
                payslip=slip,
            )
        )


def _charge_lines(plan: TransferPlan, taken: set[str]) -> None:
    payees = settings().payees or {}
    label = month_label(Month.parse(plan.month).start)
    for kind, amount in charges_owed(plan.month).items():
        e2e = f"{PAYEE_KINDS[kind]}-{plan.month}"
        if e2e in taken:
            continue
        payee = payees.get(kind) or {}
        why = rules.iban_problem(payee.get("iban")) or rules.bic_problem(payee.get("bic"))
        name = str(settlements.KIND_LABELS[kind])
        if why or not payee.get("name"):
            plan.problems.append(
                Problem(
                    None,
                    tr(
                        "%(name)s : %(why)s (paramètres SEPA)",
                        name=name,
                        why=why or tr("bénéficiaire manquant"),
                    ),
                )
            )
            continue
        plan.lines.append(
            TransferLine(
                end_to_end_id=e2e,
                name=payee["name"],
                iban=rules.compact(payee["iban"]),
                bic=rules.compact(payee.get("bic")) or None,
                amount=amount,
                remittance=f"{name} {label}",
                settlement_kind=kind,
            )
        )


def supplier_reference(expense_id: int) -> str:
    """The transfer's EndToEndId, which the bank reconciliation reads back (eage/bank)."""
    return f"FOUR-{expense_id}"


def _owed_by_supplier() -> dict[str, Decimal]:
    """What the books still owe each supplier: its 401 auxiliary account's credit balance
    (validated entries), whoever paid it — a transfer of eage, or a payment typed by hand."""
    number = posting_accounts()["suppliers"].number
    rows = db.session.execute(
        select(JournalLine.aux_number, func.sum(JournalLine.credit - JournalLine.debit))
        .join(JournalEntry, JournalLine.entry_id == JournalEntry.id)
        .where(JournalLine.account_number == number, JournalEntry.validated_at.is_not(None))
        .group_by(JournalLine.aux_number)
    ).all()
    return {str(aux): D(total or 0) for aux, total in rows if aux}


def _open_invoices(rows: list[Expense]) -> list[Expense]:
    """Of a supplier's invoices not marked paid, those its 401 balance still owes: the most
    recent ones, up to that balance (a payment made outside eage settles the oldest first,
    as the usual first-in first-out lettering would)."""
    owed = _owed_by_supplier()
    left: dict[str, Decimal] = {}
    still: list[Expense] = []
    for expense in sorted(rows, key=lambda e: (e.date, e.id), reverse=True):
        aux = ledger.supplier_aux_number(expense.supplier)
        remaining = left.setdefault(aux, owed.get(aux, ZERO))
        due = D(expense.amount) + D(expense.vat or 0)
        if due <= remaining:
            left[aux] = remaining - due
            still.append(expense)
        else:
            left[aux] = ZERO  # older ones are paid
    return sorted(still, key=lambda e: (e.date, e.id))


def payable_expenses(month: str) -> list[Expense]:
    """The posted supplier invoices dated up to the month's end, not paid (no ``paid_on`` and
    still owed on the supplier's 401 account), not in a transfer pending or done, oldest
    first."""
    _slips, taken = _already_transferred()
    posted = select(JournalEntry.id).where(
        JournalEntry.expense_id == Expense.id, JournalEntry.validated_at.is_not(None)
    )
    rows = db.session.scalars(
        select(Expense)
        .where(Expense.paid_by == "supplier", Expense.paid_on.is_(None), posted.exists())
        .order_by(Expense.date, Expense.id)
    )
    last_day = Month.parse(month).last_day
    return [
        e
        for e in _open_invoices([e for e in rows if D(e.amount) + D(e.vat or 0) > 0])
        if e.date <= last_day and supplier_reference(e.id) not in taken
    ]


def _supplier_lines(plan: TransferPlan, expense_ids: set[int] | None) -> None:
    """The chosen payable invoices (all of them when ``expense_ids`` is None)."""
    known = {s.name: s for s in db.session.scalars(select(Supplier))}
    for expense in payable_expenses(plan.month):
        if expense_ids is not None and expense.id not in expense_ids:
            continue
        name = expense.supplier or ""
        supplier = known.get(name)
        why = rules.iban_problem(supplier.iban if supplier else None) or rules.bic_problem(
            supplier.bic if supplier else None
        )
        if why:
            plan.problems.append(
                Problem(
                    None,
                    tr(
                        "Fournisseur %(name)s (dépense %(id)s, %(label)s) : %(why)s",
                        name=name or "?",
                        id=str(expense.id),
                        label=expense.label,
                        why=why,
                    ),
                )
            )
            continue
        assert supplier is not None and supplier.iban
        plan.lines.append(
            TransferLine(
                end_to_end_id=supplier_reference(expense.id),
                name=name,
                iban=rules.compact(supplier.iban),
                bic=rules.compact(supplier.bic) or None,
                amount=D(expense.amount) + D(expense.vat or 0),
                remittance=expense.label[:140],
                expense=expense,
            )
        )


def plan_transfers(
    month: str,
    execution_date: date,
    *,
    today: date,
    with_charges: bool = False,
    with_suppliers: bool = False,
    expense_ids: set[int] | None = None,
) -> TransferPlan:
    plan = TransferPlan(month, execution_date)
    if db.session.get(MonthLock, month) is None:
        plan.problems.append(
            Problem("month", tr("le mois %(month)s n'est pas clôturé", month=month))
        )
        return plan
    if execution_date <= today or not rules.is_business_day(execution_date):
        plan.problems.append(
            Problem(
                "execution_date",
                tr(
                    "la date d'exécution %(day)s n'est pas un jour ouvré futur "
                    "(prochain : %(next)s)",
                    day=fr_date(execution_date),
                    next=fr_date(rules.next_business_day(today)),
                ),
            )
        )
    org = db.session.scalar(select(Organisation).limit(1))
    plan.problems.extend(Problem(None, p) for p in creditor_problems(org, None, debits=False))
    slips_taken, e2e_taken = _already_transferred()
    _salary_lines(plan, slips_taken)
    if with_charges:
        _charge_lines(plan, e2e_taken)
    if with_suppliers:
        _supplier_lines(plan, expense_ids)
    if not plan.lines and not plan.problems:
        plan.problems.append(
            Problem(None, tr("rien à virer pour %(month)s (déjà fait ?)", month=month))
        )
    return plan


def create_transfer_batch(
    month: str,
    execution_date: date,
    *,
    today: date,
    with_charges: bool = False,
    with_suppliers: bool = False,
    expense_ids: set[int] | None = None,
    user_id: int | None = None,
) -> tuple[SepaBatch, TransferPlan]:
    take_issuing_lock()
    plan = plan_transfers(
        month,
        execution_date,
        today=today,
        with_charges=with_charges,
        with_suppliers=with_suppliers,
        expense_ids=expense_ids,
    )
    if plan.problems:
        db.session.rollback()
        raise ProblemsError(plan.problems)
    org = db.session.scalar(select(Organisation).limit(1))
    assert org is not None and org.iban and org.bic
    debtor = files.Account(org.name, rules.compact(org.iban), rules.compact(org.bic))
    written = files.transfers_file(
        debtor,
        [
            files.Transfer(li.end_to_end_id, li.amount, li.name, li.iban, li.bic, li.remittance)
            for li in plan.lines
        ],
        execution_date,
    )
    with storage.transaction():
        batch = store_batch(
            written,
            kind="transfer",
            due_date=execution_date,
            count=plan.count,
            total=plan.total,
            user_id=user_id,
            month=month,
        )
        for li in plan.lines:
            batch.transactions.append(
                SepaTransaction(
                    payment_info_id=written.payment_info_ids[li.end_to_end_id],
                    end_to_end_id=li.end_to_end_id,
                    amount=li.amount,
                    name=li.name,
                    iban=li.iban,
                    bic=li.bic,
                    remittance=li.remittance,
                    payslip_id=li.payslip.id if li.payslip else None,
                    settlement_kind=li.settlement_kind,
                    status="pending",
                )
            )
        db.session.flush()
        audit.record(
            "create",
            "sepa_batch",
            batch.id,
            summary=f"pain.001 {batch.msg_id} ({month}): {batch.count} transfers, "
            f"{batch.total} € on {execution_date.isoformat()}",
            user_id=user_id,
        )
        db.session.commit()
    return batch, plan


def batches() -> list[SepaBatch]:
    return list(db.session.scalars(select(SepaBatch).order_by(SepaBatch.created_at.desc())))
