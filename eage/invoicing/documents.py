"""From database rows to the pure documents of accounting/, then rendered and stored once.

Rendering is the costly part (WeasyPrint): big batches go through a process pool so the
month close uses every core; small ones render in-process."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar, cast

from sqlalchemy import func, select

from accounting import invoicing as domain
from accounting.documents import (
    render_invoice_docx,
    render_invoice_pdf,
    render_time_statement_docx,
    render_time_statement_pdf,
)
from accounting.facturx import build_cii_xml
from accounting.months import Month
from eage import parties, storage
from eage.core.services import month_bounds
from eage.extensions import db
from eage.filters import tr
from eage.invoicing.errors import InvoicingError
from eage.models import (
    Employee,
    Invoice,
    InvoiceCorrection,
    Member,
    Service,
    StoredDocument,
    TimesheetEntry,
)

POOL_THRESHOLD = 8  # below this many documents a pool costs more than it saves
Item = TypeVar("Item")
Rendered = TypeVar("Rendered")


def current_seller() -> dict[str, Any]:
    """The group's snapshot as the seller of a document issued now."""
    org = parties.organisation()
    if org is None:
        raise InvoicingError(tr("l'identité du groupement n'est pas renseignée"))
    return parties.seller_snapshot(org)


def time_annex(member_id: int, month: str) -> tuple[domain.TimeAnnexRow, ...]:
    """The member's entries of the month: date, employee, service, hours (SPEC §5)."""
    return month_annexes(month, [member_id]).get(member_id, ())


def month_annexes(
    month: str, member_ids: Sequence[int]
) -> dict[int, tuple[domain.TimeAnnexRow, ...]]:
    """:func:`time_annex` of many members in one query (a close reads the month once, not
    twice per member)."""
    first = date(int(month[:4]), int(month[5:7]), 1)
    start, end = month_bounds(first)
    out: dict[int, list[domain.TimeAnnexRow]] = {}
    if not member_ids:
        return {}
    rows = db.session.execute(
        select(
            TimesheetEntry.member_id,
            TimesheetEntry.date,
            Employee.first_name,
            Employee.last_name,
            Service.code,
            Service.label,
            TimesheetEntry.minutes,
            TimesheetEntry.note,
        )
        .join(Employee, TimesheetEntry.employee_id == Employee.id)
        .join(Service, TimesheetEntry.service_id == Service.id)
        .where(
            TimesheetEntry.member_id.in_(member_ids),
            TimesheetEntry.date >= start,
            TimesheetEntry.date < end,
        )
        .order_by(TimesheetEntry.date, Employee.last_name, Service.code)
    )
    for member_id, d, fn, ln, code, label, minutes, note in rows:
        out.setdefault(cast(int, member_id), []).append(
            domain.TimeAnnexRow(
                day=d,
                employee_name=f"{fn} {ln}",
                service_code=code,
                minutes=minutes,
                service_label=label,
                note=note or "",
            )
        )
    return {member_id: tuple(annex) for member_id, annex in out.items()}


def domain_line(
    kind: str,
    label: str,
    amount: Decimal,
    service_code: str,
    *,
    minutes: int | None = None,
    rate: Decimal | None = None,
) -> domain.InvoiceLine:
    """The pure line: hours × rate for time (unit HUR), a flat amount otherwise (C62)."""
    line_kind = cast(domain.LineKind, kind)  # the kinds the model's CheckConstraint allows
    if minutes and minutes > 0 and rate is not None:
        return domain.InvoiceLine(
            kind=line_kind,
            label=label,
            quantity=domain.hours_from_minutes(minutes),
            unit_price=rate,
            amount=amount,
            unit="HUR",
            service_code=service_code,
            minutes=minutes,
        )
    return domain.InvoiceLine(
        kind=line_kind,
        label=label,
        quantity=Decimal("1"),
        unit_price=amount,
        amount=amount,
        unit="C62",
        service_code=service_code,
    )


def corrected_invoices(inv: Invoice) -> tuple[domain.CorrectedInvoice, ...]:
    """The invoices a regularisation document corrects, oldest first, with its share."""
    rows = db.session.execute(
        select(
            Invoice.number,
            Invoice.issue_date,
            InvoiceCorrection.amount_excl_tax,
            InvoiceCorrection.vat,
        )
        .join(Invoice, InvoiceCorrection.invoice_id == Invoice.id)
        .where(InvoiceCorrection.document_id == inv.id)
        .order_by(Invoice.issue_date, Invoice.seq)
    )
    return tuple(domain.CorrectedInvoice(n, d, a, v) for n, d, a, v in rows)


def _corrections_note(inv: Invoice, corrected: tuple[domain.CorrectedInvoice, ...]) -> str:
    """The mention naming every invoice corrected (printed, and a note of the CII XML: its
    BT-25 takes one preceding invoice, the last one)."""
    what = (
        "Avoir portant sur les factures"
        if inv.is_credit_note
        else ("Facture complémentaire portant sur les factures")
    )
    refs = ", ".join(f"{c.number} du {c.issue_date:%d/%m/%Y}" for c in corrected)
    return f"{what} {refs} (détail : tableau « Factures rectifiées »)."


