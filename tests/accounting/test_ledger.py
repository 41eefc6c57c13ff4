"""The books' pure domain: posting rules, balance checks, the chain, the FEC (A47 A-1 LPF)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accounting import chart, ledger
from accounting.ledger import (
    FEC_COLUMNS,
    AccountRef,
    Accounts,
    ChainItem,
    Entry,
    EntryLine,
    PayslipData,
    PayslipLineData,
    SalesDocument,
    SalesLine,
)
from accounting.vat import VatMove

ACCOUNTS = Accounts(
    by_purpose={
        a.purpose: AccountRef(a.number, a.label) for a in chart.DEFAULT_ACCOUNTS if a.purpose
    },
    by_service={
        code: AccountRef(number, f"Mises à disposition {code}")
        for code, number in chart.DEFAULT_SERVICE_ACCOUNTS.items()
    },
)
DAY = date(2026, 10, 31)


def amounts(entry: Entry) -> dict[tuple[str, str | None], tuple[Decimal, Decimal]]:
    return {(ln.account, ln.service_code): (ln.debit, ln.credit) for ln in entry.lines}


# --------------------------------------------------------------------------- chart


@pytest.mark.parametrize(
    ("code", "heading", "body"),
    [
        ("maladie", "SANTÉ", "urssaf"),
        ("complementaire_sante", "SANTÉ", "health"),
        ("prevoyance_cadre", "SANTÉ", "health"),
        ("vieillesse_plafonnee", "RETRAITE", "urssaf"),  # old-age insurance: URSSAF
        ("agirc_arrco_t1", "RETRAITE", "retirement"),  # Agirc-Arrco
        ("ceg_t2", "RETRAITE", "retirement"),
        ("cet", "RETRAITE", "retirement"),
        ("apec", "ASSURANCE CHÔMAGE", "retirement"),  # collected by Agirc-Arrco
        ("chomage", "ASSURANCE CHÔMAGE", "urssaf"),  # collected by the URSSAF since 2011
        ("csg_deductible", "CSG déductible de l'impôt sur le revenu", "urssaf"),
        ("rgdu", "EXONÉRATIONS, ÉCRÊTEMENTS ET ALLÈGEMENTS DE COTISATIONS", "urssaf"),
    ],
)
def test_contribution_bodies(code: str, heading: str, body: str) -> None:
    assert chart.contribution_body(code, heading) == body


def test_default_chart_has_one_account_per_purpose_and_pcg_numbers() -> None:
    purposes = [a.purpose for a in chart.DEFAULT_ACCOUNTS if a.purpose]
    assert sorted(purposes) == sorted(chart.PURPOSES)
    numbers = [a.number for a in chart.DEFAULT_ACCOUNTS]
    assert len(set(numbers)) == len(numbers)
    assert all(n[:3].isdigit() and len(n) == 6 for n in numbers)
    assert chart.member_aux_number("lefil") == "411LEFIL"
    assert chart.service_account("PAIE", 0) == "706200"
    assert chart.service_account("FORMATION", 0) == "706400"


# --------------------------------------------------------------------------- VT


@pytest.mark.parametrize(
    ("on_receipt", "vat_account"),
    [
        (True, "445740"),  # art. 269-2-c CGI: due on receipt, 44574 until paid (the default)
        (False, "445710"),  # option for debits: due at invoicing, 44571 at once
    ],
)
def test_invoice_with_vat_debits_the_member_and_credits_706_per_service_and_the_vat(
    on_receipt: bool, vat_account: str
) -> None:
    doc = SalesDocument(
        "F-2026-0002",
        "invoice",
        DAY,
        "LEFIL",
        "Le Fil",
        (
            SalesLine("service", Decimal("319.98"), "GESTION"),
            SalesLine("service", Decimal("71.97"), "PAIE"),
        ),
        vat=Decimal("78.39"),
        total_incl_tax=Decimal("470.34"),
        vat_on_receipt=on_receipt,
    )
    entry = ledger.sales_entry(doc, ACCOUNTS)
    assert entry.journal == "VT" and entry.piece_ref == "F-2026-0002"
    assert amounts(entry) == {
        ("411000", None): (Decimal("470.34"), Decimal("0")),
        ("706100", "GESTION"): (Decimal("0"), Decimal("319.98")),
        ("706200", "PAIE"): (Decimal("0"), Decimal("71.97")),
        (vat_account, None): (Decimal("0"), Decimal("78.39")),
    }
    receivable = entry.lines[0]
    assert (receivable.aux_number, receivable.aux_label) == ("411LEFIL", "Le Fil")
    assert all(ln.member_code == "LEFIL" for ln in entry.lines)


def test_credit_note_is_the_invoice_reversed() -> None:
    lines = (SalesLine("service", Decimal("49.88"), "RESEAU"),)
    invoice = ledger.sales_entry(
        SalesDocument(
            "F-2026-0001",
            "invoice",
            DAY,
            "FABRIQUE",
            "La Fabrique",
            lines,
            Decimal("0"),
            Decimal("49.88"),
        ),
        ACCOUNTS,
    )
    note = ledger.sales_entry(
        SalesDocument(
            "A-2026-0001",
            "credit_note",
            DAY,
            "FABRIQUE",
            "La Fabrique",
            lines,
            Decimal("0"),
            Decimal("49.88"),
        ),
        ACCOUNTS,
    )
    assert [(ln.account, ln.debit, ln.credit) for ln in note.lines] == [
        (ln.account, ln.credit, ln.debit) for ln in invoice.lines
    ]
    assert len(note.lines) == 2  # no VAT line for an exempt member (art. 261 B CGI)


def test_fee_goes_to_756_without_service_and_regularisation_to_the_service_account() -> None:
    doc = SalesDocument(
        "F-2026-0003",
        "invoice",
        DAY,
        "RAISO",
        "Raiso",
        (
            SalesLine("fee", Decimal("120.00")),
            SalesLine("regularisation", Decimal("10.05"), "GESTION"),
            SalesLine("service", Decimal("1.00"), "INCONNU"),
        ),
        Decimal("0"),
        Decimal("131.05"),
    )
    entry = ledger.sales_entry(doc, ACCOUNTS)
    assert amounts(entry)[("756000", None)] == (Decimal("0"), Decimal("120.00"))
    assert amounts(entry)[("706100", "GESTION")] == (Decimal("0"), Decimal("10.05"))
    assert amounts(entry)[("706000", "INCONNU")] == (Decimal("0"), Decimal("1.00"))


def test_a_document_whose_totals_do_not_add_up_is_refused() -> None:
    doc = SalesDocument(
        "F-2026-0004",
        "invoice",
        DAY,
        "LEFIL",
        "Le Fil",
        (SalesLine("service", Decimal("100.00"), "GESTION"),),
        Decimal("20.00"),
        Decimal("120.01"),
    )
    with pytest.raises(ledger.UnbalancedEntry, match="déséquilibrée"):
        ledger.sales_entry(doc, ACCOUNTS)


# --------------------------------------------------------------------------- PA

# The URSSAF reference case (LEGAL-FACTS §6): 2,400 € gross, non-cadre, 2026, PAS 2 %.
SLIP_LINES = (
    PayslipLineData("complementaire_sante", "SANTÉ", Decimal("20.00"), Decimal("20.00")),
    PayslipLineData("maladie", "SANTÉ", Decimal("0.00"), Decimal("312.00")),
    PayslipLineData(
        "atmp", "ACCIDENTS DU TRAVAIL - MALADIES PROFESSIONNELLES", Decimal("0"), Decimal("49.92")
    ),
    PayslipLineData("vieillesse_plafonnee", "RETRAITE", Decimal("165.60"), Decimal("205.20")),
    PayslipLineData("vieillesse_deplafonnee", "RETRAITE", Decimal("9.60"), Decimal("50.64")),
    PayslipLineData("agirc_arrco_t1", "RETRAITE", Decimal("75.60"), Decimal("113.28")),
    PayslipLineData("ceg_t1", "RETRAITE", Decimal("20.64"), Decimal("30.96")),
    PayslipLineData("allocations_familiales", "FAMILLE", Decimal("0"), Decimal("126.00")),
    PayslipLineData("chomage", "ASSURANCE CHÔMAGE", Decimal("0"), Decimal("96.00")),
    PayslipLineData("ags", "ASSURANCE CHÔMAGE", Decimal("0"), Decimal("6.00")),
    PayslipLineData(
        "fnal", "AUTRES CONTRIBUTIONS DUES PAR L'EMPLOYEUR", Decimal("0"), Decimal("2.40")
    ),
    PayslipLineData(
        "csa", "AUTRES CONTRIBUTIONS DUES PAR L'EMPLOYEUR", Decimal("0"), Decimal("7.20")
    ),
    PayslipLineData(
        "dialogue_social",
        "AUTRES CONTRIBUTIONS DUES PAR L'EMPLOYEUR",
        Decimal("0"),
        Decimal("0.38"),
    ),
    PayslipLineData(
        "formation_professionnelle",
        "AUTRES CONTRIBUTIONS DUES PAR L'EMPLOYEUR",
        Decimal("0"),
        Decimal("13.20"),
    ),
    PayslipLineData(
        "taxe_apprentissage",
        "AUTRES CONTRIBUTIONS DUES PAR L'EMPLOYEUR",
        Decimal("0"),
        Decimal("14.16"),
    ),
    PayslipLineData(
        "taxe_apprentissage_solde",
        "AUTRES CONTRIBUTIONS DUES PAR L'EMPLOYEUR",
        Decimal("0"),
        Decimal("2.16"),
    ),
    PayslipLineData(
        "csg_deductible", "CSG déductible de l'impôt sur le revenu", Decimal("161.70"), Decimal("0")
    ),
    PayslipLineData(
        "csg_non_deductible",
        "CSG/CRDS non déductible de l'impôt sur le revenu",
        Decimal("57.07"),
        Decimal("0"),
    ),
    PayslipLineData(
        "crds", "CSG/CRDS non déductible de l'impôt sur le revenu", Decimal("11.89"), Decimal("0")
    ),
    PayslipLineData(
        "rgdu",
        "EXONÉRATIONS, ÉCRÊTEMENTS ET ALLÈGEMENTS DE COTISATIONS",
        Decimal("0"),
        Decimal("-494.64"),
    ),
)


def test_payroll_entry_of_the_urssaf_reference_case() -> None:
    # gross 2,400.00; employee contributions 522.10; net before tax 1,877.90; PAS 2 % of
    # the taxable net 1,966.86 = 39.34; net paid 1,838.56; employer cost 2,954.86.
    slip = PayslipData(
        "BP-2026-10-KBENALI",
        DAY,
        "KBENALI",
        "Karim Benali",
        Decimal("2400.00"),
        Decimal("39.34"),
        Decimal("1838.56"),
        SLIP_LINES,
    )
    entry = ledger.payroll_entry(slip, ACCOUNTS)
    got = {ln.account: ln.debit - ln.credit for ln in entry.lines}
    assert got["641100"] == Decimal("2400.00")
    # 645 + 633 + 631 = employer contributions 1,049.50 − RGDU 494.64 = employer cost − gross
    assert got["645100"] + got["645200"] + got["645300"] == Decimal("554.86") - Decimal("29.52")
    # training (0.55 %) in 633300 and apprenticeship tax (0.59 % + 0.09 %) in 631200, not
    # 645 (PCG 633 / 631: taxes on pay), still owed to the URSSAF which collects them
    assert got["633300"] == Decimal("13.20")
    assert got["631200"] == Decimal("14.16") + Decimal("2.16")
    assert got["645200"] == Decimal("20.00")  # health insurance
    assert got["645300"] == Decimal("144.24")  # Agirc-Arrco + CEG
    assert got["421000"] == Decimal("-1838.56")
    assert got["442100"] == Decimal("-39.34")
    assert got["437200"] == Decimal("-40.00")
    assert got["437100"] == Decimal("-240.48")
    assert got["431000"] == -(
        Decimal("522.10")
        + Decimal("1049.50")
        - Decimal("494.64")
        - Decimal("40.00")
        - Decimal("240.48")
    )
    assert entry.total_debit == entry.total_credit == Decimal("2954.86")


def test_a_reduction_larger_than_the_urssaf_charges_goes_to_the_credit_side() -> None:
    lines = (
        PayslipLineData("maladie", "SANTÉ", Decimal("0"), Decimal("10.00")),
        PayslipLineData("agirc_arrco_t1", "RETRAITE", Decimal("5.00"), Decimal("50.00")),
        PayslipLineData("rgdu", "EXONÉRATIONS", Decimal("0"), Decimal("-30.00")),
    )
    slip = PayslipData(
        "BP", DAY, "X", "X", Decimal("100.00"), Decimal("0"), Decimal("95.00"), lines
    )
    entry = ledger.payroll_entry(slip, ACCOUNTS)
    urssaf_charges = next(ln for ln in entry.lines if ln.account == "645100")
    assert (urssaf_charges.debit, urssaf_charges.credit) == (Decimal("0"), Decimal("20.00"))
    assert all(ln.debit >= 0 and ln.credit >= 0 for ln in entry.lines)


def test_payment_entry_settles_the_member_auxiliary_account() -> None:
    entry = ledger.payment_entry(
        day=DAY,
        reference="VIR-1",
        member_code="LEFIL",
        member_name="Le Fil",
        amount=Decimal("100.00"),
        method="Virement",
        accounts=ACCOUNTS,
    )
    assert [(ln.account, ln.aux_number, ln.debit, ln.credit) for ln in entry.lines] == [
        ("512000", None, Decimal("100.00"), Decimal("0")),
        ("411000", "411LEFIL", Decimal("0"), Decimal("100.00")),
    ]


def test_payment_entry_moves_the_vat_it_makes_due_from_44574_to_44571() -> None:
    """Art. 269-2-c CGI: the VAT on services becomes due when the price is received; one
    D 44574 / C 44571 pair per invoice settled, with the member's analytic code."""
    entry = ledger.payment_entry(
        day=DAY,
        reference="VIR-2",
        member_code="LEFIL",
        member_name="Le Fil",
        amount=Decimal("720.00"),
        method="Virement",
        accounts=ACCOUNTS,
        vat_moves=(
            VatMove("F-2026-0001", Decimal("100.00")),
            VatMove("F-2026-0002", Decimal("20.00")),
            VatMove("F-2026-0003", Decimal("0")),  # exempt invoice: nothing moves
        ),
    )
    assert [(ln.account, ln.debit, ln.credit) for ln in entry.lines] == [
        ("512000", Decimal("720.00"), Decimal("0")),
        ("411000", Decimal("0"), Decimal("720.00")),
        ("445740", Decimal("100.00"), Decimal("0")),
        ("445710", Decimal("0"), Decimal("100.00")),
        ("445740", Decimal("20.00"), Decimal("0")),
        ("445710", Decimal("0"), Decimal("20.00")),
    ]
    assert all(ln.member_code == "LEFIL" for ln in entry.lines)
    assert "F-2026-0002" in entry.lines[4].label


