"""The year's FEC, fichier des écritures comptables (art. A47 A-1 LPF): the validated entries
dated in the year, its opening entries (AN) first, then in validation order (the order of
the chain), one line per entry line; the members' 411 lines carry their lettrage
(EcritureLet / DateLet, eage/books/lettering.py). No result-closing entries: the year's
closing books its result in the opening entry of the next year (eage/books/yearend.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accounting import ledger
from accounting.chart import JOURNALS
from accounting.lettering import Letter
from accounting.money import D
from eage import audit
from eage.books.errors import BooksError
from eage.books.lettering import letters_within
from eage.extensions import db
from eage.filters import tr
from eage.models import Organisation
from eage.models.books import ChainLink, JournalEntry


@dataclass(frozen=True)
class FecFile:
    filename: str
    data: bytes
    entries: int
    lines: int


def _in_validation_order(year: int) -> list[JournalEntry]:
    """Validated entries dated in ``year``: its opening entries (``AN``, written by the
    previous year's closing) first — A47 A-1 LPF: the FEC of a year holds its own opening
    entries — then the others in the order of the chain (validation order)."""
    link = (
        select(ChainLink.record_id, ChainLink.seq)
        .where(ChainLink.record_type == "entry")
        .subquery()
    )
    query = (
        select(JournalEntry)
        .outerjoin(link, link.c.record_id == JournalEntry.id)
        .where(
            JournalEntry.validated_at.is_not(None),
            JournalEntry.date >= date(year, 1, 1),
            JournalEntry.date <= date(year, 12, 31),
        )
        .options(selectinload(JournalEntry.lines))
        .order_by(JournalEntry.journal != "AN", link.c.seq.is_(None), link.c.seq, JournalEntry.id)
    )
    return list(db.session.scalars(query))


def _fec_lines(row: JournalEntry, letters: dict[int, Letter]) -> list[ledger.FecLine]:
    """The entry's FEC lines; a lettered 411 line carries its code and DateLet."""
    assert row.number is not None and row.validated_at is not None
    return [
        ledger.FecLine(
            journal_code=row.journal,
            journal_label=JOURNALS.get(row.journal, row.journal),
            entry_number=row.number,
            entry_date=row.date,
            account_number=ln.account_number,
            account_label=ln.account_label,
            aux_number=ln.aux_number,
            aux_label=ln.aux_label,
            piece_ref=row.piece_ref,
            piece_date=row.piece_date,
            label=ln.label,
            debit=D(ln.debit),
            credit=D(ln.credit),
            valid_date=row.validated_at.date(),
            matching=letters[ln.id].code if ln.id in letters else None,
            matching_date=letters[ln.id].day if ln.id in letters else None,
        )
        for ln in row.lines
    ]


def build_fec(year: int) -> FecFile:
    """The year's FEC (A47 A-1 LPF): validated entries of the year in validation order."""
    org = db.session.scalar(select(Organisation).limit(1))
    if org is None or not org.siren:
        raise BooksError(tr("le SIREN du groupement n'est pas renseigné"))
    rows = _in_validation_order(year)
    letters = letters_within(date(year, 1, 1), date(year, 12, 31))
    lines = [line for row in rows for line in _fec_lines(row, letters)]
    data = ledger.write_fec(lines)
    return FecFile(ledger.fec_filename(org.siren, date(year, 12, 31)), data, len(rows), len(lines))


def download_fec(year: int) -> FecFile:
    """The year's FEC handed to a user: built, and the export kept in the audit log."""
    out = build_fec(year)
    audit.record("export", "fec", year, summary=f"{out.filename}: {out.entries} entries")
    db.session.commit()
    return out
