"""The books in the app: entries posted with the documents, the FEC of the year (A47 A-1
LPF), the inalterability chain and its check, OD entries, the chart, the ledgers."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, text

from accounting.ledger import FEC_COLUMNS, check_fec, fec_decimal, parse_fec, result_by_class
from eage.books import entries, ledgers
from eage.books.errors import BooksError
from eage.books.fec import build_fec
from eage.books.integrity import verify_integrity
from eage.closing import services as closing
from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.invoicing.services import LineSpec
from eage.locks import take_issuing_lock
from eage.models import Invoice, Member, Organisation, Payslip, Service
from eage.models.books import ChainLink, JournalEntry, JournalLine, LedgerAccount

OCT = date(2026, 10, 1)
TODAY = date(2026, 11, 28)


def member(code: str) -> Member:
    return db.session.scalars(select(Member).where(Member.code == code)).one()


def service(code: str) -> Service:
    return db.session.scalars(select(Service).where(Service.code == code)).one()


def issue(
    code: str,
    lines: list[LineSpec],
    *,
    kind: str = "invoice",
    origin: str = "fee",
    credited: Invoice | None = None,
    day: date = date(2026, 11, 10),
) -> Invoice:
    """Issue a document the way every issuer does (no rendering: the books do not need it)."""
    take_issuing_lock()
    inv = invoicing.issue_document(
        kind=kind,
        origin=origin,
        member=member(code),
        lines=lines,
        period=(date(2026, 1, 1), date(2026, 12, 31)),
        issue_date=day,
        credited=credited,
    )
    db.session.commit()
    return inv


def entry_of(inv: Invoice) -> JournalEntry:
    return db.session.scalars(select(JournalEntry).where(JournalEntry.invoice_id == inv.id)).one()


def fec_total(records: list[dict[str, str]], prefix: str, journal: str = "PA") -> Decimal:
    """Debit − credit of the FEC lines of a journal on accounts starting with ``prefix``."""
    return sum(
        (
            fec_decimal(r["Debit"]) - fec_decimal(r["Credit"])
            for r in records
            if r["CompteNum"].startswith(prefix) and r["JournalCode"] == journal
        ),
        Decimal(0),
    )


def assert_payroll_and_bank_totals(records: list[dict[str, str]], slips: list[Payslip]) -> None:
    """PA = the payslips, account by account; BQ = the payment received."""
    assert fec_total(records, "641") == sum(s.gross for s in slips)
    # employer cost = 641 + 645 + 63x (training and apprenticeship taxes in 633 / 631)
    assert fec_total(records, "645") + fec_total(records, "63") == sum(
        s.employer_cost - s.gross for s in slips
    )
    assert fec_total(records, "421") == -sum(s.net_paid for s in slips)
    assert fec_total(records, "4421") == -sum(s.tax_withheld for s in slips)
    assert fec_total(records, "43") == -sum(
        s.employee_contributions + s.employer_contributions - s.reductions for s in slips
    )
    assert fec_total(records, "512", "BQ") == Decimal("300.00")


# --------------------------------------------------------------------------- the year's FEC


def test_fec_of_the_year_follows_a47_a1_and_agrees_with_the_documents(
    app, october_time, runner, login_as, tmp_path
) -> None:
    """A close (VT + PA), a fee, a partial credit note, a regularisation and a payment, then
    the FEC: format, balance, result = classes 7 + 6, 411 = the members' balances."""
    closing.close_month(OCT, today=TODAY)
    fabrique_invoice = db.session.scalars(
        select(Invoice).where(Invoice.number == "F-2026-0001")
    ).one()
    issue("LEFIL", [LineSpec("fee", "Cotisation 2026", Decimal("250.00"))])
    issue(
        "FABRIQUE",
        [LineSpec("service", "Geste sur le réseau", Decimal("10.00"), service("RESEAU"))],
        kind="credit_note",
        origin="credit",
        credited=fabrique_invoice,
    )
    issue(
        "LEFIL",
        [LineSpec("regularisation", "Régularisation 2026", Decimal("12.34"), service("PAIE"))],
        origin="regularisation",
    )
    invoicing.record_payment(
        member=member("LEFIL"),
        day=date(2026, 11, 20),
        amount=Decimal("300.00"),
        method="virement",
        reference="VIR-42",
    )

    result = runner.invoke(args=["export-fec", "2026", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    siren = db.session.scalar(select(Organisation.siren))
    (path,) = list(tmp_path.iterdir())
    assert path.name == f"{siren}FEC20261231.txt"  # closing date of the year
    data = path.read_bytes()
    assert check_fec(data, path.name) == []

    # Header, 18 columns, separators, formats, encoding (A47 A-1).
    text_ = data.decode("iso-8859-15")
    header, *lines = text_.rstrip("\r\n").split("\r\n")
    assert header == "\t".join(FEC_COLUMNS)
    assert all(len(line.split("\t")) == 18 for line in lines)
    records = parse_fec(data)
    assert all(r["EcritureDate"].isdigit() and len(r["EcritureDate"]) == 8 for r in records)
    assert all(r["ValidDate"] and r["PieceDate"] for r in records)
    assert all("," in r["Debit"] and "." not in r["Debit"] + r["Credit"] for r in records)
    assert b"TVA collect\xe9e" in data and "Ã" not in text_
    assert {r["JournalCode"] for r in records} == {"VT", "PA", "BQ"}

    # Every entry balances.
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for r in records:
        sums[r["EcritureNum"]][0] += fec_decimal(r["Debit"])
        sums[r["EcritureNum"]][1] += fec_decimal(r["Credit"])
    assert all(d == c for d, c in sums.values()) and len(sums) == 2 + 3 + 3 + 1

    # Classes 6 and 7 make the year's result: invoiced excl. tax − payroll cost.
    invoiced = sum(
        (-i.total_excl_tax if i.is_credit_note else i.total_excl_tax)
        for i in db.session.scalars(select(Invoice))
    )
    slips = db.session.scalars(select(Payslip)).all()
    payroll_cost = sum(s.employer_cost for s in slips)
    by_class = result_by_class(records)
    assert by_class["7"] == invoiced
    assert by_class["6"] == -payroll_cost
    assert by_class["result"] == invoiced - payroll_cost

    # 411 auxiliary balances = the members' balances of the payments page.
    aux: dict[str, Decimal] = defaultdict(Decimal)
    for r in records:
        if r["CompAuxNum"]:
            assert r["CompteNum"] == "411000" and r["CompAuxLib"]
            aux[r["CompAuxNum"]] += fec_decimal(r["Debit"]) - fec_decimal(r["Credit"])
        elif r["CompteNum"].startswith("411"):
            pytest.fail("a 411 line without its member auxiliary account")
    for m in db.session.scalars(select(Member)):
        assert aux.get(f"411{m.code}", Decimal("0.00")) == invoicing.member_balance(m.id), m.code
    assert aux["411LEFIL"] == invoicing.member_balance(member("LEFIL").id) != 0

    # Entries in validation order: the order of the chain.
    chained = [
        ref.removeprefix("entry ")
        for ref in db.session.scalars(
            select(ChainLink.reference)
            .where(ChainLink.record_type == "entry")
            .order_by(ChainLink.seq)
        )
    ]
    in_file = list(dict.fromkeys(r["EcritureNum"] for r in records))
    assert in_file == chained

    # VT revenue = invoices − credit notes, per service (fees apart); PA = payslips.
    assert ledgers.revenue_by_service(2026) == ledgers.invoiced_by_service(2026)
    assert ledgers.invoiced_by_service(2026)[None] == Decimal("250.00")
    assert ledgers.invoiced_by_service(2026)["PAIE"] == Decimal("71.97") + Decimal("12.34")

    assert_payroll_and_bank_totals(records, slips)

    # Analytics: every revenue line names its member, service lines their service.
    for line in db.session.scalars(
        select(JournalLine).where(JournalLine.account_number.like("7%"))
    ):
        assert line.member_id is not None
        assert (line.service_id is None) == line.account_number.startswith("756")

    # The download button gives the same file.
    client = login_as("manager")
    response = client.get("/comptabilite/fec/2026")
    assert response.status_code == 200
    assert path.name in response.headers["Content-Disposition"]
    assert response.data == data


# --------------------------------------------------------------------------- integrity


def test_verify_integrity_names_the_record_edited_in_the_database(
    app, october_time, runner, login_as
) -> None:
    closing.close_month(OCT, today=TODAY)
    assert closing.close_month(OCT, today=TODAY).changed is False  # nothing more to chain
    ok = runner.invoke(args=["verify-integrity"])
    assert ok.exit_code == 0, ok.output
    # 3 payslips, 2 invoices, 2 VT + 3 PA entries
    assert "chain length: 10" in ok.output and "chain intact" in ok.output
    first_hash = db.session.scalar(select(ChainLink.hash).where(ChainLink.seq == 1))
    assert f"first hash: {first_hash}" in ok.output

    def tamper(sql: str, expect: int = 1, **params: object) -> str:
        db.session.execute(text(sql), params)  # raw SQL, bypassing the app and its listeners
        db.session.commit()
        out = runner.invoke(args=["verify-integrity", "--no-files"])
        assert out.exit_code == expect, out.output
        return out.output

    out = tamper(
        "UPDATE invoice SET total_incl_tax = total_incl_tax + 1 WHERE number = :n", n="F-2026-0002"
    )
    assert "BROKEN at link 5 (invoice F-2026-0002)" in out and "chain length: 10" in out
    tamper(
        "UPDATE invoice SET total_incl_tax = total_incl_tax - 1 WHERE number = :n",
        0,
        n="F-2026-0002",
    )  # put back: the chain holds again

    line_id, number = db.session.execute(
        select(JournalLine.id, JournalEntry.number)
        .join(JournalEntry)
        .where(JournalEntry.journal == "PA", JournalLine.account_number == "421000")
        .order_by(JournalEntry.seq.desc())
        .limit(1)
    ).one()
    out = tamper("UPDATE journal_line SET credit = credit + 100 WHERE id = :i", i=line_id)
    assert f"(entry {number})" in out and "modifié" in out
    tamper("UPDATE journal_line SET credit = credit - 100 WHERE id = :i", 0, i=line_id)

    out = tamper(
        "UPDATE payslip SET net_social = net_social + 1 WHERE number = :n", n="BP-2026-10-KBENALI"
    )
    assert "(payslip BP-2026-10-KBENALI)" in out

    page = login_as("admin").get("/comptabilite/integrite?fichiers=0").get_data(as_text=True)
    assert "BP-2026-10-KBENALI" in page and "Premier maillon rompu" in page

    # The stored documents are covered too: their bytes must still give their SHA-256.
    db.session.execute(
        text("UPDATE payslip SET net_social = net_social - 1 WHERE number = :n"),
        {"n": "BP-2026-10-KBENALI"},
    )
    db.session.commit()
    assert verify_integrity().ok
    from eage.storage import storage_root

    inv = db.session.scalars(select(Invoice).where(Invoice.number == "F-2026-0001")).one()
    pdf = inv.document("invoice_pdf")
    assert pdf is not None
    (storage_root() / pdf.path).write_bytes(b"%PDF-1.7 forged")
    report = verify_integrity()
    assert report.chain.ok and report.altered_files == [f"invoice F-2026-0001: {pdf.filename}"]
    assert runner.invoke(args=["verify-integrity"]).exit_code == 1


def test_a_validated_entry_is_chained_and_never_deleted_as_a_draft(app, demo) -> None:
    """The ORM's refusals are checked for every frozen model in tests/eage/test_immutability.py."""
    inv = issue("LEFIL", [LineSpec("fee", "Cotisation 2026", Decimal("100.00"))])
    entry = entry_of(inv)
    assert entry.number == "VT-2026-00001" and entry.is_validated
    links = db.session.scalars(select(ChainLink).order_by(ChainLink.seq)).all()
    assert [(ln.seq, ln.reference) for ln in links] == [
        (1, "invoice F-2026-0001"),
        (2, "entry VT-2026-00001"),
    ]
    assert links[1].previous_hash == links[0].hash

    with pytest.raises(BooksError, match="ne peut pas être supprimée"):
        entries.delete_draft(entry_of(inv))
    assert verify_integrity().ok


def test_payment_posts_to_the_bank_journal(app, demo) -> None:
    inv = issue("LEFIL", [LineSpec("fee", "Cotisation 2026", Decimal("100.00"))])
    invoicing.record_payment(
        member=member("LEFIL"),
        day=date(2026, 11, 20),
        amount=Decimal("40.00"),
        method="cheque",
        reference=None,
    )
    bq = db.session.scalars(select(JournalEntry).where(JournalEntry.journal == "BQ")).one()
    assert bq.number == "BQ-2026-00001" and bq.piece_ref.startswith("REG-")
    assert [(ln.account_number, ln.aux_number, ln.debit, ln.credit) for ln in bq.lines] == [
        ("512000", None, Decimal("40.00"), Decimal("0.00")),
        ("411000", "411LEFIL", Decimal("0.00"), Decimal("40.00")),
    ]
    assert ledgers.aux_balances(2026) == {"411LEFIL": invoicing.member_balance(inv.member_id)}
    assert ledgers.aux_balances(2026)["411LEFIL"] == Decimal("60.00")


# --------------------------------------------------------------------------- OD


def test_od_entry_is_balanced_or_refused_then_validated(app, login_as) -> None:
    client = login_as("accountant")
    response = client.post(
        "/comptabilite/plan/nouveau",
        data={"number": "627000", "label": "Services bancaires", "active": "y"},
    )
    assert response.status_code == 302
    form = {
        "day": "2026-11-15",
        "label": "Frais bancaires de novembre",
        "piece_ref": "RELEVE-11",
        "line-1-account": "627000",
        "line-1-debit": "12,50",
        "line-2-account": "512000",
        "line-2-credit": "12,00",
        "line-3-account": "411000",
        "line-3-debit": "1",
        "line-4-account": "999",
        "line-4-credit": "2",
    }
    page = client.post("/comptabilite/ecritures/nouvelle", data=form).get_data(as_text=True)
    for expected in (
        "déséquilibrée",
        "ligne 3 : le compte adhérents demande l&#39;adhérent",
        "ligne 4 : le compte « 999 » n&#39;est pas au plan comptable",
    ):
        assert expected in page
    assert db.session.scalar(select(func.count(JournalEntry.id))) == 0

    form = {
        **form,
        "line-2-credit": "12,50",
        "line-3-account": "",
        "line-3-debit": "",
        "line-4-account": "",
        "line-4-credit": "",
    }
    response = client.post("/comptabilite/ecritures/nouvelle", data=form)
    assert response.status_code == 302
    draft = db.session.scalars(select(JournalEntry)).one()
    assert draft.number is None and not draft.is_validated
    assert [(ln.account_number, ln.debit, ln.credit) for ln in draft.lines] == [
        ("627000", Decimal("12.50"), Decimal("0.00")),
        ("512000", Decimal("0.00"), Decimal("12.50")),
    ]
    assert (
        db.session.scalar(select(func.count()).select_from(ChainLink)) == 0
    )  # drafts are not chained
    assert build_fec(2026).entries == 0

    assert client.post(f"/comptabilite/ecritures/{draft.id}/valider").status_code == 302
    db.session.expire_all()
    entry = db.session.get(JournalEntry, draft.id)
    assert entry is not None and entry.number == "OD-2026-00001" and entry.is_validated
    assert db.session.scalars(select(ChainLink.reference)).all() == ["entry OD-2026-00001"]
    fec = build_fec(2026)
    assert fec.entries == 1 and check_fec(fec.data, fec.filename) == []
    assert result_by_class(parse_fec(fec.data))["result"] == Decimal("-12.50")
    client.post(f"/comptabilite/ecritures/{draft.id}/supprimer")
    assert db.session.get(JournalEntry, draft.id) is not None  # validated: never deleted

    other = entries.create_manual_entry(
        day=date(2026, 11, 16),
        label="Essai",
        piece_ref="X",
        lines=[
            entries.ManualLine("627000", debit=Decimal("1.00")),
            entries.ManualLine("512000", credit=Decimal("1.00")),
        ],
    )
    assert client.post(f"/comptabilite/ecritures/{other.id}/supprimer").status_code == 302
    assert db.session.scalar(select(func.count(JournalEntry.id))) == 1
    assert verify_integrity().ok


# --------------------------------------------------------------------------- chart


def test_chart_is_editable_and_entries_keep_what_they_were_posted_with(app, login_as) -> None:
    client = login_as("accountant")
    page = client.get("/comptabilite/plan").get_data(as_text=True)
    for number in (
        "411000",
        "445710",
        "641100",
        "645100",
        "421000",
        "431000",
        "437100",
        "442100",
        "706100",
        "706200",
        "706300",
        "756000",
    ):
        assert number in page
    before = issue(
        "FABRIQUE",
        [LineSpec("service", "Gestion", Decimal("10.00"), service("GESTION"))],
        origin="monthly",
    )
    account = db.session.scalars(
        select(LedgerAccount).where(LedgerAccount.number == "706100")
    ).one()
    response = client.post(
        f"/comptabilite/plan/{account.id}",
        data={"number": "706110", "label": "Gestion et contrôle de gestion", "active": "y"},
    )
    assert response.status_code == 302
    after = issue(
        "FABRIQUE",
        [LineSpec("service", "Gestion", Decimal("20.00"), service("GESTION"))],
        origin="monthly",
    )
    assert entry_of(before).lines[1].account_number == "706100"
    assert (entry_of(after).lines[1].account_number, entry_of(after).lines[1].account_label) == (
        "706110",
        "Gestion et contrôle de gestion",
    )

    receivable = db.session.scalars(
        select(LedgerAccount).where(LedgerAccount.purpose == "receivable")
    ).one()
    page = client.post(
        f"/comptabilite/plan/{receivable.id}", data={"number": "706200", "label": ""}
    ).get_data(as_text=True)
    for expected in (
        "le compte 706200 existe déjà",
        "indiquez l&#39;intitulé du compte",
        "ne peut pas être désactivé",
    ):
        assert expected in page
    assert verify_integrity().ok


# --------------------------------------------------------------------------- ledgers


def test_trial_balance_and_ledgers_with_filters_totals_and_xlsx(app, login_as) -> None:
    issue(
        "LEFIL",
        [
            LineSpec("service", "Paie", Decimal("100.00"), service("PAIE")),
            LineSpec("service", "Réseau", Decimal("50.00"), service("RESEAU")),
        ],
        origin="monthly",
    )
    issue("FABRIQUE", [LineSpec("fee", "Cotisation", Decimal("30.00"))])
    invoicing.record_payment(
        member=member("LEFIL"),
        day=date(2026, 11, 25),
        amount=Decimal("80.00"),
        method="virement",
        reference="VIR-1",
    )
    client = login_as("manager")

    # 180.00 + 30.00 + 80.00, and the VAT the payment made due (art. 269-2-c CGI): its share
    # round_half_up(80.00 × 30.00 / 180.00) = 13.33 moved from 44574 to 44571.
    rows = ledgers.trial_balance(ledgers.LedgerFilter(date(2026, 1, 1), date(2026, 12, 31)))
    assert sum(r.debit for r in rows) == sum(r.credit for r in rows) == Decimal("303.33")
    page = client.get("/comptabilite/balance?annee=2026").get_data(as_text=True)
    assert "445710" in page and "445740" in page and "706200" in page

    response = client.get("/comptabilite/balance?annee=2026&format=xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    ws = load_workbook(io.BytesIO(response.data)).active
    assert ws["A1"].value == "Balance générale" and ws["A4"].value == "Compte"
    last = ws.max_row
    assert (
        ws.cell(last, 1).value == "Total"
        and ws.cell(last, 3).value == ws.cell(last, 4).value == 303.33
    )
    assert ws.cell(5, 3).number_format.startswith("#,##0.00")

    page = client.get("/comptabilite/grand-livre?annee=2026&compte=706").get_data(as_text=True)
    assert "706200" in page and "706300" in page and "445710" not in page
    sections = ledgers.general_ledger(
        ledgers.LedgerFilter(
            date(2026, 1, 1), date(2026, 12, 31), member_id=member("LEFIL").id, account="7"
        )
    )
    assert [s.account for s in sections] == ["706200", "706300"]
    ws = load_workbook(
        io.BytesIO(client.get("/comptabilite/grand-livre?format=xlsx&annee=2026").data)
    ).active
    assert ws["G4"].value == "Libellé"

    members = ledgers.member_ledger(ledgers.LedgerFilter(date(2026, 1, 1), date(2026, 12, 31)))
    assert [s.account for s in members] == ["411FABRIQUE", "411LEFIL"]
    lefil = members[1]
    assert lefil.rows[-1].balance == lefil.balance == invoicing.member_balance(member("LEFIL").id)
    page = client.get("/comptabilite/adherents?annee=2026&adherent=LEFIL").get_data(as_text=True)
    assert "411LEFIL" in page and "411FABRIQUE" not in page
    assert client.get("/comptabilite/adherents?format=xlsx").status_code == 200
    page = client.get("/comptabilite/?annee=2026&journal=BQ").get_data(as_text=True)
    assert "BQ-2026-00001" in page and "VT-2026-00001" not in page
