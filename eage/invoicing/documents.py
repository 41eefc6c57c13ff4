"""From database rows to the pure documents of accounting/, then rendered and stored once.

Rendering is the costly part (WeasyPrint): big batches go through a process pool so the
month close uses every core; small ones render in-process."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from accounting import invoicing as domain
from eage.core.services import month_bounds
from eage.extensions import db
from eage.invoicing import storage
from eage.models import Employee, Invoice, Member, Service, StoredDocument, TimesheetEntry

POOL_THRESHOLD = 8  # below this many documents a pool costs more than it saves


def _party(snap: dict[str, Any]) -> domain.Party:
    return domain.Party(
        name=snap["name"],
        address_lines=(snap.get("address") or "",),
        postcode=snap.get("postcode") or "",
        city=snap.get("city") or "",
        country=snap.get("country") or "FR",
        legal_form=snap.get("legal_form") or "",
        siren=snap.get("siren") or "",
        siret=snap.get("siret") or "",
        vat_number=snap.get("vat_number") or "",
        email=snap.get("email") or "",
    )


def _seller(snap: dict[str, Any]) -> domain.SellerParty:
    base = _party(snap)
    return domain.SellerParty(
        **{
            f: getattr(base, f)
            for f in (
                "name",
                "address_lines",
                "postcode",
                "city",
                "country",
                "legal_form",
                "siren",
                "siret",
                "vat_number",
                "email",
            )
        },
        iban=snap.get("iban") or "",
        bic=snap.get("bic") or "",
        ape=snap.get("ape_code") or "",
        phone=snap.get("phone") or "",
    )


def time_annex(member_id: int, month: str) -> tuple[domain.TimeAnnexRow, ...]:
    """The member's entries of the month: date, employee, service, hours (SPEC §5)."""
    first = date(int(month[:4]), int(month[5:7]), 1)
    start, end = month_bounds(first)
    rows = db.session.execute(
        select(
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
            TimesheetEntry.member_id == member_id,
            TimesheetEntry.date >= start,
            TimesheetEntry.date < end,
        )
        .order_by(TimesheetEntry.date, Employee.last_name, Service.code)
    )
    return tuple(
        domain.TimeAnnexRow(
            day=d,
            employee_name=f"{fn} {ln}",
            service_code=code,
            minutes=minutes,
            service_label=label,
            note=note or "",
        )
        for d, fn, ln, code, label, minutes, note in rows
    )


def to_document(inv: Invoice) -> domain.InvoiceDocument:
    lines = []
    for line in inv.lines:
        code = line.service.code if line.service else ""
        if line.minutes and line.minutes > 0 and line.rate is not None:
            lines.append(
                domain.InvoiceLine(
                    kind=line.kind,
                    label=line.label,  # type: ignore[arg-type]
                    quantity=domain.hours_from_minutes(line.minutes),
                    unit_price=line.rate,
                    amount=line.amount,
                    unit="HUR",
                    service_code=code,
                    minutes=line.minutes,
                )
            )
        else:
            lines.append(
                domain.InvoiceLine(
                    kind=line.kind,
                    label=line.label,
                    quantity=Decimal("1"),  # type: ignore[arg-type]
                    unit_price=line.amount,
                    amount=line.amount,
                    unit="C62",
                    service_code=code,
                )
            )
    cited = ()
    if inv.credited_invoice is not None:
        cited = (
            domain.InvoiceReference(inv.credited_invoice.number, inv.credited_invoice.issue_date),
        )
    annex = time_annex(inv.member_id, inv.month) if inv.month and inv.kind == "invoice" else ()
    notes: list[str] = []
    if inv.origin == "complement" and inv.kind == "invoice":
        notes.append(
            "Facture complémentaire : différence entre le temps du mois après réouverture "
            "et ce qui a déjà été facturé."
        )
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
        seller=_seller(inv.seller),
        buyer=_party(inv.buyer),
        vat_regime=inv.vat_regime,  # type: ignore[arg-type]
        lines=tuple(lines),
        payment_terms_days=(inv.due_date - inv.issue_date).days,
        late_penalty_rate=Decimal(inv.seller["late_penalty_rate"])
        if inv.seller.get("late_penalty_rate")
        else None,
        cited_invoices=cited,
        credit_reason=inv.reason or "" if inv.kind == "credit_note" else "",
        time_annex=annex,
        notes=tuple(notes),
    )


def statement_for(
    member: Member, month: date, issue_date: date, seller: dict[str, Any], invoice_number: str = ""
) -> domain.TimeStatement:
    key = f"{month.year:04d}-{month.month:02d}"
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
    from eage.invoicing.services import buyer_snapshot

    return domain.TimeStatement(
        seller=_seller(seller),
        member=_party(buyer_snapshot(member)),
        year=month.year,
        month=month.month,
        rows=rows,
        issue_date=issue_date,
        reference=f"R-{key}-{member.code}",
        invoice_number=invoice_number,
    )