def to_document(
    inv: Invoice, annexes: dict[int, tuple[domain.TimeAnnexRow, ...]] | None = None
) -> domain.InvoiceDocument:
    """The pure document of `inv` (``annexes``: the month's time annexes read beforehand)."""
    lines = [
        domain_line(
            line.kind,
            line.label,
            line.amount,
            line.service.code if line.service else "",
            minutes=line.minutes,
            rate=line.rate,
        )
        for line in inv.lines
    ]
    cited: tuple[domain.InvoiceReference, ...] = ()
    if inv.credited_invoice is not None:
        cited = (
            domain.InvoiceReference(inv.credited_invoice.number, inv.credited_invoice.issue_date),
        )
    annex: tuple[domain.TimeAnnexRow, ...] = ()
    if inv.month and inv.kind == "invoice":
        annex = (
            time_annex(inv.member_id, inv.month)
            if annexes is None
            else annexes.get(inv.member_id, ())
        )
    notes: list[str] = []
    if inv.origin == "complement" and inv.kind == "invoice":
        notes.append(
            "Facture complémentaire : différence entre le temps du mois après réouverture "
            "et ce qui a déjà été facturé."
        )
    corrected = corrected_invoices(inv)
    if corrected:
        notes.append(_corrections_note(inv, corrected))
    if inv.origin == "monthly":
        notes.append(
            "Facture provisionnelle au taux horaire de l'exercice ; régularisation au coût "
            "réel en fin d'exercice."
        )
    return domain.InvoiceDocument(
        kind=inv.kind,  # type: ignore[arg-type]
        number=inv.number,
        issue_date=inv.issue_date,
        period_start=inv.period_start,
        period_end=inv.period_end,
        seller=parties.seller_party(inv.seller),
        buyer=parties.party(inv.buyer),
        vat_regime=inv.vat_regime,  # type: ignore[arg-type]
        lines=tuple(lines),
        payment_terms_days=(inv.due_date - inv.issue_date).days,
        late_penalty_rate=Decimal(inv.seller["late_penalty_rate"])
        if inv.seller.get("late_penalty_rate")
        else None,
        vat_on_debits=parties.vat_on_debits(inv.seller),
        cited_invoices=cited,
        credit_reason=inv.reason or "" if inv.kind == "credit_note" else "",
        time_annex=annex,
        notes=tuple(notes),
        corrected_invoices=corrected,
    )


def statement_for(
    member: Member,
    month: date,
    issue_date: date,
    seller: dict[str, Any],
    invoice_number: str = "",
    *,
    annex: tuple[domain.TimeAnnexRow, ...] | None = None,
) -> domain.TimeStatement:
    key = Month.of(month).key
    if annex is None:
        annex = time_annex(member.id, key)
    rows = tuple(
        domain.TimeStatementRow(
            day=r.day,
            employee_name=r.employee_name,
            service_code=r.service_code,
            service_label=r.service_label,
            minutes=r.minutes,
            note=r.note,
        )
        for r in annex
    )
    return domain.TimeStatement(
        seller=parties.seller_party(seller),
        member=parties.party(parties.buyer_snapshot(member)),
        year=month.year,
        month=month.month,
        rows=rows,
        issue_date=issue_date,
        reference=f"R-{key}-{member.code}",
        invoice_number=invoice_number,
    )


# ---------------------------------------------------------------- rendering (picklable)


def render_invoice_bundle(doc: domain.InvoiceDocument) -> dict[str, bytes]:
    xml = build_cii_xml(doc)
    return {"pdf": render_invoice_pdf(doc, xml), "docx": render_invoice_docx(doc), "xml": xml}


def render_statement_bundle(stmt: domain.TimeStatement) -> dict[str, bytes]:
    return {"pdf": render_time_statement_pdf(stmt), "docx": render_time_statement_docx(stmt)}


