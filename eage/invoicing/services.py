"""Use cases of invoicing: issue (numbered, immutable), credit notes, fees, documents,
payments and follow-up, sending. The arithmetic lives in accounting/invoicing.py.

Posting rule (the same for every issued document): the function that issues a document
posts its journal entry, in the same transaction — :func:`issue_document` posts each invoice
and credit note (``posting.post_invoice``) as it numbers it; the month close, the credit notes,
the fees and the year-end regularisation all issue through it. Their files are written
inside ``storage.transaction()``, so a failure leaves neither rows nor files."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from email.message import EmailMessage
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from accounting import invoicing as domain
from accounting.collection import late_penalty
from accounting.formats import fr_date, money, month_label  # French: documents and mails
from accounting.money import ZERO, D, round_cents
from accounting.months import Month
from eage import audit, mail, parties, storage
from eage.books import periods, posting
from eage.core.services import month_bounds
from eage.extensions import db
from eage.filters import money as ui_money
from eage.filters import tr
from eage.invoicing import documents
from eage.invoicing.errors import InvoicingError as InvoicingError  # services.InvoicingError
from eage.invoicing.numbering import next_number
from eage.locks import take_issuing_lock
from eage.models import (
    CreditApplication,
    CreditRefund,
    FiscalYear,
    Invoice,
    InvoiceLine,
    Member,
    Organisation,
    Payment,
    PaymentAllocation,
    Service,
    StoredDocument,
)
from eage.models.base import utcnow
from eage.models.invoicing import PAYMENT_METHODS
from eage.portal import notify as portal_notify

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- issuing


@dataclass(frozen=True)
class LineSpec:
    kind: str  # service / regularisation / fee
    label: str
    amount: Decimal
    service: Service | None = None
    minutes: int | None = None
    rate: Decimal | None = None


def _domain_line(spec: LineSpec) -> domain.InvoiceLine:
    service_code = spec.service.code if spec.service else ""
    return documents.domain_line(
        spec.kind, spec.label, spec.amount, service_code, minutes=spec.minutes, rate=spec.rate
    )


def issue_document(
    *,
    kind: str,
    origin: str,
    member: Member,
    lines: list[LineSpec],
    period: tuple[date, date],
    issue_date: date,
    month: str | None = None,
    user_id: int | None = None,
    credited: Invoice | None = None,
    reason: str | None = None,
) -> Invoice:
    """Number and record one invoice or credit note. The caller holds the issuing lock
    (take_issuing_lock) and commits once with the documents."""
    if not lines:
        raise InvoicingError(tr("un document sans ligne ne peut pas être émis"))
    totals = domain.invoice_totals([_domain_line(s) for s in lines], member.vat_regime)  # type: ignore[arg-type]
    number, seq = next_number(kind, issue_date.year)
    terms = 0 if kind == "credit_note" else member.payment_terms_days
    inv = Invoice(
        number=number,
        kind=kind,
        origin=origin,
        year=issue_date.year,
        seq=seq,
        member=member,
        issue_date=issue_date,
        period_start=period[0],
        period_end=period[1],
        month=month,
        vat_regime=member.vat_regime,
        total_excl_tax=totals.excl_tax,
        vat=totals.vat,
        total_incl_tax=totals.incl_tax,
        due_date=domain.due_date(issue_date, terms),
        status="issued",
        credited_invoice=credited,
        reason=reason,
        seller=documents.current_seller(),
        buyer=parties.buyer_snapshot(member),
        created_by_id=user_id,
    )
    for pos, s in enumerate(lines, start=1):
        _c, vat_rate = domain.line_vat(s.kind, member.vat_regime)  # type: ignore[arg-type]
        inv.lines.append(
            InvoiceLine(
                position=pos,
                kind=s.kind,
                service=s.service,
                label=s.label,
                minutes=s.minutes,
                rate=s.rate,
                amount=s.amount,
                vat_rate=vat_rate,
            )
        )
    db.session.add(inv)
    db.session.flush()
    audit.record(
        "issue",
        "invoice" if kind == "invoice" else "credit_note",
        number,
        user_id=user_id,
        summary=f"{member.code} {totals.incl_tax} € ({origin})",
    )
    posting.post_invoice(inv, user_id=user_id)
    if kind == "credit_note" and credited is not None:
        apply_credit_automatically(inv, [credited], day=issue_date, user_id=user_id)
    return inv


@dataclass
class PlannedLine:
    service: Service
    minutes: int
    rate: Decimal
    amount: Decimal


@dataclass
class MemberPlan:
    member: Member
    origin: str  # monthly (first close) or complement (a close after reopening)
    invoice_lines: list[PlannedLine] = field(default_factory=list)
    credit_lines: list[PlannedLine] = field(default_factory=list)


def plan_month_documents(
    month: date,
    billable: dict[int, dict[int, int]],
    billed: dict[int, dict[int, tuple[int, Decimal]]],
    rates: dict[int, Decimal],
) -> list[MemberPlan]:
    """Per member: what the month's time is worth now (SPEC §5 line formula) minus what was
    already invoiced for it; positive differences invoiced, negative ones credited."""
    member_ids = sorted(set(billable) | set(billed))
    members = {m.id: m for m in db.session.scalars(select(Member).where(Member.id.in_(member_ids)))}
    services = {s.id: s for s in db.session.scalars(select(Service))}
    plans = []
    for mid in sorted(member_ids, key=lambda i: members[i].code):
        now, before = billable.get(mid, {}), billed.get(mid, {})
        plan = MemberPlan(member=members[mid], origin="complement" if before else "monthly")
        for sid in sorted(set(now) | set(before), key=lambda i: services[i].code):
            minutes = now.get(sid, 0)
            rate = rates[sid]
            amount = domain.service_line(services[sid].code, "", minutes, rate).amount
            old_minutes, old_amount = before.get(sid, (0, Decimal("0")))
            diff = amount - old_amount
            if diff > 0:
                plan.invoice_lines.append(
                    PlannedLine(services[sid], minutes - old_minutes, rate, diff)
                )
            elif diff < 0:
                plan.credit_lines.append(
                    PlannedLine(services[sid], old_minutes - minutes, rate, -diff)
                )
        if plan.invoice_lines or plan.credit_lines:
            plans.append(plan)
    return plans


def _service_label(line: PlannedLine, month: date) -> str:
    return f"Mise à disposition — {line.service.label} — {month_label(month)}"


def _service_lines(planned: list[PlannedLine], month: date) -> list[LineSpec]:
    """The invoice lines of the month's planned service time."""
    return [
        LineSpec("service", _service_label(pl, month), pl.amount, pl.service, pl.minutes, pl.rate)
        for pl in planned
    ]