# --------------------------------------------------------------------------- checks


def test_check_entry_returns_every_problem_at_once() -> None:
    entry = Entry(
        "OD",
        DAY,
        "",
        "PJ-1",
        DAY,
        (
            EntryLine("9999", "?", debit=Decimal("10.00")),
            EntryLine("512000", "Banque", debit=Decimal("5.00"), credit=Decimal("5.00")),
            EntryLine("471000", "Attente", credit=Decimal("1.005")),
            EntryLine("471000", "Attente"),
        ),
    )
    messages = [(p.line, p.message) for p in ledger.check_entry(entry)]
    assert (None, "indiquez le libellé de l'écriture") in messages
    assert any(line == 1 and "invalide" in m for line, m in messages)
    assert any(line == 2 and "pas les deux" in m for line, m in messages)
    assert any(line == 3 and "deux décimales" in m for line, m in messages)
    assert any(line == 4 and "manquant" in m for line, m in messages)
    assert any(line is None and "déséquilibrée" in m for line, m in messages)


def test_a_balanced_entry_has_no_problem() -> None:
    entry = Entry(
        "OD",
        DAY,
        "Virement interne",
        "PJ-2",
        DAY,
        (
            EntryLine("512000", "Banque", debit=Decimal("10.00")),
            EntryLine("580000", "Virements internes", credit=Decimal("10.00")),
        ),
    )
    assert ledger.check_entry(entry) == []
    assert ledger.assert_balanced(entry) is entry