def render_workers() -> int:
    """The processes a close renders with: ``EAGE_RENDER_WORKERS`` when set (the test suite
    sets 1, its xdist workers already keep both cores busy and a pool would cost a fork server
    per close), else one per core, at most four."""
    configured = os.environ.get("EAGE_RENDER_WORKERS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return min(os.cpu_count() or 1, 4)


def render_many(
    func: Callable[[Item], Rendered],
    items: Sequence[Item],
    on_done: Callable[[int], None] | None = None,
) -> list[Rendered]:
    """``func`` over ``items``, in order; ``on_done(n)`` after each of the n first results
    (the close reports its documents one by one)."""
    workers = render_workers()
    if len(items) < POOL_THRESHOLD or workers < 2:
        return _collect((func(item) for item in items), on_done)
    ctx = multiprocessing.get_context("forkserver")
    # WeasyPrint's import costs ~1 s: done once in the fork server, inherited by every worker.
    ctx.set_forkserver_preload(["accounting.documents", "accounting.facturx"])
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        chunksize = max(1, len(items) // (workers * 4))
        return _collect(pool.map(func, items, chunksize=chunksize), on_done)


def _collect(results: Iterable[Rendered], on_done: Callable[[int], None] | None) -> list[Rendered]:
    out: list[Rendered] = []
    for result in results:
        out.append(result)
        if on_done is not None:
            on_done(len(out))
    return out


RenderJob = tuple[tuple[domain.InvoiceDocument, ...], domain.TimeStatement | None]
RenderedJob = tuple[list[dict[str, bytes]], dict[str, bytes] | None]


def render_job(job: RenderJob) -> RenderedJob:
    """One member's batch: its invoices' bundles and its time statement's, rendered in the
    same worker so a close is one pass over the pool."""
    docs, stmt = job
    return (
        [render_invoice_bundle(d) for d in docs],
        render_statement_bundle(stmt) if stmt is not None else None,
    )


def _render_jobs(
    order: Iterable[int],
    by_member: dict[int, list[Invoice]],
    members: dict[int, Member],
    month: date | None,
) -> list[RenderJob]:
    """Per member, in order: its invoices' documents and, for the month's statement members,
    the time statement (citing the member's first invoice of the batch)."""
    seller = current_seller() if members else {}
    annexes: dict[str, dict[int, tuple[domain.TimeAnnexRow, ...]]] = {}
    for key in sorted({i.month for invs in by_member.values() for i in invs if i.month}):
        annexes[key] = month_annexes(key, list(order))
    if month is not None and Month.of(month).key not in annexes:
        annexes[Month.of(month).key] = month_annexes(Month.of(month).key, list(members))
    jobs: list[RenderJob] = []
    for mid in order:
        invs = by_member.get(mid, [])
        stmt = None
        if month is not None and mid in members:
            number = next((i.number for i in invs if i.kind == "invoice"), "")
            issue = invs[0].issue_date if invs else date.today()
            annex = annexes[Month.of(month).key].get(mid, ())
            stmt = statement_for(members[mid], month, issue, seller, number, annex=annex)
        docs = tuple(to_document(i, annexes.get(i.month or "")) for i in invs)
        jobs.append((docs, stmt))
    return jobs


def _store_invoice_bundle(inv: Invoice, bundle: dict[str, bytes]) -> None:
    """A file no row records is the orphan of an issue killed before it could clean up (its
    numbers were given back): the new document with that number replaces it."""
    for ext, kind in (("pdf", "invoice_pdf"), ("docx", "invoice_docx"), ("xml", "invoice_xml")):
        rel = f"invoices/{inv.year}/{inv.number}.{ext}"
        # linked by its many-to-one side: no load of the invoice's (empty) document list
        storage.store(
            bundle[ext], rel, kind, replace_orphan=True, member_id=inv.member_id, invoice=inv
        )


def statement_versions(key: str) -> dict[int, int]:
    """How many time statements of month `key` each member already has (one query for the
    whole close, not one per member)."""
    return {
        cast(int, member_id): int(n)  # a statement always names its member
        for member_id, n in db.session.execute(
            select(StoredDocument.member_id, func.count(StoredDocument.id))
            .where(StoredDocument.month == key, StoredDocument.kind == "statement_pdf")
            .group_by(StoredDocument.member_id)
        )
    }


def _store_statement_bundle(
    member: Member, key: str, bundle: dict[str, bytes], earlier: int = 0
) -> None:
    """The month's time statement of `member`: R-YYYY-MM-CODE, then -v2, -v3… when a close
    after a reopening issues it again (`earlier`: the statements it already has)."""
    version = 1 + earlier
    suffix = "" if version == 1 else f"-v{version}"
    for ext in ("pdf", "docx"):
        rel = f"statements/{key}/R-{key}-{member.code}{suffix}.{ext}"
        storage.store(
            bundle[ext],
            rel,
            f"statement_{ext}",
            replace_orphan=True,
            member_id=member.id,
            month=key,
            version=version,
        )


def store_documents(
    invoices: Sequence[Invoice],
    *,
    month: date | None = None,
    statement_members: Sequence[Member] = (),
    progress: Any = None,
) -> None:
    """Render (in parallel for big batches) and store every document of `invoices`, plus the
    month's time statement of `statement_members`. Call inside ``storage.transaction()``:
    the files are removed if the issuing transaction fails."""
    by_member: dict[int, list[Invoice]] = {}
    for inv in invoices:
        by_member.setdefault(inv.member_id, []).append(inv)
    members = {m.id: m for m in statement_members}
    order = list(dict.fromkeys([*by_member, *members]))
    jobs = _render_jobs(order, by_member, members, month)
    if progress:
        progress.step(0, len(jobs), "génération des documents")
    results = render_many(
        render_job,
        jobs,
        on_done=(lambda n: progress.step(n, len(jobs), "génération des documents"))
        if progress
        else None,
    )
    key = Month.of(month).key if month else None
    versions = statement_versions(key) if key is not None and members else {}
    for mid, (bundles, stmt_bundle) in zip(order, results, strict=True):
        for inv, bundle in zip(by_member.get(mid, []), bundles, strict=True):
            _store_invoice_bundle(inv, bundle)
        if stmt_bundle is not None and key is not None:
            _store_statement_bundle(members[mid], key, stmt_bundle, versions.get(mid, 0))