@dataclass(frozen=True)
class PlannedDocument:
    """What :func:`issue_planned` would issue for a plan, before any number is taken."""

    kind: str  # invoice / credit_note
    minutes: int
    totals: domain.Totals


def planned_documents(plan: MemberPlan, month: date) -> list[PlannedDocument]:
    """The documents of `plan` with their totals, computed as :func:`issue_document` computes
    them, writing nothing: the figures the close asks the accountant to confirm."""
    out: list[PlannedDocument] = []
    for kind, planned in (("invoice", plan.invoice_lines), ("credit_note", plan.credit_lines)):
        if planned:
            lines = [_domain_line(s) for s in _service_lines(planned, month)]
            totals = domain.invoice_totals(lines, plan.member.vat_regime)  # type: ignore[arg-type]
            out.append(PlannedDocument(kind, sum(pl.minutes for pl in planned), totals))
    return out


def issue_planned(
    plan: MemberPlan, *, issue_date: date, month: date, user_id: int | None
) -> list[Invoice]:
    key = Month.of(month).key
    start, next_month = month_bounds(month)
    period = (start, next_month - timedelta(days=1))
    out: list[Invoice] = []
    if plan.invoice_lines:
        out.append(
            issue_document(
                kind="invoice",
                origin=plan.origin,
                member=plan.member,
                period=period,
                issue_date=issue_date,
                month=key,
                user_id=user_id,
                lines=_service_lines(plan.invoice_lines, month),
                reason=None
                if plan.origin == "monthly"
                else "Facture complémentaire après réouverture du mois",
            )
        )
    if plan.credit_lines:
        cited = db.session.scalar(
            select(Invoice)
            .where(
                Invoice.member_id == plan.member.id, Invoice.month == key, Invoice.kind == "invoice"
            )
            .order_by(Invoice.seq.desc())
        )
        out.append(
            issue_document(
                kind="credit_note",
                origin="complement",
                member=plan.member,
                period=period,
                issue_date=issue_date,
                month=key,
                user_id=user_id,
                credited=cited,
                reason="Régularisation du temps du mois après réouverture",
                lines=_service_lines(plan.credit_lines, month),
            )
        )
    return out


# --------------------------------------------------------------------------- credit notes


def credited_so_far(invoice: Invoice) -> Decimal:
    """Total (incl. tax) of the credit notes citing `invoice`: what was credited on its
    lines. What settles the invoice is what was *applied* to it (:func:`credit_applied`)."""
    return D(
        db.session.scalar(
            select(func.coalesce(func.sum(Invoice.total_incl_tax), 0)).where(
                Invoice.credited_invoice_id == invoice.id, Invoice.kind == "credit_note"
            )
        )
        or 0
    )


