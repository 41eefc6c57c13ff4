"""The statement parsers, without an app: what the bank sent, to the cent, or every bad line
at once. CAMT.053: ISO 20022 BankToCustomerStatement (camt.053.001.02 as most French banks
still export it, .08 the current version); OFX 1.x; a bank CSV read with its mapping."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accounting.problems import ProblemsError
from eage.bank.camt import parse_camt
from eage.bank.csv_statement import CsvMapping, parse_csv
from eage.bank.ofx import parse_ofx
from tests.eage.bank.camt_builder import Entry, Tx, camt053

D = Decimal

CAMT_02 = b"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-11-30T20:00:00</CreDtTm></GrpHdr>
<Stmt><Id>REL-0042</Id><CreDtTm>2026-11-30T20:00:00</CreDtTm>
<Acct><Id><IBAN>FR76 3000 6000 0112 3456 7890 189</IBAN></Id></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1000.00</Amt>
<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-01</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1487.50</Amt>
<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-30</Dt></Dt></Bal>
<Ntry><Amt Ccy="EUR">500.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-11-05</Dt></BookgDt><ValDt><Dt>2026-11-06</Dt></ValDt>
<AcctSvcrRef>B1</AcctSvcrRef>
<NtryDtls>
<TxDtls><Refs><EndToEndId>F-2026-0012</EndToEndId></Refs><AmtDtls><TxAmt>
<Amt Ccy="EUR">320.00</Amt></TxAmt></AmtDtls>
<RltdPties><Dbtr><Nm>LA FABRIQUE</Nm></Dbtr><DbtrAcct><Id>
<IBAN>FR7610107001011234567890129</IBAN></Id></DbtrAcct></RltdPties></TxDtls>
<TxDtls><Refs><EndToEndId>F-2026-0013</EndToEndId></Refs><AmtDtls><TxAmt>
<Amt Ccy="EUR">180.00</Amt></TxAmt></AmtDtls></TxDtls>
</NtryDtls></Ntry>
<Ntry><Amt Ccy="EUR">12.50</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt>
<Dt>2026-11-30</Dt></BookgDt>
<NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><RmtInf>
<Ustrd>FRAIS TENUE DE COMPTE</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
</Stmt></BkToCstmrStmt></Document>"""


def test_camt_053_001_02_batch_split_per_transaction_with_signed_amounts() -> None:
    st = parse_camt(CAMT_02)
    assert (st.account_iban, st.statement_id) == ("FR7630006000011234567890189", "REL-0042")
    assert (st.opening_balance, st.closing_balance) == (D("1000.00"), D("1487.50"))
    assert [(ln.amount, ln.end_to_end_id) for ln in st.lines] == [
        (D("320.00"), "F-2026-0012"),
        (D("180.00"), "F-2026-0013"),
        (D("-12.50"), None),  # NOTPROVIDED is no reference
    ]
    first = st.lines[0]
    assert first.counterparty_name == "LA FABRIQUE"
    assert first.counterparty_iban == "FR7610107001011234567890129"
    assert (first.booking_date, first.value_date) == (date(2026, 11, 5), date(2026, 11, 6))
    assert st.lines[2].remittance == "FRAIS TENUE DE COMPTE"


def test_camt_053_001_08_rejected_debit_keeps_its_reason_and_reference() -> None:
    data, closing = camt053(
        "S8",
        D("100.00"),
        [
            Entry(
                date(2026, 11, 12),
                False,
                [Tx(D("40.00"), "F-2026-0003", None, "X", None, "AM04")],
                reversal=True,
            )
        ],
        date(2026, 11, 1),
        date(2026, 11, 30),
    )
    (line,) = parse_camt(data).lines
    assert (line.amount, line.reversal, line.return_reason) == (D("-40.00"), True, "AM04")
    assert line.end_to_end_id == "F-2026-0003" and closing == D("60.00")


