"""The inalterability chain (art. 286 I 3° bis CGI; SPEC §5): every issued invoice, credit
note and payslip and every validated entry gets one :class:`ChainLink`, whose SHA-256 covers
the record's content (with the SHA-256 of its stored documents) and its predecessor's hash.

Every commit that issued a document or validated an entry seals them just before it commits
(a ``before_commit`` listener put on the sessions by :func:`install`, which ``create_app``
calls), after the documents are stored, so their SHA-256 are covered. Sealing is not the
guard that refuses edits: that is eage/immutability.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, scoped_session

from accounting import ledger
from accounting.money import ROUND_HALF_UP, D, round_cents
from eage.extensions import db
from eage.locks import take_issuing_lock
from eage.models import Invoice, StoredDocument
from eage.models.books import ChainLink, JournalEntry
from eage.models.payroll import Payslip

_TO_SEAL = "books_to_seal"  # session.info flag: this transaction has something to chain
_COEFFICIENT = Decimal("0.0001")

# --------------------------------------------------------------------------- what is hashed


def _amount(value: Any) -> str:
    """Amounts are stored at the cent: the quantization only fixes the written form."""
    return f"{round_cents(value):f}"


def _opt_amount(value: Any) -> str | None:
    return None if value is None else _amount(value)


def _documents(docs: Iterable[StoredDocument | None]) -> list[dict[str, Any]]:
    return sorted(
        (
            {"kind": d.kind, "filename": d.filename, "sha256": d.sha256, "size": d.size}
            for d in docs
            if d is not None
        ),
        key=lambda d: (d["kind"], d["filename"]),
    )


def invoice_payload(inv: Invoice) -> dict[str, Any]:
    """What an issued invoice or credit note is: everything but its follow-up (status,
    sending), with the SHA-256 of its stored documents."""
    return {
        "record": "invoice",
        "number": inv.number,
        "kind": inv.kind,
        "origin": inv.origin,
        "year": inv.year,
        "seq": inv.seq,
        "member_id": inv.member_id,
        "issue_date": inv.issue_date,
        "period_start": inv.period_start,
        "period_end": inv.period_end,
        "month": inv.month,
        "vat_regime": inv.vat_regime,
        "total_excl_tax": _amount(inv.total_excl_tax),
        "vat": _amount(inv.vat),
        "total_incl_tax": _amount(inv.total_incl_tax),
        "due_date": inv.due_date,
        "credited_invoice_id": inv.credited_invoice_id,
        "reason": inv.reason,
        "seller": inv.seller,
        "buyer": inv.buyer,
        "lines": [
            {
                "position": ln.position,
                "kind": ln.kind,
                "service_id": ln.service_id,
                "label": ln.label,
                "minutes": ln.minutes,
                "rate": _opt_amount(ln.rate),
                "amount": _amount(ln.amount),
                "vat_rate": _amount(ln.vat_rate),
            }
            for ln in sorted(inv.lines, key=lambda x: x.position)
        ],
        "documents": _documents(inv.documents),
    }


_PAYSLIP_AMOUNTS = (
    "gross",
    "employee_contributions",
    "employer_contributions",
    "rgdu",
    "reductions",
    "net_social",
    "net_before_tax",
    "net_taxable",
    "tax_withheld",
    "net_paid",
    "employer_cost",
    "pas_rate",
    "contract_hours",
    "extra_hours",
    "unpaid_absence_hours",
    "worked_hours",
)


def payslip_payload(slip: Payslip) -> dict[str, Any]:
    coefficient = D(slip.rgdu_coefficient).quantize(_COEFFICIENT, rounding=ROUND_HALF_UP)
    return {
        "record": "payslip",
        "number": slip.number,
        "employee_id": slip.employee_id,
        "month": slip.month,
        "period_start": slip.period_start,
        "period_end": slip.period_end,
        "payment_date": slip.payment_date,
        "issue_date": slip.issue_date,
        **{name: _amount(getattr(slip, name)) for name in _PAYSLIP_AMOUNTS},
        "rgdu_coefficient": f"{coefficient:f}",
        "earnings": slip.earnings,
        "lines": slip.lines,
        "rgdu_ytd": slip.rgdu_ytd,
        "extra_hours_by_week": slip.extra_hours_by_week,
        "paid_leave": slip.paid_leave,
        "employee_snapshot": slip.employee_snapshot,
        "employer_snapshot": slip.employer_snapshot,
        "reference_model": slip.reference_model,
        "documents": _documents([slip.pdf_document, slip.docx_document]),
    }


def entry_payload(row: JournalEntry) -> dict[str, Any]:
    validated = row.validated_at
    return {
        "record": "entry",
        "journal": row.journal,
        "number": row.number,
        "date": row.date,
        "label": row.label,
        "piece_ref": row.piece_ref,
        "piece_date": row.piece_date,
        "origin": row.origin,
        "invoice_id": row.invoice_id,
        "payslip_id": row.payslip_id,
        "payment_id": row.payment_id,
        "validated_at": validated.replace(microsecond=0) if validated else None,
        "lines": [
            {
                "position": ln.position,
                "account": ln.account_number,
                "account_label": ln.account_label,
                "aux_number": ln.aux_number,
                "aux_label": ln.aux_label,
                "label": ln.label,
                "debit": _amount(ln.debit),
                "credit": _amount(ln.credit),
                "member_id": ln.member_id,
                "service_id": ln.service_id,
            }
            for ln in sorted(row.lines, key=lambda x: x.position)
        ],
    }


def reference(kind: str, obj: Any) -> str:
    """How a chained record is named in the chain and in the integrity report."""
    if kind == "invoice":
        return f"{'credit note' if obj.kind == 'credit_note' else 'invoice'} {obj.number}"
    if kind == "payslip":
        return f"payslip {obj.number}"
    return f"entry {obj.number}"


PAYLOADS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "invoice": invoice_payload,
    "payslip": payslip_payload,
    "entry": entry_payload,
}
MODELS: dict[str, Any] = {"invoice": Invoice, "payslip": Payslip, "entry": JournalEntry}


# --------------------------------------------------------------------------- sealing


def unsealed(session: Session | scoped_session[Any]) -> list[tuple[str, Any]]:
    """Records that should be in the chain and are not yet, in the order they are sealed:
    payslips, invoices and credit notes, then entries (each by id)."""
    out: list[tuple[str, Any]] = []
    for kind in ("payslip", "invoice", "entry"):
        model = MODELS[kind]
        sealed = select(ChainLink.record_id).where(ChainLink.record_type == kind)
        query = select(model).where(model.id.not_in(sealed))
        if kind == "entry":
            query = query.where(JournalEntry.validated_at.is_not(None))
        out.extend((kind, obj) for obj in session.scalars(query.order_by(model.id)))
    return out


def seal_pending(session: Session | scoped_session[Any] | None = None) -> list[ChainLink]:
    """Append every issued or validated record not yet chained. Runs just before the commit
    of the transaction that issued them, under the issuing lock, so the sequence stays
    gap-free and the chain linear under concurrent writers."""
    s = session if session is not None else db.session
    s.flush()
    take_issuing_lock(s)
    s.expire_all()  # hash what the database holds, exactly as verification will read it
    pending = unsealed(s)
    if not pending:
        return []
    head = s.scalar(select(ChainLink).order_by(ChainLink.seq.desc()).limit(1))
    seq, previous = (head.seq, head.hash) if head else (0, ledger.GENESIS)
    links = []
    for kind, obj in pending:
        seq += 1
        digest = ledger.chain_hash(previous, ledger.canonical_json(PAYLOADS[kind](obj)))
        link = ChainLink(
            seq=seq,
            record_type=kind,
            record_id=obj.id,
            reference=reference(kind, obj)[:60],
            previous_hash=previous,
            hash=digest,
        )
        s.add(link)
        links.append(link)
        previous = digest
    s.flush()
    s.info.pop(_TO_SEAL, None)
    return links


def _mark_to_seal(session: Session, _ctx: Any, _instances: Any) -> None:
    """Something to seal at commit? A new document or entry, or a draft being validated (not
    an invoice's follow-up status, which is outside the chain and must not wait for the
    issuing lock)."""
    if any(isinstance(obj, Invoice | Payslip | JournalEntry) for obj in session.new) or any(
        isinstance(obj, JournalEntry) for obj in session.dirty
    ):
        session.info[_TO_SEAL] = True


def _seal_at_commit(session: Session) -> None:
    if session.info.pop(_TO_SEAL, False):
        seal_pending(session)


def install() -> None:
    """Seal at commit on every Session of the process (idempotent); called by
    ``create_app``, after the immutability guard."""
    if not event.contains(Session, "before_commit", _seal_at_commit):
        event.listen(Session, "before_flush", _mark_to_seal)
        event.listen(Session, "before_commit", _seal_at_commit)