def credit_applied(invoice: Invoice) -> Decimal:
    """Credit notes applied to `invoice` (incl. tax)."""
    return D(
        str(
            db.session.scalar(
                select(func.coalesce(func.sum(CreditApplication.amount), 0)).where(
                    CreditApplication.invoice_id == invoice.id
                )
            )
            or 0
        )
    )


def unapplied_credit(note: Invoice) -> Decimal:
    """What is left of a credit note (incl. tax) once applied to invoices: a credit the
    member holds, to apply to another open invoice."""
    if not note.is_credit_note:
        return ZERO
    applied = db.session.scalar(
        select(func.coalesce(func.sum(CreditApplication.amount), 0)).where(
            CreditApplication.credit_note_id == note.id
        )
    )
    refunded = db.session.scalar(
        select(func.coalesce(func.sum(CreditRefund.amount), 0)).where(
            CreditRefund.credit_note_id == note.id
        )
    )
    return note.total_incl_tax - D(str(applied or 0)) - D(str(refunded or 0))


def credit_applications(document: Invoice) -> list[CreditApplication]:
    """The applications of a credit note, or those made to an invoice, in date order."""
    column = (
        CreditApplication.credit_note_id
        if document.is_credit_note
        else CreditApplication.invoice_id
    )
    return list(
        db.session.scalars(
            select(CreditApplication)
            .where(column == document.id)
            .order_by(CreditApplication.date, CreditApplication.id)
        )
    )


def _application(
    note: Invoice, invoice: Invoice, amount: Decimal, day: date, user_id: int | None
) -> CreditApplication:
    row = CreditApplication(
        credit_note_id=note.id,
        invoice_id=invoice.id,
        date=day,
        amount=amount,
        created_by_id=user_id,
    )
    db.session.add(row)
    db.session.flush()
    refresh_status(invoice)
    return row


def apply_credit_automatically(
    note: Invoice, invoices: list[Invoice], *, day: date, user_id: int | None = None
) -> list[CreditApplication]:
    """Apply what is left of `note` to `invoices` in the order given, each up to what is
    still open on it; the rest stays unapplied credit of the member. Inside the caller's
    transaction (the issuing of the credit note)."""
    out: list[CreditApplication] = []
    left = unapplied_credit(note)
    for invoice in invoices:
        if left <= 0:
            break
        if invoice.is_credit_note or invoice.member_id != note.member_id:
            continue
        part = min(left, outstanding(invoice))
        if part > 0:
            out.append(_application(note, invoice, part, day, user_id))
            left -= part
    return out


def _application_errors(
    note: Invoice, invoice: Invoice | None, amount: Decimal | None
) -> list[str]:
    """Every reason a credit note cannot be applied so, at once."""
    errors: list[str] = []
    if not note.is_credit_note:
        errors.append(tr("%(number)s n'est pas un avoir", number=note.number))
    if invoice is None:
        errors.append(tr("choisissez la facture à solder"))
    elif invoice.is_credit_note:
        errors.append(tr("%(number)s est un avoir, pas une facture", number=invoice.number))
    elif invoice.member_id != note.member_id:
        errors.append(tr("%(number)s est une facture d'un autre adhérent", number=invoice.number))
    if amount is None or amount <= 0:
        errors.append(tr("le montant doit être positif"))
    elif round_cents(amount) != amount:
        errors.append(tr("le montant a au plus deux décimales"))
    else:
        left = unapplied_credit(note)
        if amount > left:
            errors.append(
                tr(
                    "%(amount)s € dépasse le crédit restant de l'avoir (%(left)s €)",
                    amount=amount,
                    left=left,
                )
            )
        if invoice is not None and not invoice.is_credit_note:
            owed = outstanding(invoice)
            if amount > owed:
                errors.append(
                    tr(
                        "%(amount)s € dépasse le reste dû de %(number)s (%(owed)s €)",
                        amount=amount,
                        number=invoice.number,
                        owed=owed,
                    )
                )
    return errors


def apply_credit(
    note: Invoice,
    invoice: Invoice | None,
    amount: Decimal | None,
    *,
    day: date | None = None,
    user_id: int | None = None,
) -> CreditApplication:
    """The accountant applies an unapplied credit to an open invoice of the same member.
    Every error at once (InvoicingError); nothing written on error."""
    errors = _application_errors(note, invoice, amount)
    if errors:
        raise InvoicingError(errors)
    assert invoice is not None and amount is not None
    take_issuing_lock()
    row = _application(note, invoice, amount, day or date.today(), user_id)
    audit.record(
        "apply",
        "credit_note",
        note.number,
        user_id=user_id,
        summary=f"{amount} € → {invoice.number}",
    )
    db.session.commit()
    return row