def test_every_bad_entry_is_reported_and_nothing_is_read() -> None:
    bad = CAMT_02.replace(b'<Amt Ccy="EUR">12.50</Amt>', b'<Amt Ccy="EUR">12,5x</Amt>')
    bad = bad.replace(b"<BookgDt><Dt>2026-11-05</Dt></BookgDt>", b"")
    with pytest.raises(ProblemsError) as exc:
        parse_camt(bad)
    messages = [p.message for p in exc.value.problems]
    assert messages == [
        "ligne 1 : date de comptabilisation absente (BookgDt)",
        "ligne 2 : montant absent ou invalide (Amt)",
    ]


def test_a_statement_whose_lines_do_not_make_its_closing_balance_is_refused() -> None:
    with pytest.raises(ProblemsError, match="relevé incomplet"):
        parse_camt(CAMT_02.replace(b">1487.50<", b">1487.51<"))


def test_an_xml_bomb_is_not_expanded() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        + CAMT_02.split(b"?>", 1)[1].replace(b"REL-0042", b"&b;")
    )
    with pytest.raises(ProblemsError):
        parse_camt(bomb)


OFX = b"""OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>
<DTSERVER>20261130<LANGUAGE>FRA</SONRS></SIGNONMSGSRSV1>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<STMTRS><CURDEF>EUR<BANKACCTFROM>
<BANKID>30006<BRANCHID>00001<ACCTID>00012345678<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20261101<DTEND>20261130
<STMTTRN>
<TRNTYPE>CREDIT<DTPOSTED>20261105<TRNAMT>86.99<FITID>T1
<NAME>LA FABRIQUE<MEMO>Facture F-2026-0001</STMTTRN>
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261130<TRNAMT>-12.50<FITID>T2<NAME>FRAIS</STMTTRN>
</BANKTRANLIST><LEDGERBAL><BALAMT>1074.49<DTASOF>20261130</LEDGERBAL></STMTRS></STMTTRNRS>
</BANKMSGSRSV1></OFX>
"""


def test_ofx_statement() -> None:
    st = parse_ofx(OFX)
    assert st.account_iban == "300060000100012345678"  # bank, branch, account: no IBAN in OFX
    assert [(ln.amount, ln.remittance, ln.bank_reference) for ln in st.lines] == [
        (D("86.99"), "Facture F-2026-0001", "T1"),
        (D("-12.50"), "FRAIS", "T2"),
    ]
    assert (st.opening_balance, st.closing_balance) == (D("1000.00"), D("1074.49"))


MAPPING = CsvMapping(
    account_iban="FR76 3000 6000 0112 3456 7890 189",
    date_column="Date opération",
    label_column="Libellé",
    debit_column="Débit",
    credit_column="Crédit",
)


def test_csv_with_debit_and_credit_columns_and_decimal_comma(app) -> None:
    data = (
        "Date opération;Libellé;Débit;Crédit\n"
        "05/11/2026;VIR LA FABRIQUE F-2026-0001;;1 086,99\n"
        "30/11/2026;FRAIS;12,50;\n"
    ).encode()
    st = parse_csv(data, MAPPING)
    assert [(ln.booking_date, ln.amount) for ln in st.lines] == [
        (date(2026, 11, 5), D("1086.99")),
        (date(2026, 11, 30), D("-12.50")),
    ]
    assert st.account_iban == "FR7630006000011234567890189"


def test_csv_every_bad_row_by_its_line_number(app) -> None:
    data = "Date opération;Libellé;Débit;Crédit\n31/02/2026;X;;1,00\n05/11/2026;Y;abc;\n".encode()
    with pytest.raises(ProblemsError) as exc:
        parse_csv(data, MAPPING)
    assert [p.message for p in exc.value.problems] == [
        "ligne 2 : date « 31/02/2026 » illisible (attendu %d/%m/%Y)",
        "ligne 3 : montant illisible",
    ]
