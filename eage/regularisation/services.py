"""Year-end regularisation (SPEC §5): once every month of the year is closed, each member's
real cost of the year (the allocation) minus what it was invoiced for services (invoices −
credit notes, excluding tax and fees) becomes a complementary invoice (lines of kind
`regularisation`) or a credit note — per service, through the same numbering, documents and
Factur-X path as every invoice. Nothing at 0.00. Idempotent: afterwards invoiced == real cost
to the cent, so a second run finds nothing to do.

Posting rule: the regularisation documents are issued through
``invoicing.issue_document``, which posts each one in the same transaction; their files are
written inside ``storage.transaction()``."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import extract, func, select

from accounting.money import ZERO
from accounting.months import Month
from accounting.split import largest_remainder
from eage import audit, storage
from eage.allocation.services import allocation
from eage.books import periods
from eage.extensions import db
from eage.filters import tr
from eage.invoicing import services as invoicing
from eage.locks import take_issuing_lock
from eage.models import Invoice, InvoiceCorrection, Member, MonthLock, Service, TimesheetEntry
from eage.payslips import salary_tax
from eage.portal import notify as portal_notify

logger = logging.getLogger(__name__)


class RegularisationRefused(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class MemberDifference:
    member: Member
    real_cost: Decimal
    invoiced: Decimal
    per_service: dict[Service, Decimal]  # real − invoiced, per service

    @property
    def difference(self) -> Decimal:
        return self.real_cost - self.invoiced


@dataclass
class RegularisationResult:
    year: int
    invoices: list[str] = field(default_factory=list)
    credit_notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.invoices or self.credit_notes)

    def summary(self) -> str:
        if not self.changed:
            return f"year {self.year} already regularised: nothing changed"
        return (
            f"year {self.year} regularised: {len(self.invoices)} complementary invoice(s), "
            f"{len(self.credit_notes)} credit note(s)"
        )


def open_months(year: int) -> list[str]:
    closed = set(
        db.session.scalars(select(MonthLock.month).where(MonthLock.month.like(f"{year}-%")))
    )
    return [m.key for m in Month(year, 1).through(Month(year, 12)) if m.key not in closed]


def differences(year: int, counted: list[Month] | None = None) -> list[MemberDifference]:
    """Real cost − invoiced per member and service for the year, from the allocation; of
    the `counted` months only when given (a partial year: its closed months), none if empty."""
    if counted is not None and not counted:
        return []
    first, last = (counted[0], counted[-1]) if counted else (Month(year, 1), Month(year, 12))
    rows = allocation(first.start, last.start)
    members = {m.code: m for m in db.session.scalars(select(Member))}
    services = {s.code: s for s in db.session.scalars(select(Service))}
    real: dict[str, Decimal] = defaultdict(lambda: Decimal("0"))
    invoiced: dict[str, Decimal] = defaultdict(lambda: Decimal("0"))
    per_service: dict[str, dict[Service, Decimal]] = defaultdict(dict)
    for row in rows:
        real[row.member] += row.total_cost
        invoiced[row.member] += row.invoiced
        diff = row.total_cost - row.invoiced
        if diff:
            per_service[row.member][services[row.service]] = diff
    return [
        MemberDifference(members[code], real[code], invoiced[code], per_service[code])
        for code in sorted(real)
    ]


def difference_totals(rows: list[MemberDifference]) -> dict[str, Decimal]:
    """The regularisation page's totals: real cost and invoiced over every member."""
    return {
        "total_real": sum((r.real_cost for r in rows), Decimal("0")),
        "total_invoiced": sum((r.invoiced for r in rows), Decimal("0")),
    }