def credited_lines_so_far(invoice: Invoice) -> dict[int, Decimal]:
    """Amount (excl. tax) already credited per line position of `invoice`."""
    out: dict[int, Decimal] = defaultdict(lambda: Decimal("0"))
    notes = db.session.scalars(select(Invoice).where(Invoice.credited_invoice_id == invoice.id))
    for note in notes:
        for line in note.lines:
            for orig in invoice.lines:
                if orig.label == line.label and orig.service_id == line.service_id:
                    out[orig.position] += line.amount
                    break
    return out


def _credit_specs(
    invoice: Invoice, reason: str, amounts: dict[int, Decimal] | None
) -> tuple[list[LineSpec], list[str]]:
    """The lines of a credit note of `invoice` (all that is left, or `amounts` per line
    position), and every error at once."""
    errors: list[str] = []
    if invoice.kind != "invoice":
        errors.append(tr("un avoir ne peut pas être lui-même crédité"))
    if not (reason or "").strip():
        errors.append(tr("indiquez le motif de l'avoir"))
    already = credited_lines_so_far(invoice)
    specs: list[LineSpec] = []
    for line in invoice.lines:
        left = line.amount - already.get(line.position, Decimal("0"))
        wanted = left if amounts is None else D(amounts.get(line.position, Decimal("0")))
        if wanted == 0:
            continue
        if wanted < 0:
            errors.append(tr("ligne %(line)s : le montant doit être positif", line=line.position))
        elif round_cents(wanted) != wanted:
            errors.append(tr("ligne %(line)s : au plus deux décimales", line=line.position))
        elif wanted > left:
            errors.append(
                tr(
                    "ligne %(line)s : %(wanted)s € dépasse ce qui reste à créditer (%(left)s €)",
                    line=line.position,
                    wanted=wanted,
                    left=left,
                )
            )
        else:
            full = wanted == line.amount
            minutes = line.minutes if full else None
            specs.append(
                LineSpec(
                    line.kind,
                    line.label,
                    wanted,
                    line.service,
                    minutes,
                    line.rate if full else None,
                )
            )
    if not errors and not specs:
        errors.append(
            tr("rien à créditer : la facture est déjà entièrement créditée")
            if amounts is None
            else tr("indiquez au moins un montant à créditer")
        )
    return specs, errors


def create_credit_note(
    invoice: Invoice,
    *,
    reason: str,
    amounts: dict[int, Decimal] | None = None,
    user_id: int | None = None,
    issue_date: date | None = None,
) -> Invoice:
    """Credit `invoice` in full (amounts None) or partly (excl.-tax amount per line position).
    Every error at once; nothing written on error."""
    specs, errors = _credit_specs(invoice, reason, amounts)
    if errors:
        raise InvoicingError(errors)
    started = time.perf_counter()
    with storage.transaction():
        take_issuing_lock()
        note = issue_document(
            kind="credit_note",
            origin="credit",
            member=invoice.member,
            lines=specs,
            period=(invoice.period_start, invoice.period_end),
            issue_date=issue_date or date.today(),
            month=invoice.month,
            user_id=user_id,
            credited=invoice,
            reason=reason.strip(),
        )
        render_and_store([note])
        db.session.commit()
    logger.info(
        "credit note %s of %s issued and posted by user %s in %.2f s",
        note.number,
        invoice.number,
        user_id,
        time.perf_counter() - started,
    )
    refresh_status(invoice)
    db.session.commit()
    portal_notify.notify_issued([note])  # issue 18: the member's users get its PDF
    return note


# --------------------------------------------------------------------------- fees


def _fee_line(fy: FiscalYear, year: int, amount: Decimal) -> LineSpec:
    return LineSpec(
        "fee",
        f"Cotisation {year} — {fy.fee_rate.normalize()} % de la masse "
        f"salariale brute {year - 1}"
        f"{' (plafonnée)' if amount == fy.fee_cap else ''}",
        amount,
    )