# --------------------------------------------------------------------------- chain


def test_canonical_json_is_stable() -> None:
    a = ledger.canonical_json({"b": Decimal("1.50"), "a": date(2026, 1, 2), "c": "é"})
    b = ledger.canonical_json({"c": "é", "a": date(2026, 1, 2), "b": Decimal("1.50")})
    assert a == b == '{"a":"2026-01-02","b":"1.50","c":"é"}'
    with pytest.raises(TypeError):
        ledger.canonical_json({"x": 1.5j})


def test_chain_hash_is_sha256_of_previous_plus_payload() -> None:
    import hashlib

    assert ledger.chain_hash("ab", "{}") == hashlib.sha256(b"ab{}").hexdigest()


def _chain(payloads: list[str]) -> list[ChainItem]:
    items, previous = [], ledger.GENESIS
    for n, p in enumerate(payloads, start=1):
        h = ledger.chain_hash(previous, p)
        items.append(ChainItem(n, f"record {n}", previous, h, p))
        previous = h
    return items


def test_verify_chain_intact() -> None:
    items = _chain(['{"n":1}', '{"n":2}', '{"n":3}'])
    report = ledger.verify_chain(items)
    assert report.ok and report.length == 3
    assert (report.first_hash, report.last_hash) == (items[0].hash, items[2].hash)
    assert ledger.verify_chain([]) == ledger.ChainReport(0, None, None, None)


