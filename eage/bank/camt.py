"""CAMT.053 (ISO 20022 BankToCustomerStatement, versions 001.02 and 001.08, what French
banks export) → :class:`Statement`. Parsed with lxml without entities nor network (an
upload is untrusted). An entry (``Ntry``) with several transaction details (``TxDtls``)
each carrying an amount — a SEPA direct-debit batch credited at once — becomes one line per
detail, so each is matched on its own ``EndToEndId``. Lines are numbered as entries in the
file (``ligne N`` = the N-th ``Ntry``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from accounting.money import D, is_whole_cents
from accounting.problems import Problem, ProblemsError
from eage.bank.statement import Statement, StatementLine, compact_iban, line_problem
from eage.filters import tr

NAMESPACES = (
    "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02",
    "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08",
)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class _Reader:
    """Paths like ``Acct/Id/IBAN`` in the document's namespace."""

    def __init__(self, ns: str) -> None:
        self.ns = ns

    def _path(self, path: str) -> str:
        return "/".join(f"{{{self.ns}}}{step}" for step in path.split("/"))

    def all(self, el: etree._Element, path: str) -> list[etree._Element]:
        return list(el.iterfind(self._path(path)))

    def text(self, el: etree._Element, *paths: str) -> str | None:
        for path in paths:
            found = el.find(self._path(path))
            if found is not None and (found.text or "").strip():
                return (found.text or "").strip()
        return None


def is_camt(data: bytes) -> bool:
    head = data[:2000]
    return b"camt.053" in head and b"<" in head


def parse_camt(data: bytes) -> Statement:
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ProblemsError.single(tr("fichier CAMT.053 illisible : %(exc)s", exc=exc)) from exc
    ns = etree.QName(root).namespace or ""
    if ns not in NAMESPACES:
        raise ProblemsError.single(
            tr(
                "version CAMT non prise en charge : %(ns)s "
                "(attendu camt.053.001.02 ou camt.053.001.08)",
                ns=ns or tr("sans espace de noms"),
            )
        )
    r = _Reader(ns)
    statements = r.all(root, "BkToCstmrStmt/Stmt")
    if len(statements) != 1:
        raise ProblemsError.single(
            tr(
                "le fichier contient %(n)s relevés : un seul relevé par fichier",
                n=len(statements),
            )
        )
    return _statement(r, statements[0])