def _issue_fees(
    fy: FiscalYear, year: int, *, user_id: int | None, issue_date: date
) -> list[Invoice]:
    """One fee invoice per member of the year not yet invoiced (the caller holds the lock)."""
    already = set(
        db.session.scalars(
            select(Invoice.member_id).where(
                Invoice.origin == "fee", Invoice.period_start == date(year, 1, 1)
            )
        )
    )
    issued: list[Invoice] = []
    for m in db.session.scalars(select(Member).order_by(Member.code)).all():
        if m.id in already or (
            not m.is_member_on(date(year, 12, 31)) and not m.is_member_on(date(year, 1, 1))
        ):
            continue
        amount = domain.membership_fee(m.previous_year_gross_payroll, fy.fee_rate, fy.fee_cap)
        if amount <= 0:
            continue
        issued.append(
            issue_document(
                kind="invoice",
                origin="fee",
                member=m,
                period=(date(year, 1, 1), date(year, 12, 31)),
                issue_date=issue_date,
                user_id=user_id,
                lines=[_fee_line(fy, year, amount)],
            )
        )
    return issued


def invoice_fees(
    year: int, *, user_id: int | None = None, issue_date: date | None = None
) -> list[Invoice]:
    """The yearly membership fee per member (SPEC §1, §5): min(1 % × previous-year gross
    payroll, cap), outside VAT scope. Idempotent: members already invoiced are skipped."""
    fy = db.session.get(FiscalYear, year)
    if fy is None:
        raise InvoicingError(tr("l'exercice %(year)s n'existe pas", year=year))
    started = time.perf_counter()
    take_issuing_lock()
    issued = _issue_fees(fy, year, user_id=user_id, issue_date=issue_date or date.today())
    if not issued:
        db.session.rollback()
        return []
    with storage.transaction():
        render_and_store(issued)
        db.session.commit()
    portal_notify.notify_issued(issued)  # issue 18: the member's users get each PDF
    logger.info(
        "%d fee invoice(s) of %d issued and posted by user %s in %.2f s",
        len(issued),
        year,
        user_id,
        time.perf_counter() - started,
    )
    return issued


# --------------------------------------------------------------------------- follow-up


def paid_amount(invoice: Invoice) -> Decimal:
    """Payments allocated to the invoice, but for those the bank took back (a rejected
    direct debit: eage/bank/reversals.py)."""
    return sum((a.amount for a in invoice.allocations if not a.payment.is_reversed), Decimal("0"))


def outstanding(invoice: Invoice) -> Decimal:
    """What is still owed on an invoice: total − payments allocated − credit applied. No
    clamping: allocations and applications are refused beyond it, so it is never negative.
    A credit note owes nothing (what is left of it: :func:`unapplied_credit`)."""
    if invoice.is_credit_note:
        return ZERO
    return invoice.total_incl_tax - paid_amount(invoice) - credit_applied(invoice)


def display_status(invoice: Invoice, today: date | None = None) -> str:
    """issued → sent → partially_paid → paid; overdue once the due date has passed unpaid."""
    today = today or date.today()
    if invoice.is_credit_note or invoice.status == "paid":
        return invoice.status
    left = outstanding(invoice)
    if left == 0:  # settled (payments, credit notes, bank matching) even if status lagged
        return "paid"
    if invoice.due_date < today and left > 0:
        return "overdue"
    return invoice.status


def refresh_status(invoice: Invoice) -> None:
    if invoice.is_credit_note:
        return
    left = outstanding(invoice)
    if left == 0:
        new = "paid"
    elif paid_amount(invoice) > 0:
        new = "partially_paid"
    else:
        new = "sent" if invoice.sent_at else "issued"
    if new != invoice.status:
        invoice.status = new


def open_invoices(member: Member) -> list[Invoice]:
    """The member's invoices still owed something, oldest first."""
    return [
        i
        for i in db.session.scalars(
            select(Invoice)
            .where(Invoice.member_id == member.id, Invoice.kind == "invoice")
            .order_by(Invoice.issue_date, Invoice.seq)
        )
        if outstanding(i) > 0
    ]


def _allocated_as_asked(
    open_invoices: list[Invoice], amount: Decimal, allocations: dict[int, Decimal]
) -> tuple[list[tuple[Invoice, Decimal]], list[str]]:
    plan: list[tuple[Invoice, Decimal]] = []
    errors: list[str] = []
    by_id = {i.id: i for i in open_invoices}
    for inv_id, part in allocations.items():
        part = D(part)
        if part == 0:
            continue
        inv = by_id.get(inv_id)
        if inv is None:
            errors.append(
                tr(
                    "Facture %(id)s : introuvable, d'un autre adhérent ou déjà soldée.",
                    id=inv_id,
                )
            )
        elif part < 0 or part > outstanding(inv):
            errors.append(
                tr(
                    "%(number)s : %(part)s dépasse le reste dû (%(left)s).",
                    number=inv.number,
                    part=ui_money(part),
                    left=ui_money(outstanding(inv)),
                )
            )
        else:
            plan.append((inv, part))
    allocated = sum((p for _i, p in plan), ZERO)
    if not errors and allocated != amount:
        errors.append(
            tr(
                "Affectez tout le paiement : %(allocated)s affectés sur %(amount)s (pas "
                "d'avance : un paiement solde des factures ouvertes).",
                allocated=ui_money(allocated),
                amount=ui_money(amount),
            )
        )
    return plan, errors