@pytest.mark.parametrize(
    ("tamper", "seq", "reason"),
    [
        (
            lambda it: [
                it[0],
                ChainItem(2, "record 2", it[1].previous_hash, it[1].hash, '{"n":20}'),
                it[2],
            ],
            2,
            "modifié",
        ),
        (lambda it: [it[0], it[2]], 3, "séquence"),
        (
            lambda it: [
                it[0],
                ChainItem(2, "record 2", it[1].previous_hash, it[1].hash, None),
                it[2],
            ],
            2,
            "supprimé",
        ),
        (
            lambda it: [
                it[0],
                ChainItem(2, "record 2", "f" * 64, it[1].hash, it[1].payload),
                it[2],
            ],
            2,
            "précédent",
        ),
    ],
)
def test_verify_chain_names_the_first_broken_link(tamper, seq: int, reason: str) -> None:
    report = ledger.verify_chain(tamper(_chain(['{"n":1}', '{"n":2}', '{"n":3}'])))
    assert not report.ok
    assert report.broken is not None and report.broken.seq == seq and reason in report.broken.reason


# --------------------------------------------------------------------------- FEC


def _fec_lines() -> list[ledger.FecLine]:
    entry = ledger.sales_entry(
        SalesDocument(
            "F-2026-0002",
            "invoice",
            DAY,
            "LEFIL",
            "Le Fil — « Limace »",
            (SalesLine("service", Decimal("1234.50"), "GESTION"),),
            Decimal("246.90"),
            Decimal("1481.40"),
        ),
        ACCOUNTS,
    )
    return [
        ledger.FecLine(
            "VT",
            "Ventes",
            "VT-2026-00001",
            entry.day,
            ln.account,
            ln.account_label,
            ln.aux_number,
            ln.aux_label,
            entry.piece_ref,
            entry.piece_date,
            ln.label + "\tavec tabulation",
            ln.debit,
            ln.credit,
            date(2026, 11, 2),
        )
        for ln in entry.lines
    ]