def _amount(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = D(text)
    except (InvalidOperation, ValueError, TypeError):
        return None
    return value if is_whole_cents(value) else None


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _balance(r: _Reader, stmt: etree._Element, code: str) -> Decimal | None:
    for bal in r.all(stmt, "Bal"):
        if r.text(bal, "Tp/CdOrPrtry/Cd") == code:
            amount = _amount(r.text(bal, "Amt"))
            if amount is None:
                return None
            return -amount if r.text(bal, "CdtDbtInd") == "DBIT" else amount
    return None


def _statement(r: _Reader, stmt: etree._Element) -> Statement:
    problems: list[Problem] = []
    iban = compact_iban(r.text(stmt, "Acct/Id/IBAN"))
    ident = r.text(stmt, "Id")
    if not iban:
        problems.append(Problem(None, tr("relevé sans IBAN de compte (Acct/Id/IBAN)")))
    if not ident:
        problems.append(Problem(None, tr("relevé sans identifiant (Stmt/Id)")))
    lines: list[StatementLine] = []
    for n, entry in enumerate(r.all(stmt, "Ntry"), start=1):
        lines.extend(_entry_lines(r, entry, n, problems))
    opening, closing = _balance(r, stmt, "OPBD"), _balance(r, stmt, "CLBD")
    if opening is not None and closing is not None and not problems:
        moved = sum((ln.amount for ln in lines), D("0"))
        if opening + moved != closing:
            problems.append(
                Problem(
                    None,
                    tr(
                        "solde d'ouverture %(opening)s + mouvements %(moved)s ≠ solde de "
                        "clôture %(closing)s : relevé incomplet",
                        opening=opening,
                        moved=moved,
                        closing=closing,
                    ),
                )
            )
    if problems:
        raise ProblemsError(problems)
    days = [ln.booking_date for ln in lines]
    start = _day(r.text(stmt, "FrToDt/FrDtTm")) or (min(days) if days else date.today())
    end = _day(r.text(stmt, "FrToDt/ToDtTm")) or (max(days) if days else start)
    assert iban and ident
    return Statement(iban, ident, opening, closing, start, end, tuple(lines), "camt053")


def _entry_lines(
    r: _Reader, entry: etree._Element, n: int, problems: list[Problem]
) -> list[StatementLine]:
    """The lines of one ``Ntry``: itself, or one per transaction detail with an amount."""
    amount = _amount(r.text(entry, "Amt"))
    sign = r.text(entry, "CdtDbtInd")
    booked = _day(r.text(entry, "BookgDt/Dt", "BookgDt/DtTm"))
    status = r.text(entry, "Sts/Cd", "Sts")
    found = len(problems)
    if amount is None or amount <= 0:
        problems.append(line_problem(n, "montant absent ou invalide (Amt)"))
    if sign not in ("CRDT", "DBIT"):
        problems.append(line_problem(n, "sens absent ou invalide (CdtDbtInd)"))
    if booked is None:
        problems.append(line_problem(n, "date de comptabilisation absente (BookgDt)"))
    if status is not None and status not in ("BOOK", "BOOKED"):
        problems.append(line_problem(n, f"écriture non comptabilisée (statut {status})"))
    if len(problems) > found:
        return []
    assert amount is not None and booked is not None
    signed = amount if sign == "CRDT" else -amount
    common = _Common(
        booked,
        _day(r.text(entry, "ValDt/Dt", "ValDt/DtTm")),
        r.text(entry, "RvslInd") in ("true", "1"),
        r.text(entry, "AcctSvcrRef"),
        sign == "CRDT",
    )
    details = r.all(entry, "NtryDtls/TxDtls")
    if len(details) <= 1:
        return [_line(r, details[0] if details else None, signed, common)]
    parts = [_amount(r.text(d, "Amt", "AmtDtls/TxAmt/Amt")) for d in details]
    if any(p is None for p in parts) or sum((p or D("0") for p in parts), D("0")) != amount:
        problems.append(
            line_problem(n, f"les {len(details)} transactions détaillées ne font pas {amount}")
        )
        return []
    return [
        _line(r, d, part if sign == "CRDT" else -part, common)
        for d, part in zip(details, (p for p in parts if p is not None), strict=True)
    ]


@dataclass(frozen=True)
class _Common:
    """What every line of one entry shares."""

    booking_date: date
    value_date: date | None
    reversal: bool
    entry_ref: str | None
    credit: bool


def _line(
    r: _Reader, detail: etree._Element | None, amount: Decimal, common: _Common
) -> StatementLine:
    shared = {
        "booking_date": common.booking_date,
        "value_date": common.value_date,
        "reversal": common.reversal,
    }
    if detail is None:
        return StatementLine(amount=amount, bank_reference=common.entry_ref, **shared)  # type: ignore[arg-type]
    # The other party: the debtor of money in, the creditor of money out (and of a direct
    # debit returned, the debtor it was collected from).
    order = ("Dbtr", "Cdtr") if common.credit or common.reversal else ("Cdtr", "Dbtr")
    name = iban = None
    for party in order:
        name = name or r.text(detail, f"RltdPties/{party}/Nm", f"RltdPties/{party}/Pty/Nm")
        iban = iban or r.text(detail, f"RltdPties/{party}Acct/Id/IBAN")
    remittance = " ".join(
        (t.text or "").strip() for t in r.all(detail, "RmtInf/Ustrd") if t.text
    ) or r.text(detail, "RmtInf/Strd/CdtrRefInf/Ref", "AddtlTxInf")
    e2e = r.text(detail, "Refs/EndToEndId")
    return StatementLine(
        amount=amount,
        counterparty_name=name,
        counterparty_iban=compact_iban(iban),
        remittance=remittance,
        end_to_end_id=None if e2e == "NOTPROVIDED" else e2e,
        bank_reference=r.text(detail, "Refs/AcctSvcrRef") or common.entry_ref,
        return_reason=r.text(detail, "RtrInf/Rsn/Cd"),
        **shared,  # type: ignore[arg-type]
    )