def _allocated_oldest_first(
    open_invoices: list[Invoice], amount: Decimal
) -> tuple[list[tuple[Invoice, Decimal]], list[str]]:
    plan: list[tuple[Invoice, Decimal]] = []
    left = amount
    for inv in open_invoices:
        if left <= 0:
            break
        part = min(left, outstanding(inv))
        plan.append((inv, part))
        left -= part
    if left > 0:
        owed = sum((outstanding(inv) for inv in open_invoices), ZERO)
        return plan, [
            tr(
                "Le paiement (%(amount)s) dépasse de %(excess)s ce que doit l'adhérent "
                "(%(owed)s) : vérifiez le montant.",
                amount=ui_money(amount),
                excess=ui_money(left),
                owed=ui_money(owed),
            )
        ]
    return plan, []


def _payment_plan(
    member: Member, amount: Decimal, method: str, allocations: dict[int, Decimal] | None
) -> list[tuple[Invoice, Decimal]]:
    """How a payment settles the member's invoices; every error at once (InvoicingError)."""
    errors: list[str] = []
    if amount is None or amount <= 0:
        errors.append(tr("Le montant doit être positif."))
    elif round_cents(amount) != amount:
        errors.append(tr("Un montant a au plus deux décimales."))
    if method not in PAYMENT_METHODS:
        errors.append(tr("Mode de paiement inconnu."))
    owed = open_invoices(member)
    plan: list[tuple[Invoice, Decimal]] = []
    if not errors:
        plan, errors = (
            _allocated_as_asked(owed, amount, allocations)
            if allocations
            else _allocated_oldest_first(owed, amount)
        )
    if errors:
        raise InvoicingError(errors)
    return plan


def record_payment(
    *,
    member: Member,
    day: date,
    amount: Decimal,
    method: str,
    reference: str | None,
    allocations: dict[int, Decimal] | None = None,
    user_id: int | None = None,
    commit: bool = True,
) -> Payment:
    """Record a payment against one or several invoices of `member` (oldest first when no
    allocation is given), and post it. Every error at once; nothing written on error."""
    started = time.perf_counter()
    refused = periods.posting_problems([day])  # SPEC §5 "Locks": its BQ entry is dated `day`
    if refused:
        raise InvoicingError(
            [
                tr("règlement du %(day)s refusé : %(p)s", day=format(day, "%d/%m/%Y"), p=p)
                for p in refused
            ]
        )
    plan = _payment_plan(member, amount, method, allocations)
    payment = Payment(
        member=member,
        date=day,
        amount=amount,
        method=method,
        reference=(reference or "").strip() or None,
        created_by_id=user_id,
    )
    for inv, part in plan:
        payment.allocations.append(PaymentAllocation(invoice=inv, amount=part))
    db.session.add(payment)
    db.session.flush()
    posting.post_payment(payment, user_id=user_id)
    for inv, _part in plan:
        refresh_status(inv)
    audit.record(
        "create",
        "payment",
        payment.id,
        user_id=user_id,
        summary=f"{member.code} {amount} € ({method}) → "
        + ", ".join(f"{i.number} {p} €" for i, p in plan),
    )
    if commit:  # the bank import books a whole statement in one transaction
        db.session.commit()
    logger.info(
        "payment of %s € from %s recorded and posted by user %s in %.2f s",
        amount,
        member.code,
        user_id,
        time.perf_counter() - started,
    )
    return payment


@dataclass(frozen=True)
class AccountRow:
    day: date
    label: str
    debit: Decimal
    credit: Decimal
    balance: Decimal
    invoice: Invoice | None = None


def member_balance(member_id: int) -> Decimal:
    """What the member owes: invoices − credit notes − payments (incl. tax)."""
    invoiced = db.session.scalar(
        select(func.coalesce(func.sum(Invoice.total_incl_tax), 0)).where(
            Invoice.member_id == member_id, Invoice.kind == "invoice"
        )
    )
    credited = db.session.scalar(
        select(func.coalesce(func.sum(Invoice.total_incl_tax), 0)).where(
            Invoice.member_id == member_id, Invoice.kind == "credit_note"
        )
    )
    paid = db.session.scalar(
        select(func.coalesce(func.sum(Payment.amount), 0)).where(
            Payment.member_id == member_id, ~Payment.reversal.has()
        )
    )
    refunded = db.session.scalar(
        select(func.coalesce(func.sum(CreditRefund.amount), 0))
        .join(Invoice, CreditRefund.credit_note_id == Invoice.id)
        .where(Invoice.member_id == member_id)
    )
    return D(invoiced or 0) - D(credited or 0) - D(paid or 0) + D(str(refunded or 0))