def provisional_minutes(year: int, months: list[Month]) -> dict[str, int]:
    """Per member code, the minutes of the year's `months` (open ones: not invoiced yet,
    shown as provisional beside the figures, never added to them), grouped in the database."""
    if not months:
        return {}
    keys = {m.month for m in months}
    month_col = extract("month", TimesheetEntry.date)
    out: dict[str, int] = defaultdict(int)
    for code, month, total in db.session.execute(
        select(Member.code, month_col, func.sum(TimesheetEntry.minutes))
        .join(Member, TimesheetEntry.member_id == Member.id)
        .where(
            TimesheetEntry.date >= date(year, 1, 1),
            TimesheetEntry.date <= date(year, 12, 31),
        )
        .group_by(Member.code, month_col)
    ):
        if int(month) in keys:
            out[code] += int(total)
    return dict(out)


def _salary_tax_refusal(year: int) -> list[str]:
    """The taxe sur les salaires is part of the real cost to recharge (it is in the
    allocation's structure cost once posted): a tax due but not posted refuses the
    regularisation, which would otherwise recharge too little."""
    tax = salary_tax.compute(year)
    if tax.result.due > 0 and tax.entry is None:
        return [
            tr(
                "la taxe sur les salaires %(year)s (%(due)s €) n'est pas comptabilisée : "
                "comptabilisez-la d'abord (Paie › Taxe sur les salaires), elle fait partie du "
                "coût réel à refacturer",
                year=year,
                due=tax.result.due,
            )
        ]
    return []


def _refusals(year: int, today: date) -> list[str]:
    errors = []
    missing = open_months(year)
    if missing:
        errors.append(
            tr(
                "tous les mois de %(year)s doivent être clôturés ; encore ouverts : %(months)s",
                year=year,
                months=", ".join(missing),
            )
        )
    if today <= date(year, 12, 31):
        errors.append(tr("l'exercice %(year)s n'est pas terminé", year=year))
    if periods.year_is_closed(year):
        errors.append(
            tr("l'exercice %(year)s est clôturé : sa régularisation n'est plus possible", year=year)
        )
    elif not missing:
        errors += _salary_tax_refusal(year)
    else:
        # Its documents are dated today, and accrued at 31/12 of the year when it is open.
        errors += [
            tr("écritures impossibles : %(problem)s", problem=p)
            for p in periods.posting_problems([today])
        ]
    return errors


def _issue(
    kind: str,
    diff: MemberDifference,
    year: int,
    amounts: dict[Service, Decimal],
    *,
    reason: str,
    credited: Invoice | None = None,
    today: date,
    user_id: int | None,
) -> Invoice:
    """One regularisation document of the member: a line per service, by service code."""
    label = "Régularisation annuelle {y} au coût réel — {s}"
    return invoicing.issue_document(
        kind=kind,
        origin="regularisation",
        member=diff.member,
        period=(date(year, 1, 1), date(year, 12, 31)),
        issue_date=today,
        user_id=user_id,
        credited=credited,
        reason=reason,
        lines=[
            invoicing.LineSpec("regularisation", label.format(y=year, s=s.label), a, s)
            for s, a in sorted(amounts.items(), key=lambda kv: kv[0].code)
        ],
    )


def year_service_invoices(member: Member, year: int) -> dict[Invoice, Decimal]:
    """The member's service invoices of the year (monthly and complementary) with their
    service amount excl. tax net of the credit notes that cite them (never below 0)."""
    invoices = db.session.scalars(
        select(Invoice)
        .where(
            Invoice.member_id == member.id,
            Invoice.kind == "invoice",
            Invoice.origin.in_(("monthly", "complement")),
            Invoice.period_start >= date(year, 1, 1),
            Invoice.period_start <= date(year, 12, 31),
        )
        .order_by(Invoice.issue_date, Invoice.seq)
    ).all()
    out: dict[Invoice, Decimal] = {}
    for inv in invoices:
        amount = sum((ln.amount for ln in inv.lines if ln.kind == "service"), ZERO)
        credited = db.session.scalars(
            select(Invoice).where(
                Invoice.credited_invoice_id == inv.id,
                Invoice.kind == "credit_note",
                Invoice.origin != "regularisation",
            )
        )
        for note in credited:
            amount -= sum((ln.amount for ln in note.lines if ln.kind == "service"), ZERO)
        out[inv] = max(amount, ZERO)
    return out