def test_fec_file_follows_a47_a1() -> None:
    data = ledger.write_fec(_fec_lines())
    assert ledger.check_fec(data, "801234568FEC20261231.txt") == []
    text = data.decode("iso-8859-15")
    header, *records = text.split("\r\n")[:-1]
    assert header.split("\t") == list(FEC_COLUMNS) and len(FEC_COLUMNS) == 18
    assert FEC_COLUMNS[0] == "JournalCode" and FEC_COLUMNS[-1] == "Idevise"
    rows = ledger.parse_fec(data)
    assert len(rows) == len(records) == 3
    first = rows[0]
    assert (first["EcritureDate"], first["ValidDate"], first["Debit"], first["Credit"]) == (
        "20261031",
        "20261102",
        "1481,40",
        "0,00",
    )
    assert first["CompAuxNum"] == "411LEFIL" and first["CompAuxLib"] == "Le Fil - « Limace »"
    assert "\t" not in first["EcritureLib"] and first["EcritureLib"].endswith("avec tabulation")
    assert b"Adh\xe9rents" in data  # é in ISO 8859-15, not UTF-8
    assert "Ã" not in text


def test_fec_amounts_and_file_name() -> None:
    assert ledger.fec_amount(Decimal("1234567.5")) == "1234567,50"
    assert ledger.fec_amount(Decimal("0")) == "0,00"
    assert ledger.fec_filename("801234568", date(2026, 12, 31)) == "801234568FEC20261231.txt"
    with pytest.raises(ledger.FecError):
        ledger.fec_filename("80123", date(2026, 12, 31))
    assert ledger.fec_text("a — b’c …\u202f€") == "a - b'c ... €"
    assert ledger.fec_text("中") == "?"


