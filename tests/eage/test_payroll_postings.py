"""Payroll in the books as an accountant checks it: the general reduction split between the
URSSAF and Agirc-Arrco as the DSN imputes it, training and apprenticeship taxes in 63x, the
employer cost in the charges, and the month's debts (421 / 431 / 437 / 4421) settled from the
bank (SPEC §5 "Accounting entries")."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from accounting import chart, ledger
from accounting.ledger import AccountRef, Accounts, PayslipData, PayslipLineData
from eage.allocation import services as allocation_services
from eage.books.errors import BooksError
from eage.closing import services as closing
from eage.extensions import db
from eage.models import Invoice, Payslip
from eage.models.books import JournalEntry, JournalLine, Settlement
from eage.payslips import salary_tax, settlements
from eage.regularisation import services as regularisation
from payroll import load_params
from payroll.imputation import reduction_max_coefficient, reduction_retirement_ratio
from payroll.salary_tax import salary_tax_rules
from tests.eage.closing.conftest import add_time, october_time  # noqa: F401

OCT = date(2026, 10, 1)
TODAY = date(2026, 11, 28)
ACCOUNTS = Accounts(
    by_purpose={
        a.purpose: AccountRef(a.number, a.label) for a in chart.DEFAULT_ACCOUNTS if a.purpose
    },
    by_service={},
)
HEADING_RGDU = "EXONÉRATIONS, ÉCRÊTEMENTS ET ALLÈGEMENTS DE COTISATIONS"


# --------------------------------------------------------------------------- the RGDU split


def test_the_retirement_share_is_6_01_percent_over_the_coefficients_maximum() -> None:
    """urssaf.fr « règles d'imputation »: Agirc-Arrco share = reduction × 0.0601 ÷ T. 2026
    RGDU: T = Tmin 0.02 + Tdelta 0.3781 = 0.3981 under 50 staff, 0.4021 from 50; 2025
    « Fillon »: T = 0.3194, 0.3193 from 1 May 2025 (AT/MP and chômage rates)."""
    p26, p25 = load_params(2026), load_params(2025)
    assert reduction_max_coefficient(p26, OCT, large_employer=False) == Decimal("0.3981")
    assert reduction_max_coefficient(p26, OCT, large_employer=True) == Decimal("0.4021")
    assert reduction_retirement_ratio(p26, OCT, large_employer=False) == Decimal(
        "0.0601"
    ) / Decimal("0.3981")
    assert reduction_retirement_ratio(p25, date(2025, 1, 31), large_employer=False) == Decimal(
        "0.0601"
    ) / Decimal("0.3194")
    assert reduction_retirement_ratio(p25, date(2025, 5, 31), large_employer=False) == Decimal(
        "0.0601"
    ) / Decimal("0.3193")
    # 2025, 100.00 € of reduction: 100 × 0.0601 ÷ 0.3194 = 18.816… → 18.82 € to Agirc-Arrco,
    # 81.18 € (≈ 100 × 0.2593 ÷ 0.3194) to the URSSAF.
    ratio = reduction_retirement_ratio(p25, date(2025, 1, 31), large_employer=False)
    assert ledger.reduction_split(Decimal("100.00"), ratio) == (Decimal("81.18"), Decimal("18.82"))


def _reference_slip(ratio: Decimal) -> PayslipData:
    """The URSSAF reference case of tests/accounting (2,400 € gross, October 2026), reduced to
    the lines the split touches."""
    lines = (
        PayslipLineData("maladie", "SANTÉ", Decimal("0"), Decimal("312.00")),
        PayslipLineData("vieillesse_plafonnee", "RETRAITE", Decimal("165.60"), Decimal("205.20")),
        PayslipLineData("agirc_arrco_t1", "RETRAITE", Decimal("75.60"), Decimal("113.28")),
        PayslipLineData("ceg_t1", "RETRAITE", Decimal("20.64"), Decimal("30.96")),
        PayslipLineData("rgdu", HEADING_RGDU, Decimal("0"), Decimal("-494.64")),
    )
    return PayslipData(
        "BP-2026-10-KBENALI",
        date(2026, 10, 31),
        "KBENALI",
        "Karim Benali",
        Decimal("2400.00"),
        Decimal("0"),
        Decimal("2138.16"),
        lines,
        reduction_retirement_ratio=ratio,
    )


def test_rgdu_split_between_urssaf_and_agirc_arrco_to_the_cent() -> None:
    """RGDU 494.64 € (2,400 € gross, under 50 staff): 494.64 × 0.0601 ÷ 0.3981 = 74.674… →
    74.67 € reduces what is owed to Agirc-Arrco (437100) and the retirement charge (6453);
    the other 419.97 € reduces 431 and 6451."""
    ratio = reduction_retirement_ratio(load_params(2026), OCT, large_employer=False)
    entry = ledger.payroll_entry(_reference_slip(ratio), ACCOUNTS)
    got = {ln.account: ln.debit - ln.credit for ln in entry.lines}
    assert got["645300"] == Decimal("113.28") + Decimal("30.96") - Decimal("74.67")  # 69.57
    assert got["437100"] == -(
        Decimal("75.60") + Decimal("113.28") + Decimal("20.64") + Decimal("30.96")
    ) + Decimal("74.67")  # 240.48 − 74.67 = 165.81 owed to Agirc-Arrco
    assert got["645100"] == Decimal("312.00") + Decimal("205.20") - Decimal("419.97")
    assert got["431000"] == -(Decimal("165.60") + Decimal("517.20") - Decimal("419.97"))
    assert entry.total_debit == entry.total_credit


def test_without_a_ratio_the_whole_reduction_stays_on_the_urssaf() -> None:
    entry = ledger.payroll_entry(_reference_slip(Decimal("0")), ACCOUNTS)
    got = {ln.account: ln.debit - ln.credit for ln in entry.lines}
    assert got["645300"] == Decimal("144.24")
    assert got["437100"] == Decimal("-240.48")


# --------------------------------------------------------------------------- a closed month


def _entry(slip: Payslip) -> dict[str, Decimal]:
    entry = db.session.scalars(select(JournalEntry).where(JournalEntry.payslip_id == slip.id)).one()
    out: dict[str, Decimal] = {}
    for ln in entry.lines:
        out[ln.account_number] = out.get(ln.account_number, Decimal(0)) + ln.debit - ln.credit
    return out


def _employer(slip: Payslip, *prefixes: str) -> Decimal:
    return sum(
        (
            Decimal(line["employer_amount"])
            for line in slip.lines
            if str(line.get("code", "")).startswith(prefixes)
        ),
        Decimal(0),
    )


@pytest.fixture()
def october(october_time) -> list[Payslip]:  # noqa: F811
    closing.close_month(OCT, today=TODAY)
    return list(db.session.scalars(select(Payslip).order_by(Payslip.number)))


def test_october_payslips_in_the_books_as_the_accountant_expects(october) -> None:
    """Each PA entry: 641 + 64x + 63x = the payslip's employer cost to the cent; training
    (art. L6331-1 C. trav.) in 633300 and apprenticeship tax (art. L6241-1 C. trav., due by
    non-profit associations from March 2026) in 631200, both still owed to 431; the RGDU's
    Agirc-Arrco share (× 0.0601 ÷ 0.3981, half-up) moved from 431 to 437100."""
    ratio = Decimal("0.0601") / Decimal("0.3981")
    assert len(october) == 3
    for slip in october:
        got = _entry(slip)
        charges = sum((v for k, v in got.items() if k.startswith(("641", "64", "63"))), Decimal(0))
        assert charges == slip.employer_cost
        assert got["633300"] == _employer(slip, "formation_professionnelle") > 0
        assert got["631200"] == _employer(slip, "taxe_apprentissage") > 0
        share = (slip.rgdu * ratio).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
        assert share > 0
        assert got["645300"] == _employer(slip, "agirc_arrco", "ceg", "cet", "apec") - share
        assert sum(got.values(), Decimal(0)) == 0
    kbenali = next(s for s in october if s.number.endswith("KBENALI"))
    assert kbenali.rgdu == Decimal("494.64")
    assert _entry(kbenali)["437100"] == Decimal("-165.81")


# --------------------------------------------------------------------------- settlements


def _balance(account: str) -> Decimal:
    rows = db.session.execute(
        select(JournalLine.debit, JournalLine.credit).where(JournalLine.account_number == account)
    ).all()
    return sum((d - c for d, c in rows), Decimal(0))


def test_settling_october_pays_each_debt_from_the_bank(october) -> None:
    owed = {o.kind: o.amount for o in settlements.month_settlements("2026-10")}
    assert owed["net_pay"] == sum(s.net_paid for s in october)
    assert owed["withholding_tax"] == sum(s.tax_withheld for s in october)
    assert owed["net_pay"] + owed["withholding_tax"] + owed["urssaf"] + owed["retirement"] + owed[
        "health"
    ] == sum(s.net_paid + s.tax_withheld + s.employee_contributions for s in october) + sum(
        s.employer_cost - s.gross for s in october
    )
    row = settlements.settle("2026-10", "net_pay", date(2026, 11, 5), reference="VIR-SAL-10")
    entry = db.session.scalars(
        select(JournalEntry).where(JournalEntry.settlement_id == row.id)
    ).one()
    assert (entry.journal, entry.origin, entry.date) == ("BQ", "settlement", date(2026, 11, 5))
    assert entry.number.startswith("BQ-2026-")
    assert [(ln.account_number, ln.debit, ln.credit) for ln in entry.lines] == [
        ("421000", owed["net_pay"], Decimal("0.00")),
        ("512000", Decimal("0.00"), owed["net_pay"]),
    ]
    assert _balance("421000") == 0
    done, problems = settlements.settle_month("2026-10", date(2026, 11, 15))
    assert problems == []
    assert {s.kind for s in done} == {"urssaf", "retirement", "health", "withholding_tax"}
    for account in ("431000", "437100", "437200", "442100"):
        assert _balance(account) == 0, account
    assert _balance("512000") == -sum(owed.values(), Decimal(0))


def test_a_settlement_is_refused_twice_for_an_open_month_and_with_every_reason(
    october,
) -> None:
    settlements.settle("2026-10", "urssaf", date(2026, 11, 15))
    with pytest.raises(BooksError) as twice:
        settlements.settle("2026-10", "urssaf", date(2026, 11, 16))
    assert twice.value.messages() == ["URSSAF de 2026-10 : déjà réglé"]
    with pytest.raises(BooksError) as early:
        settlements.settle("2026-10", "net_pay", date(2026, 10, 30), amount=Decimal("1.00"))
    messages = early.value.messages()
    assert len(messages) == 2
    assert "diffère de ce qui est dû" in messages[0]
    assert "précède la fin du mois payé (31/10/2026)" in messages[1]
    with pytest.raises(BooksError) as open_month:
        settlements.settle("2026-11", "net_pay", date(2026, 12, 5))
    assert open_month.value.messages() == [
        "le mois 2026-11 n'est pas clôturé : sa paie n'est pas définitive",
        "Salaires nets de 2026-11 : rien n'est dû au compte 421000",
    ]
    db.session.rollback()
    assert db.session.scalars(select(Settlement)).all()[0].kind == "urssaf"
    assert len(db.session.scalars(select(Settlement)).all()) == 1


def test_settlements_page_and_cli(october, login_as, runner) -> None:
    client = login_as("accountant")
    page = client.get("/paie/reglements?mois=2026-10").get_data(as_text=True)
    assert "Enregistrer le paiement" in page
    assert 'value="2026-11-05"' in page and 'value="2026-11-15"' in page
    done = client.post(
        "/paie/reglements?mois=2026-10",
        data={"kind": "net_pay", "date": "2026-11-05", "reference": "VIR-1"},
    )
    assert done.status_code == 302
    page = client.get("/paie/reglements?mois=2026-10").get_data(as_text=True)
    assert "Payé le 05/11/2026" in page and "BQ-2026-" in page
    result = runner.invoke(args=["settle-payroll", "2026-10", "--date", "2026-11-15"])
    assert result.exit_code == 0, result.output
    assert "2026-10 urssaf:" in result.output
    again = runner.invoke(
        args=["settle-payroll", "2026-10", "--date", "2026-11-15", "--kind", "urssaf"]
    )
    assert again.exit_code != 0
    assert "déjà réglé" in again.output


# --------------------------------------------------------------------------- salary tax


def test_salary_tax_of_the_year_from_the_books(october, login_as, runner) -> None:
    """Art. 231 CGI: ratio = receipts without VAT (FABRIQUE, 261 B) ÷ all receipts of the
    group's first year; each employee's gross of the year × ratio through the brackets; the
    associations' allowance (24,256 €, art. 1679 A CGI) absorbs it: nothing due."""
    computed = salary_tax.compute(2026)
    r = computed.result
    assert computed.ratio_year == 2026  # no 2025 receipts: the first year's own ratio
    invoices = db.session.scalars(select(Invoice)).all()
    exempt = sum((i.total_excl_tax for i in invoices if i.vat == 0), Decimal(0))
    taxed = sum((i.total_excl_tax for i in invoices if i.vat > 0), Decimal(0))
    assert (r.receipts.not_vat_liable, r.receipts.vat_liable) == (exempt, taxed)
    assert r.ratio == int(exempt * 100 / (exempt + taxed))
    assert 0 < r.ratio < 100
    assert {e.code: e.gross for e in r.employees} == {s.employee.code: s.gross for s in october}
    assert r.tax_before_allowance > 0
    assert r.allowance == r.tax_before_allowance and r.due == 0
    page = login_as("manager").get("/paie/taxe-sur-les-salaires?annee=2026")
    assert page.status_code == 200
    assert f"{r.ratio} %" in page.get_data(as_text=True)
    result = runner.invoke(args=["salary-tax", "2026", "--post"])
    assert result.exit_code != 0
    assert "aucune taxe sur les salaires n'est due pour 2026" in result.output