def write_corrections(document: Invoice, cited: dict[Invoice, Decimal]) -> list[Invoice]:
    """The invoices a regularisation document corrects (art. 242 nonies A ann. II CGI: a
    rectifying document refers to the invoices it corrects): its excl.-tax amount and its
    VAT each split over them pro rata to their net service amounts (largest remainder,
    SPEC §5), so each invoice's share of VAT follows its share of the amount. Returns the
    invoices cited, most recent first (the order the credit is applied in)."""
    weights = {inv.number: w for inv, w in cited.items() if w > 0}
    if not weights:
        return []
    by_number = {inv.number: inv for inv in cited}
    amounts = largest_remainder(document.total_excl_tax, weights)
    vats = largest_remainder(document.vat, weights)
    for number in weights:
        if amounts[number] or vats[number]:
            db.session.add(
                InvoiceCorrection(
                    document_id=document.id,
                    invoice_id=by_number[number].id,
                    amount_excl_tax=amounts[number],
                    vat=vats[number],
                )
            )
    db.session.flush()
    return sorted(
        (by_number[n] for n in weights),
        key=lambda inv: (inv.issue_date, inv.seq),
        reverse=True,
    )


def _issue_difference(
    diff: MemberDifference, year: int, *, today: date, user_id: int | None
) -> list[Invoice]:
    """A complementary invoice for the services under-invoiced, a credit note for those
    over-invoiced; each cites the member's service invoices of the year it corrects. The
    credit note names the last of them as its preceding invoice and is applied to those
    still open, most recent first; the rest stays a credit of the member."""
    plus = {s: a for s, a in diff.per_service.items() if a > 0}
    minus = {s: -a for s, a in diff.per_service.items() if a < 0}
    cited = year_service_invoices(diff.member, year) if plus or minus else {}
    issued: list[Invoice] = []
    if plus:
        reason = (
            f"Régularisation annuelle {year} : coût réel {diff.real_cost} € "
            f"− facturé {diff.invoiced} €"
        )
        complement = _issue(
            "invoice", diff, year, plus, reason=reason, today=today, user_id=user_id
        )
        write_corrections(complement, cited)
        issued.append(complement)
    if minus:
        reason = f"Régularisation annuelle {year} au coût réel : trop-facturé rendu à l'adhérent"
        note = _issue(
            "credit_note",
            diff,
            year,
            minus,
            reason=reason,
            # the preceding invoice of Factur-X BT-25, which takes one: the year's last
            credited=max(cited, key=lambda inv: (inv.period_start, inv.seq), default=None),
            today=today,
            user_id=user_id,
        )
        corrected = write_corrections(note, cited)
        invoicing.apply_credit_automatically(note, corrected, day=today, user_id=user_id)
        issued.append(note)
    return issued


def regularise(
    year: int, *, user_id: int | None = None, today: date | None = None
) -> RegularisationResult:
    """Issue the year's regularisation documents (idempotent)."""
    today = today or date.today()
    errors = _refusals(year, today)
    if errors:
        raise RegularisationRefused(errors)

    started = time.perf_counter()
    result = RegularisationResult(year)
    take_issuing_lock()
    issued: list[Invoice] = []
    for diff in differences(year):
        issued += _issue_difference(diff, year, today=today, user_id=user_id)
    if not issued:
        db.session.rollback()
        return result
    with storage.transaction():
        invoicing.render_and_store(issued)
        for inv in issued:
            (result.credit_notes if inv.is_credit_note else result.invoices).append(inv.number)
        audit.record(
            "regularise",
            "year",
            year,
            user_id=user_id,
            summary=", ".join(inv.number for inv in issued)[:500],
        )
        db.session.commit()
    portal_notify.notify_issued(issued)  # issue 18: the member's users get each PDF
    logger.info(
        "year %d regularised by user %s in %.2f s: %d invoice(s), %d credit note(s) "
        "issued and posted",
        year,
        user_id,
        time.perf_counter() - started,
        len(result.invoices),
        len(result.credit_notes),
    )
    return result
