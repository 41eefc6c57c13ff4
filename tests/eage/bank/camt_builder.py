"""A CAMT.053.001.08 statement written in the tests (ISO 20022 BankToCustomerStatement)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"
GE_IBAN = "FR7630006000011234567890189"


@dataclass
class Tx:
    amount: Decimal
    e2e: str | None = None
    text: str | None = None
    name: str | None = None
    iban: str | None = None
    reason: str | None = None


@dataclass
class Entry:
    day: date
    credit: bool
    txs: list[Tx] = field(default_factory=list)
    reversal: bool = False
    ref: str = ""

    @property
    def amount(self) -> Decimal:
        return sum((t.amount for t in self.txs), Decimal("0"))


def _tx(tx: Tx, credit: bool, several: bool, reversal: bool) -> str:
    party, acct = ("Dbtr", "DbtrAcct") if credit or reversal else ("Cdtr", "CdtrAcct")
    out = ["<TxDtls><Refs>"]
    out.append(f"<EndToEndId>{escape(tx.e2e or 'NOTPROVIDED')}</EndToEndId></Refs>")
    if several:
        out.append(f'<Amt Ccy="EUR">{tx.amount:.2f}</Amt>')
        out.append(f"<CdtDbtInd>{'CRDT' if credit else 'DBIT'}</CdtDbtInd>")
    if tx.name or tx.iban:
        out.append("<RltdPties>")
        if tx.name:
            out.append(f"<{party}><Pty><Nm>{escape(tx.name)}</Nm></Pty></{party}>")
        if tx.iban:
            out.append(f"<{acct}><Id><IBAN>{tx.iban}</IBAN></Id></{acct}>")
        out.append("</RltdPties>")
    if tx.text:
        out.append(f"<RmtInf><Ustrd>{escape(tx.text)}</Ustrd></RmtInf>")
    if tx.reason:
        out.append(f"<RtrInf><Rsn><Cd>{tx.reason}</Cd></Rsn></RtrInf>")
    out.append("</TxDtls>")
    return "".join(out)


def _entry(e: Entry, n: int) -> str:
    several = len(e.txs) > 1
    details = "".join(_tx(t, e.credit, several, e.reversal) for t in e.txs)
    return (
        f'<Ntry><NtryRef>{n}</NtryRef><Amt Ccy="EUR">{e.amount:.2f}</Amt>'
        f"<CdtDbtInd>{'CRDT' if e.credit else 'DBIT'}</CdtDbtInd>"
        + ("<RvslInd>true</RvslInd>" if e.reversal else "")
        + f"<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>{e.day}</Dt></BookgDt>"
        f"<ValDt><Dt>{e.day}</Dt></ValDt><AcctSvcrRef>{e.ref or f'BQ{n:05d}'}</AcctSvcrRef>"
        f"<BkTxCd/><NtryDtls>{details}</NtryDtls></Ntry>"
    )


def _balance(code: str, amount: Decimal, day: date) -> str:
    return (
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
        f'<Amt Ccy="EUR">{abs(amount):.2f}</Amt>'
        f"<CdtDbtInd>{'CRDT' if amount >= 0 else 'DBIT'}</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>"
    )


def camt053(
    ident: str, opening: Decimal, entries: list[Entry], start: date, end: date, iban: str = GE_IBAN
) -> tuple[bytes, Decimal]:
    """The file and its closing balance."""
    closing = opening + sum((e.amount if e.credit else -e.amount for e in entries), Decimal("0"))
    body = "".join(_entry(e, n) for n, e in enumerate(entries, start=1))
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="{NS}"><BkToCstmrStmt>'
        f"<GrpHdr><MsgId>MSG-{ident}</MsgId><CreDtTm>{end}T20:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>{ident}</Id><ElctrncSeqNb>1</ElctrncSeqNb><CreDtTm>{end}T20:00:00</CreDtTm>"
        f"<FrToDt><FrDtTm>{start}T00:00:00</FrDtTm><ToDtTm>{end}T23:59:59</ToDtTm></FrToDt>"
        f"<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>"
        + _balance("OPBD", opening, start)
        + _balance("CLBD", closing, end)
        + body
        + "</Stmt></BkToCstmrStmt></Document>"
    )
    return xml.encode(), closing