def test_salary_tax_due_is_posted_at_year_end_and_recharged(october, monkeypatch) -> None:
    """Without the allowance and the franchise (an employer that is not an association), the
    tax is due: OD at 31/12 D 631100 / C 447000, once; the year's allocation carries it in
    the structure cost (SPEC §5: structure = internal + overheads − income + salary tax)."""
    rules = salary_tax_rules(load_params(2026))
    bare = dataclasses.replace(
        rules, association_allowance=Decimal(0), franchise=Decimal(0), decote_limit=Decimal(0)
    )
    monkeypatch.setattr(salary_tax, "salary_tax_rules", lambda params: bare)
    before = allocation_services.compute("2026-01", "2026-12").result
    due = salary_tax.compute(2026).result.due
    assert due > 0 and due == due.to_integral_value()
    # not posted yet: the regularisation would recharge too little, it refuses
    assert regularisation._salary_tax_refusal(2026) == [
        f"la taxe sur les salaires 2026 ({due} €) n'est pas comptabilisée : comptabilisez-la "
        "d'abord (Paie › Taxe sur les salaires), elle fait partie du coût réel à refacturer"
    ]
    row = salary_tax.post(2026)
    assert regularisation._salary_tax_refusal(2026) == []
    assert (row.journal, row.origin, row.date) == ("OD", "payroll_tax", date(2026, 12, 31))
    assert [(ln.account_number, ln.debit, ln.credit) for ln in row.lines] == [
        ("631100", due, Decimal("0.00")),
        ("447000", Decimal("0.00"), due),
    ]
    with pytest.raises(BooksError, match="déjà comptabilisée"):
        salary_tax.post(2026)
    db.session.rollback()
    after = allocation_services.compute("2026-01", "2026-12").result
    assert after.overheads == before.overheads + due
    assert after.structure_cost == before.structure_cost + due