@dataclass(frozen=True)
class OpenItem:
    """An item of the member's account still open: an invoice with what is still owed on
    it (positive), or a credit note with what is left to apply (negative)."""

    document: Invoice
    amount: Decimal

    @property
    def day(self) -> date:
        return self.document.issue_date


def open_items(member_id: int) -> list[OpenItem]:
    """The member's open items, oldest first: their sum is :func:`member_balance` and the
    balance of the member's 411 auxiliary account (a payment is always allocated in full and
    a credit note applied only to what is open, so nothing is left between the items)."""
    documents = db.session.scalars(
        select(Invoice)
        .options(selectinload(Invoice.allocations))
        .where(Invoice.member_id == member_id)
        .order_by(Invoice.issue_date, Invoice.kind.desc(), Invoice.seq)
    )
    items = []
    for doc in documents:
        amount = -unapplied_credit(doc) if doc.is_credit_note else outstanding(doc)
        if amount:
            items.append(OpenItem(doc, amount))
    return items


def statement_of_account(member_id: int) -> list[AccountRow]:
    events: list[tuple[date, int, str, Decimal, Decimal, Invoice | None]] = []
    for inv in db.session.scalars(select(Invoice).where(Invoice.member_id == member_id)):
        if inv.is_credit_note:
            events.append(
                (
                    inv.issue_date,
                    inv.seq,
                    tr("Avoir %(n)s", n=inv.number),
                    Decimal("0"),
                    inv.total_incl_tax,
                    inv,
                )
            )
        else:
            events.append(
                (
                    inv.issue_date,
                    inv.seq,
                    tr("Facture %(n)s", n=inv.number),
                    inv.total_incl_tax,
                    Decimal("0"),
                    inv,
                )
            )
    for p in db.session.scalars(select(Payment).where(Payment.member_id == member_id)):
        method = tr(PAYMENT_METHODS.get(p.method, p.method)).lower()
        label = tr("Paiement %(method)s", method=method) + (
            f" {p.reference}" if p.reference else ""
        )
        events.append((p.date, 10**9 + p.id, label, Decimal("0"), p.amount, None))
        if p.reversal is not None:  # taken back by the bank: owed again (eage/bank)
            back = tr("Rejet du paiement %(ref)s", ref=p.reference or "")
            events.append((p.reversal.date, 2 * 10**9 + p.id, back, p.amount, Decimal("0"), None))
    refunds = db.session.scalars(
        select(CreditRefund)
        .join(Invoice, CreditRefund.credit_note_id == Invoice.id)
        .where(Invoice.member_id == member_id)
    )
    for r in refunds:
        label = tr("Remboursement de l'avoir %(n)s", n=r.credit_note.number)
        events.append((r.date, 2 * 10**9 + r.id, label, r.amount, Decimal("0"), r.credit_note))
    rows, balance = [], Decimal("0")
    for day, _order, label, debit, credit, document in sorted(events, key=lambda e: (e[0], e[1])):
        balance += debit - credit
        rows.append(AccountRow(day, label, debit, credit, balance, document))
    return rows


@dataclass(frozen=True)
class OverdueRow:
    invoice: Invoice
    outstanding: Decimal
    days_late: int
    penalty: Decimal
    indemnity: Decimal


def invoice_register(
    *, month: date | None, member_code: str, status: str, today: date
) -> tuple[list[tuple[Invoice, str, Decimal]], dict[str, Decimal]]:
    """The invoices page: (invoice, status shown, outstanding) newest first, filtered by
    month of service, member and status, with the signed totals (credit notes negative)."""
    query = select(Invoice).options(selectinload(Invoice.member), selectinload(Invoice.allocations))
    if month:
        start, end = month_bounds(month)
        query = query.where(Invoice.period_start >= start, Invoice.period_start < end)
    if member_code:
        query = query.join(Member).where(Member.code == member_code)
    invoices = db.session.scalars(
        query.order_by(Invoice.issue_date.desc(), Invoice.kind, Invoice.seq.desc())
    )
    rows = [(inv, display_status(inv, today), outstanding(inv)) for inv in invoices]
    if status:
        rows = [r for r in rows if r[1] == status]
    totals = {
        "excl": sum((r[0].total_excl_tax * (-1 if r[0].is_credit_note else 1) for r in rows), ZERO),
        "vat": sum((r[0].vat * (-1 if r[0].is_credit_note else 1) for r in rows), ZERO),
        "incl": sum((r[0].signed_total for r in rows), ZERO),
        "outstanding": sum((r[2] for r in rows), ZERO),
    }
    return rows, totals


