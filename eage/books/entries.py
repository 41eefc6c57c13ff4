"""Journal entries as the accountant sees them: the ``OD`` entries typed by hand (a draft,
then validated — numbered, frozen and chained at commit — or deleted while still a draft),
and the journals' listing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accounting import ledger
from accounting.chart import member_aux_number
from accounting.money import ZERO, D
from eage import audit
from eage.books import periods
from eage.books.chart import ensure_chart
from eage.books.errors import BooksError
from eage.books.posting import month_end, number_entry, persist_entry
from eage.extensions import db
from eage.filters import tr
from eage.locks import take_issuing_lock
from eage.models import Member, Service
from eage.models.base import utcnow
from eage.models.books import JournalEntry, LedgerAccount

# --------------------------------------------------------------------------- typed OD entries


@dataclass
class ManualLine:
    account: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    label: str = ""
    member_id: int | None = None
    service_id: int | None = None


@dataclass(frozen=True)
class _Lookups:
    """What typed lines are checked against: the chart, members, services."""

    accounts: dict[str, LedgerAccount]
    receivable: str | None
    members: dict[int, Member]
    services: dict[int, Service]

    @classmethod
    def load(cls) -> _Lookups:
        ensure_chart()
        accounts = {a.number: a for a in db.session.scalars(select(LedgerAccount))}
        return cls(
            accounts,
            next((a.number for a in accounts.values() if a.purpose == "receivable"), None),
            {m.id: m for m in db.session.scalars(select(Member))},
            {s.id: s for s in db.session.scalars(select(Service))},
        )


def _header_problems(day: date | None, piece_ref: str) -> list[ledger.Problem]:
    problems: list[ledger.Problem] = []
    if day is None:
        problems.append(ledger.Problem(None, tr("indiquez la date de l'écriture")))
    if not (piece_ref or "").strip():
        problems.append(ledger.Problem(None, tr("indiquez la pièce justificative (référence)")))
    return problems


def _entry_line(
    i: int, ml: ManualLine, label: str, known: _Lookups, problems: list[ledger.Problem]
) -> ledger.EntryLine:
    """Line ``i`` as the rules read it; its problems appended to ``problems``."""
    number = (ml.account or "").strip().upper()
    acc = known.accounts.get(number)
    if acc is None:
        problems.append(
            ledger.Problem(
                i, tr("le compte « %(number)s » n'est pas au plan comptable", number=number)
            )
        )
    elif not acc.active:
        problems.append(ledger.Problem(i, tr("le compte %(number)s est désactivé", number=number)))
    member = known.members.get(ml.member_id) if ml.member_id else None
    service = known.services.get(ml.service_id) if ml.service_id else None
    on_receivable = number == known.receivable
    if on_receivable and member is None:
        problems.append(
            ledger.Problem(i, tr("le compte adhérents demande l'adhérent (compte auxiliaire)"))
        )
    return ledger.EntryLine(
        account=number,
        account_label=acc.label if acc else "",
        debit=D(ml.debit or ZERO),
        credit=D(ml.credit or ZERO),
        aux_number=member_aux_number(member.code) if member and on_receivable else None,
        aux_label=member.name if member and on_receivable else None,
        label=(ml.label or "").strip() or label.strip(),
        member_code=member.code if member else None,
        service_code=service.code if service else None,
    )


def _manual_entry(
    day: date | None, label: str, piece_ref: str, lines: list[ManualLine]
) -> tuple[ledger.Entry, list[ledger.Problem]]:
    """The pure entry for typed lines, and every problem of the input at once."""
    problems = _header_problems(day, piece_ref)
    known = _Lookups.load()
    out = tuple(_entry_line(i, ml, label, known, problems) for i, ml in enumerate(lines, start=1))
    entry = ledger.Entry(
        "OD",
        day or date.today(),
        (label or "").strip(),
        (piece_ref or "").strip(),
        day or date.today(),
        out,
    )
    problems.extend(ledger.check_entry(entry))
    return entry, problems


def create_manual_entry(
    *,
    day: date | None,
    label: str,
    piece_ref: str,
    lines: list[ManualLine],
    user_id: int | None = None,
) -> JournalEntry:
    """An OD entry typed by the accountant, kept as a draft until validated. Balanced or
    refused, every problem at once; nothing written on error."""
    entry, problems = _manual_entry(day, label, piece_ref, lines)
    if problems:
        db.session.rollback()
        raise BooksError(problems)
    row = persist_entry(entry, origin="manual", user_id=user_id, validated=False)
    audit.record(
        "create",
        "journal_entry",
        row.id,
        user_id=user_id,
        summary=f"OD brouillon {entry.label} {entry.total_debit} €"[:500],
    )
    db.session.commit()
    return row


def _as_entry(row: JournalEntry) -> ledger.Entry:
    return ledger.Entry(
        row.journal,
        row.date,
        row.label,
        row.piece_ref,
        row.piece_date,
        tuple(
            ledger.EntryLine(ln.account_number, ln.account_label, D(ln.debit), D(ln.credit))
            for ln in row.lines
        ),
    )


def validate_entry(row: JournalEntry, *, user_id: int | None = None) -> JournalEntry:
    """Validate a draft OD: numbered, then immutable and chained at commit."""
    if row.is_validated:
        raise BooksError(tr("l'écriture %(number)s est déjà validée", number=row.number))
    take_issuing_lock()
    problems = ledger.check_entry(_as_entry(row))
    problems += [ledger.Problem(None, p) for p in periods.posting_problems([row.date])]
    if problems:
        db.session.rollback()
        raise BooksError(problems)
    number_entry(row)
    row.validated_at = utcnow()
    row.validated_by_id = user_id
    db.session.flush()
    audit.record(
        "validate",
        "journal_entry",
        row.number,
        user_id=user_id,
        summary=f"{row.label} {row.total_debit} €"[:500],
    )
    db.session.commit()
    return row


def delete_draft(row: JournalEntry, *, user_id: int | None = None) -> None:
    if row.is_validated:
        raise BooksError(
            tr(
                "l'écriture %(number)s est validée : elle ne peut pas être supprimée ; passez "
                "une écriture d'extourne",
                number=row.number,
            )
        )
    audit.record("delete", "journal_entry", row.id, user_id=user_id, summary=row.label[:500])
    db.session.delete(row)
    db.session.commit()


# --------------------------------------------------------------------------- the journals


def search(
    *,
    journal: str | None = None,
    year: int | None = None,
    month: str | None = None,
    status: str | None = None,
) -> list[JournalEntry]:
    """Entries of a journal, a year or a month (``YYYY-MM``), drafts or validated ones, in
    date order."""
    query = select(JournalEntry).options(selectinload(JournalEntry.lines))
    if journal:
        query = query.where(JournalEntry.journal == journal)
    if year:
        query = query.where(
            JournalEntry.date >= date(year, 1, 1), JournalEntry.date <= date(year, 12, 31)
        )
    if month:
        query = query.where(
            JournalEntry.date >= date(int(month[:4]), int(month[5:7]), 1),
            JournalEntry.date <= month_end(month),
        )
    if status == "draft":
        query = query.where(JournalEntry.validated_at.is_(None))
    elif status == "validated":
        query = query.where(JournalEntry.validated_at.is_not(None))
    return list(
        db.session.scalars(
            query.order_by(
                JournalEntry.date, JournalEntry.journal, JournalEntry.seq, JournalEntry.id
            )
        )
    )


def totals(rows: list[JournalEntry]) -> tuple[Decimal, Decimal]:
    """Total debit and total credit of the listed entries."""
    return sum((e.total_debit for e in rows), ZERO), sum((e.total_credit for e in rows), ZERO)
