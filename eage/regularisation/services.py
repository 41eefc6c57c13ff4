"""Year-end regularisation (SPEC §5): once every month of the year is closed, each member's
real cost of the year (the allocation) minus what it was invoiced for services (invoices −
credit notes, excluding tax and fees) becomes a complementary invoice (lines of kind
`regularisation`) or a credit note — per service, through the same numbering, documents and
Factur-X path as every invoice. Nothing at 0.00. Idempotent: afterwards invoiced == real cost
to the cent, so a second run finds nothing to do."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from eage import audit
from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.locks import take_issuing_lock
from eage.models import Invoice, Member, MonthLock, Service


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
    return [f"{year}-{m:02d}" for m in range(1, 13) if f"{year}-{m:02d}" not in closed]


def differences(year: int) -> list[MemberDifference]:
    """Real cost − invoiced per member and service for the year, from the allocation."""
    from eage.allocation.services import allocation

    rows = allocation(date(year, 1, 1), date(year, 12, 1))
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


def regularise(
    year: int, *, user_id: int | None = None, today: date | None = None
) -> RegularisationResult:
    """Issue the year's regularisation documents (idempotent)."""
    today = today or date.today()
    errors = []
    missing = open_months(year)
    if missing:
        errors.append(
            f"tous les mois de {year} doivent être clôturés ; encore ouverts : {', '.join(missing)}"
        )
    if today <= date(year, 12, 31):
        errors.append(f"l'exercice {year} n'est pas terminé")
    if errors:
        raise RegularisationRefused(errors)

    result = RegularisationResult(year)
    take_issuing_lock()
    issued: list[Invoice] = []
    period = (date(year, 1, 1), date(year, 12, 31))
    for diff in differences(year):
        plus = {s: a for s, a in diff.per_service.items() if a > 0}
        minus = {s: -a for s, a in diff.per_service.items() if a < 0}
        label = "Régularisation annuelle {y} au coût réel — {s}"
        if plus:
            issued.append(
                invoicing.issue_document(
                    kind="invoice",
                    origin="regularisation",
                    member=diff.member,
                    period=period,
                    issue_date=today,
                    user_id=user_id,
                    reason=f"Régularisation annuelle {year} : coût réel {diff.real_cost} € − facturé {diff.invoiced} €",
                    lines=[
                        invoicing.LineSpec("regularisation", label.format(y=year, s=s.label), a, s)
                        for s, a in sorted(plus.items(), key=lambda kv: kv[0].code)
                    ],
                )
            )
        if minus:
            cited = db.session.scalar(
                select(Invoice)
                .where(
                    Invoice.member_id == diff.member.id,
                    Invoice.kind == "invoice",
                    Invoice.origin.in_(("monthly", "complement")),
                    Invoice.period_start >= period[0],
                    Invoice.period_start <= period[1],
                )
                .order_by(Invoice.period_start.desc(), Invoice.seq.desc())
            )
            issued.append(
                invoicing.issue_document(
                    kind="credit_note",
                    origin="regularisation",
                    member=diff.member,
                    period=period,
                    issue_date=today,
                    user_id=user_id,
                    credited=cited,
                    reason=f"Régularisation annuelle {year} au coût réel : trop-facturé rendu à l'adhérent",
                    lines=[
                        invoicing.LineSpec("regularisation", label.format(y=year, s=s.label), a, s)
                        for s, a in sorted(minus.items(), key=lambda kv: kv[0].code)
                    ],
                )
            )
    if not issued:
        db.session.rollback()
        return result
    written: list[str] = []
    try:
        written = invoicing.render_and_store(issued)
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
    except BaseException:
        db.session.rollback()
        from eage.invoicing.storage import discard

        discard(written)
        raise
    return result