def overdue_totals(rows: list[OverdueRow]) -> dict[str, Decimal]:
    """What the overdue page sums: the amounts due and the penalties and indemnities."""
    return {
        "total": sum((r.outstanding for r in rows), ZERO),
        "penalties": sum((r.penalty + r.indemnity for r in rows), ZERO),
    }


def printed_penalty_rate(invoice: Invoice, fallback: Decimal) -> Decimal:
    """The annual penalty rate printed on the invoice (its frozen seller snapshot, as the
    document shows it: art. L441-9 C. com.); `fallback` (the group's current rate) only for
    an invoice that printed none."""
    rate = (invoice.seller or {}).get("late_penalty_rate")
    return Decimal(str(rate)) if rate not in (None, "") else fallback


def overdue_invoices(today: date | None = None) -> list[OverdueRow]:
    """Unpaid invoices past their due date, with the late-payment penalty (art. L441-10
    C. com.: annual rate × days late / 365 on what is owed) and the 40 € fixed recovery
    indemnity (art. D441-5 C. com.) that apply."""
    today = today or date.today()
    org = db.session.scalar(select(Organisation))
    rate = org.late_penalty_rate if org else Decimal("0")
    rows = []
    candidates = db.session.scalars(
        select(Invoice)
        .options(selectinload(Invoice.allocations))
        .where(Invoice.kind == "invoice", Invoice.due_date < today, Invoice.status != "paid")
        .order_by(Invoice.due_date, Invoice.seq)
    )
    for inv in candidates:
        left = outstanding(inv)
        if left <= 0:
            continue
        days = (today - inv.due_date).days
        inv_rate = printed_penalty_rate(inv, rate)
        rows.append(
            OverdueRow(
                inv, left, days, late_penalty(left, inv_rate, days), domain.RECOVERY_INDEMNITY
            )
        )
    return rows


def mark_sent(invoice: Invoice, when: datetime | None = None) -> None:
    invoice.sent_at = when or utcnow()
    if invoice.status == "issued":
        invoice.status = "sent"


# --------------------------------------------------------------------------- sending


def _invoice_email(invoice: Invoice, pdf: StoredDocument) -> EmailMessage:
    """The message to the member: a short French text and the PDF attached."""
    seller = invoice.seller
    what = "Avoir" if invoice.is_credit_note else "Facture"
    msg = mail.new_message(
        f"{what} {invoice.number} — {seller['name']}",
        invoice.member.email or "",
        sender=seller.get("email"),
    )
    document = "notre avoir" if invoice.is_credit_note else "notre facture"
    msg.set_content(
        f"Bonjour,\n\nVeuillez trouver ci-joint {document} "
        f"{invoice.number} du {fr_date(invoice.issue_date)}, d'un montant de "
        f"{money(invoice.total_incl_tax)}"
        + (
            ""
            if invoice.is_credit_note
            else f", à régler au plus tard le {fr_date(invoice.due_date)}"
        )
        + f".\n\nCordialement,\n{seller['name']}\n"
    )
    msg.add_attachment(
        storage.read(pdf), maintype="application", subtype="pdf", filename=pdf.filename
    )
    return msg


def send_invoice(invoice: Invoice, *, user_id: int | None = None) -> str:
    """E-mail the PDF to the member: through SMTP when MAIL_SERVER is configured, else as an
    .eml file in the outbox folder. Marks the invoice sent. Returns where it went."""
    member = invoice.member
    if not member.email:
        raise InvoicingError(tr("%(code)s n'a pas d'adresse e-mail", code=member.code))
    pdf = invoice.document("invoice_pdf")
    if pdf is None:
        raise InvoicingError(tr("%(number)s n'a pas de PDF", number=invoice.number))
    where = mail.deliver(_invoice_email(invoice, pdf), invoice.number)
    mark_sent(invoice)
    audit.record(
        "send", "invoice", invoice.number, user_id=user_id, summary=f"to {member.email} via {where}"
    )
    db.session.commit()
    return where


# --------------------------------------------------------------------------- documents


def render_and_store(
    invoices: list[Invoice],
    *,
    month: date | None = None,
    progress: Any = None,
    statement_members: list[Member] | None = None,
) -> None:
    """Produce and store every document of the freshly issued `invoices` (and the month's
    time statements). Call inside ``storage.transaction()``, which removes the files if the
    issuing transaction fails."""
    documents.store_documents(
        invoices, month=month, statement_members=statement_members or [], progress=progress
    )
    db.session.flush()