def test_check_fec_reports_every_problem() -> None:
    good = ledger.write_fec(_fec_lines()).decode("iso-8859-15").split("\r\n")
    cells = good[1].split("\t")
    cells[3] = "2026-10-31"
    cells[11] = "1 481.40"
    bad = "\r\n".join([good[0], "\t".join(cells), *good[2:]]).encode("iso-8859-15")
    problems = ledger.check_fec(bad, "FEC.txt")
    assert any("nom de fichier" in p for p in problems)
    assert any("EcritureDate" in p for p in problems)
    assert any("Debit" in p for p in problems)
    assert any("déséquilibrée" in p for p in problems)
    assert ledger.check_fec(b"JournalCode\tJournalLib\r\n") == [
        f"en-tête invalide : {['JournalCode', 'JournalLib']!r}"
    ]
    short = (good[0] + "\r\nVT\tVentes\r\n").encode("iso-8859-15")
    assert "2 colonnes au lieu de 18" in ledger.check_fec(short)[0]
    assert any("UTF-8" in p for p in ledger.check_fec(b"\xef\xbb\xbf" + good[0].encode()))


def test_result_is_classes_7_minus_6() -> None:
    records = [
        {"CompteNum": "706100", "Debit": "0,00", "Credit": "100,00"},
        {"CompteNum": "641100", "Debit": "60,00", "Credit": "0,00"},
        {"CompteNum": "411000", "Debit": "100,00", "Credit": "0,00"},
    ]
    assert ledger.result_by_class(records) == {
        "6": Decimal("-60.00"),
        "7": Decimal("100.00"),
        "result": Decimal("40.00"),
    }