# ---------------------------------------------------------------- rendering (picklable)


def render_invoice_bundle(doc: domain.InvoiceDocument) -> dict[str, bytes]:
    from accounting.documents import render_invoice_docx, render_invoice_pdf
    from accounting.facturx import build_cii_xml

    xml = build_cii_xml(doc)
    return {"pdf": render_invoice_pdf(doc, xml), "docx": render_invoice_docx(doc), "xml": xml}


def render_statement_bundle(stmt: domain.TimeStatement) -> dict[str, bytes]:
    from accounting.documents import render_time_statement_docx, render_time_statement_pdf

    return {"pdf": render_time_statement_pdf(stmt), "docx": render_time_statement_docx(stmt)}


def _warm() -> None:
    import accounting.documents  # noqa: F401  (WeasyPrint's import costs ~1 s: once per worker)


def render_many(
    func: Callable[[Any], dict[str, bytes]], items: Sequence[Any]
) -> list[dict[str, bytes]]:
    workers = min(os.cpu_count() or 1, 4)
    if len(items) < POOL_THRESHOLD or workers < 2:
        return [func(item) for item in items]
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["accounting.documents", "accounting.facturx"])
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_warm) as pool:
        return list(pool.map(func, items, chunksize=max(1, len(items) // (workers * 4))))


def render_job(
    job: tuple[tuple[domain.InvoiceDocument, ...], domain.TimeStatement | None],
) -> tuple[list[dict[str, bytes]], dict[str, bytes] | None]:
    """One member's batch: its invoices' bundles and its time statement's, rendered in the
    same worker so a close is one pass over the pool."""
    docs, stmt = job
    return (
        [render_invoice_bundle(d) for d in docs],
        render_statement_bundle(stmt) if stmt is not None else None,
    )


def store_documents(
    invoices: Sequence[Invoice],
    *,
    month: date | None = None,
    statement_members: Sequence[Member] = (),
    progress: Any = None,
) -> list[str]:
    """Render (in parallel for big batches) and store every document of `invoices`, plus the
    month's time statement of `statement_members`; return the written paths."""
    from eage.invoicing.services import seller_snapshot

    by_member: dict[int, list[Invoice]] = {}
    for inv in invoices:
        by_member.setdefault(inv.member_id, []).append(inv)
    members = {m.id: m for m in statement_members}
    order = list(dict.fromkeys([*by_member, *members]))
    seller = seller_snapshot() if members else {}
    jobs = []
    for mid in order:
        invs = by_member.get(mid, [])
        stmt = None
        if month is not None and mid in members:
            number = next((i.number for i in invs if i.kind == "invoice"), "")
            issue = invs[0].issue_date if invs else date.today()
            stmt = statement_for(members[mid], month, issue, seller, number)
        jobs.append((tuple(to_document(i) for i in invs), stmt))
    if progress:
        progress.step(0, len(jobs), "génération des documents")
    results = render_many(render_job, jobs)  # type: ignore[arg-type]
    written: list[str] = []
    key = f"{month.year:04d}-{month.month:02d}" if month else None
    try:
        for mid, (bundles, stmt_bundle) in zip(order, results, strict=True):  # type: ignore[misc]
            for inv, bundle in zip(by_member.get(mid, []), bundles, strict=True):
                for ext, kind in (
                    ("pdf", "invoice_pdf"),
                    ("docx", "invoice_docx"),
                    ("xml", "invoice_xml"),
                ):
                    rel = f"invoices/{inv.year}/{inv.number}.{ext}"
                    inv.documents.append(
                        storage.store(bundle[ext], rel, kind, member_id=inv.member_id)
                    )
                    written.append(rel)
            if stmt_bundle is not None and key is not None:
                m = members[mid]
                version = 1 + len(
                    db.session.scalars(
                        select(StoredDocument.id).where(
                            StoredDocument.member_id == m.id,
                            StoredDocument.month == key,
                            StoredDocument.kind == "statement_pdf",
                        )
                    ).all()
                )
                suffix = "" if version == 1 else f"-v{version}"
                for ext in ("pdf", "docx"):
                    rel = f"statements/{key}/R-{key}-{m.code}{suffix}.{ext}"
                    storage.store(
                        stmt_bundle[ext],
                        rel,
                        f"statement_{ext}",
                        member_id=m.id,
                        month=key,
                        version=version,
                    )
                    written.append(rel)
    except BaseException:
        storage.discard(written)  # nothing half-written: the caller rolls back
        raise
    return written
