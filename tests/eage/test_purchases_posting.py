"""Overheads and operating income in the books (SPEC §5 "Accounting entries"): an expense to
the purchases journal HA (6xx / 44566 deductible VAT, art. 271 CGI / 401 per supplier or
512), an operating income to BQ (512 / 74-75, plan comptable associatif ANC 2018-06), posted
by the month close or at once in a closed month, frozen once posted (PCG art. 420-5: a
validated entry is never changed). Over a year, classes 6 and 7 of the FEC (A47 A-1 LPF)
hold payroll + overheads and sales + fees + subsidies."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from accounting import ledger
from accounting.ledger import check_fec, fec_decimal, parse_fec, result_by_class
from eage.allocation import services as allocation
from eage.books import ledgers
from eage.books.fec import build_fec
from eage.closing import services as closing
from eage.expenses import importer, posting, services
from eage.extensions import db
from eage.immutability import ImmutableError
from eage.invoicing import services as invoicing
from eage.invoicing.services import LineSpec
from eage.locks import take_issuing_lock
from eage.models import Expense, Invoice, Member, OperatingIncome, Payslip, Service
from eage.models.books import JournalEntry
from tests.eage.closing.conftest import add_time, october_time  # noqa: F401

D = Decimal
OCT = date(2026, 10, 1)
TODAY = date(2026, 11, 28)

ACCOUNTS = ledger.Accounts(
    {
        "vat_deductible": ledger.AccountRef("445660", "TVA déductible sur ABS"),
        "suppliers": ledger.AccountRef("401000", "Fournisseurs"),
        "bank": ledger.AccountRef("512000", "Banque"),
    },
    {},
)
RENT = ledger.AccountRef("613200", "Locations immobilières")


def lines_of(entry: ledger.Entry | JournalEntry) -> list[tuple[str, Decimal, Decimal]]:
    """(account, debit, credit) of each line."""
    if isinstance(entry, JournalEntry):
        return [(ln.account_number, D(ln.debit), D(ln.credit)) for ln in entry.lines]
    return [(ln.account, ln.debit, ln.credit) for ln in entry.lines]


# --------------------------------------------------------------------------- the pure rules


def test_purchase_with_deductible_vat_on_a_supplier_invoice() -> None:
    """120.00 HT + 24.00 TVA: D 6132 120.00, D 44566 24.00 (art. 271 CGI), C 401 144.00 on
    the supplier's auxiliary account (CompAuxNum/CompAuxLib, A47 A-1)."""
    entry = ledger.purchase_entry(
        ledger.PurchaseData(
            "DEP-000001",
            date(2026, 10, 5),
            RENT,
            "Loyer octobre",
            D("120.00"),
            D("24.00"),
            "supplier",
            "Foncière de l'Été",
            "PAIE",
        ),
        ACCOUNTS,
    )
    assert entry.journal == "HA" and entry.day == date(2026, 10, 5)
    assert lines_of(entry) == [
        ("613200", D("120.00"), D("0")),
        ("445660", D("24.00"), D("0")),
        ("401000", D("0"), D("144.00")),
    ]
    assert entry.lines[0].service_code == "PAIE"  # analytics on the cost line only
    assert entry.lines[2].aux_number == "401FONCIEREDELETE"
    assert entry.lines[2].aux_label == "Foncière de l'Été"


def test_bank_paid_and_refund_and_unnamed_supplier() -> None:
    bank = ledger.purchase_entry(
        ledger.PurchaseData("DEP-2", OCT, RENT, "Frais", D("12.00"), paid_by="bank"), ACCOUNTS
    )
    assert lines_of(bank) == [("613200", D("12.00"), D("0")), ("512000", D("0"), D("12.00"))]
    assert bank.lines[1].aux_number is None
    # A supplier credit note (negative amount and VAT) is the same entry reversed.
    refund = ledger.purchase_entry(
        ledger.PurchaseData("DEP-3", OCT, RENT, "Avoir", D("-50.00"), D("-10.00")), ACCOUNTS
    )
    assert lines_of(refund) == [
        ("613200", D("0"), D("50.00")),
        ("445660", D("0"), D("10.00")),
        ("401000", D("60.00"), D("0")),
    ]
    assert refund.lines[2].aux_number == "401FOURNISSEURSDIVERS"
    assert ledger.supplier_aux_number("Orange Business Services SA") == "401ORANGEBUSINESSSERVIC"


def test_income_entry_to_the_bank_journal() -> None:
    entry = ledger.income_entry(
        reference="PRD-000001",
        day=date(2026, 10, 15),
        account=ledger.AccountRef("740000", "Subventions d'exploitation"),
        label="Subvention Région",
        amount=D("1500.00"),
        accounts=ACCOUNTS,
    )
    assert entry.journal == "BQ" and entry.label == "Subvention Région"
    assert lines_of(entry) == [("512000", D("1500.00"), D("0")), ("740000", D("0"), D("1500.00"))]


# --------------------------------------------------------------------------- in the app


def _expense(**overrides: object) -> Expense:
    data: dict[str, object] = {
        "date": date(2026, 10, 5),
        "account": "613200",
        "label": "Loyer octobre",
        "amount": D("120.00"),
        "vat": D("24.00"),
        "supplier": "Foncière Forez",
        "paid_by": "supplier",
        "service_id": None,
    }
    data.update(overrides)
    assert services.check_expense(data) == []
    return services.create_expense(data)


def _income(**overrides: object) -> OperatingIncome:
    data: dict[str, object] = {
        "date": date(2026, 10, 15),
        "account": "740000",
        "label": "Subvention Région",
        "amount": D("1500.00"),
        "service_id": None,
    }
    data.update(overrides)
    assert services.check_income(data) == []
    return services.create_income(data)


def _year_filter() -> ledgers.LedgerFilter:
    return ledgers.ledger_filter(date(2026, 1, 1), date(2026, 12, 31))


def _entry(row: Expense | OperatingIncome) -> JournalEntry:
    entry = posting.entry_of(row)
    assert entry is not None and entry.number is not None
    return entry


@pytest.mark.usefixtures("october_time")
def test_the_close_posts_the_months_expenses_and_income(app) -> None:
    supplier = _expense()
    bank = _expense(
        account="627000", label="Frais bancaires", amount=D("12.00"), vat=D("0"), paid_by="bank"
    )
    subsidy = _income()
    november = _expense(date=date(2026, 11, 3), label="Loyer novembre")
    assert posting.entry_of(supplier) is None  # entered: not posted before its month's close

    result = closing.close_month(OCT, today=TODAY)

    ha = _entry(supplier)
    assert (ha.journal, ha.number, ha.date, ha.origin) == (
        "HA",
        "HA-2026-00001",
        OCT.replace(day=5),
        "expense",
    )
    assert lines_of(ha) == [
        ("613200", D("120.00"), D("0")),
        ("445660", D("24.00"), D("0")),
        ("401000", D("0"), D("144.00")),
    ]
    assert (
        ha.lines[2].aux_number == "401FONCIEREFOREZ" and ha.lines[2].aux_label == "Foncière Forez"
    )
    assert lines_of(_entry(bank)) == [
        ("627000", D("12.00"), D("0")),
        ("512000", D("0"), D("12.00")),
    ]
    bq = _entry(subsidy)
    assert bq.journal == "BQ" and bq.origin == "income" and bq.label == "Subvention Région"
    assert lines_of(bq) == [("512000", D("1500.00"), D("0")), ("740000", D("0"), D("1500.00"))]
    assert posting.entry_of(november) is None  # November is still open
    # the supplier's sub-account is not a member's: the members' ledger (411) leaves it out
    members_ledger = {s.account for s in ledgers.member_ledger(_year_filter())}
    assert members_ledger and not [a for a in members_ledger if a.startswith("401")]
    assert result.postings == ["HA-2026-00001", "HA-2026-00002", bq.number]
    # A second close changes nothing: each row is posted once.
    assert closing.close_month(OCT, today=TODAY).changed is False
    assert (
        db.session.scalar(select(func.count(JournalEntry.id)).where(JournalEntry.journal == "HA"))
        == 2
    )


@pytest.mark.usefixtures("october_time")
def test_a_row_entered_in_a_closed_month_is_posted_at_once_and_frozen(app, login_as) -> None:
    closing.close_month(OCT, today=TODAY)
    client = login_as("accountant")
    response = client.post(
        "/depenses/nouvelle",
        data={
            "date": "20/10/2026",
            "account": "626000",
            "label": "Téléphone octobre",
            "amount": "50,00",
            "vat": "10,00",
            "supplier": "",
            "paid_by": "supplier",
            "service_id": "",
        },
    )
    assert response.status_code == 302
    row = db.session.scalar(select(Expense).where(Expense.label == "Téléphone octobre"))
    entry = _entry(row)
    assert lines_of(entry) == [
        ("626000", D("50.00"), D("0")),
        ("445660", D("10.00"), D("0")),
        ("401000", D("0"), D("60.00")),
    ]
    assert entry.lines[2].aux_label == "Fournisseurs divers"
    html = client.get("/depenses/?annee=2026").get_data(as_text=True)
    assert f'<td class="text-nowrap" data-entry>{entry.number}</td>' in html

    # Frozen: the page refuses to edit or delete it, the service and the ORM too.
    response = client.get(f"/depenses/{row.id}/modifier", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Dépense comptabilisée le" in html and "dépense négative (avoir fournisseur)" in html
    client.post(f"/depenses/{row.id}/supprimer")
    assert db.session.get(Expense, row.id) is not None
    with pytest.raises(services.PostedRow):
        services.update_expense(row, {**_row_data(row), "amount": D("60.00")})
    db.session.rollback()
    row = db.session.get(Expense, row.id)
    row.amount = D("70.00")
    with pytest.raises(ImmutableError, match=r"expense \d+ is posted"):
        db.session.flush()
    db.session.rollback()

    # The correction: a negative expense, posted at once, reverses it.
    credit = _expense(
        date=date(2026, 10, 21),
        account="626000",
        label="Avoir téléphone",
        amount=D("-50.00"),
        vat=D("-10.00"),
        supplier="",
    )
    assert lines_of(_entry(credit)) == [
        ("626000", D("0"), D("50.00")),
        ("445660", D("0"), D("10.00")),
        ("401000", D("60.00"), D("0")),
    ]
    # Income in a closed month: posted at once as well.
    assert _entry(_income(date=date(2026, 10, 30), account="758000", label="Don")).journal == "BQ"


def _row_data(row: Expense) -> dict[str, object]:
    return {
        "date": row.date,
        "account": row.account,
        "label": row.label,
        "amount": row.amount,
        "vat": row.vat,
        "supplier": row.supplier,
        "paid_by": row.paid_by,
        "service_id": row.service_id,
    }


@pytest.mark.usefixtures("october_time")
def test_import_posts_the_rows_of_a_closed_month(app) -> None:
    closing.close_month(OCT, today=TODAY)
    csv = (
        "date;compte;libellé;montant;tva;fournisseur;règlement\n"
        "2026-10-12;606400;Papeterie;100,00;20,00;Bureau Forez;fournisseur\n"
        "2026-11-02;627000;Frais bancaires;8,00;;;banque\n"
    ).encode()
    result = importer.import_expenses(importer.read_rows(io.BytesIO(csv), "d.csv"), source="d.csv")
    assert result.ok and result.imported == 2
    october, november = db.session.scalars(select(Expense).order_by(Expense.date)).all()
    assert lines_of(_entry(october)) == [
        ("606400", D("100.00"), D("0")),
        ("445660", D("20.00"), D("0")),
        ("401000", D("0"), D("120.00")),
    ]
    assert (november.paid_by, november.vat, posting.entry_of(november)) == ("bank", D("0.00"), None)


def test_every_problem_at_once_and_nothing_written(app, demo) -> None:
    bad = {
        "date": date(2026, 10, 5),
        "account": "618500",  # not in the chart
        "label": "Revue",
        "amount": D("-30.00"),
        "vat": D("6.001"),
        "supplier": "x" * 201,
        "paid_by": "cash",
        "service_id": None,
    }
    messages = [p.message for p in services.check_expense(bad)]
    assert messages == [
        "Compte 618500 absent du plan comptable : ajoutez-le dans Comptabilité › Plan "
        "comptable, ou choisissez un compte existant.",
        "TVA déductible au centime : 2 décimales au plus.",
        "La TVA déductible a le signe du montant (négative pour un avoir fournisseur).",
        "Fournisseur trop long (201 caractères, 200 au plus).",
        "Réglée par : « fournisseur » (401) ou « banque » (512).",
    ]
    over = {
        **bad,
        "account": "613200",
        "amount": D("10.00"),
        "vat": D("10.00"),
        "supplier": "",
        "paid_by": "bank",
    }
    assert [p.field for p in services.check_expense(over)] == ["vat"]
    income = {"date": date(2026, 10, 5), "label": "x", "amount": D("10"), "service_id": None}
    assert (
        "cotisations des adhérents (756)"
        in services.check_income({**income, "account": "756000"})[0].message
    )
    assert (
        "74 (subventions), 75, 76 ou 77"
        in services.check_income({**income, "account": "708000"})[0].message
    )
    assert services.check_income({**income, "account": "758000"}) == []
    csv = b"date,account,label,amount,vat,paid_by\n2026-10-05,613200,Loyer,100,abc,cash\n"
    result = importer.import_expenses(importer.read_rows(io.BytesIO(csv), "x.csv"), source="x.csv")
    assert result.messages() == [
        "row 2: TVA invalide « abc » (attendu par ex. 1234,56 ou -45.00)",
        "row 2: règlement inconnu « cash » (fournisseur ou banque)",
    ]
    assert db.session.scalar(select(func.count(Expense.id))) == 0


# --------------------------------------------------------------------------- a year's books


def _issue_fee(code: str, amount: str) -> Invoice:
    take_issuing_lock()
    inv = invoicing.issue_document(
        kind="invoice",
        origin="fee",
        member=db.session.scalars(select(Member).where(Member.code == code)).one(),
        lines=[LineSpec("fee", "Cotisation 2026", D(amount))],
        period=(date(2026, 1, 1), date(2026, 12, 31)),
        issue_date=date(2026, 11, 10),
    )
    db.session.commit()
    return inv


@pytest.mark.usefixtures("october_time")
def test_classes_6_and_7_hold_payroll_overheads_sales_fees_and_subsidy(app) -> None:
    """The FEC of the year: class 6 = payroll employer cost + overheads (excl. deductible
    VAT), class 7 = invoiced excl. tax (services + fees) + the subsidy; 44566 = the VAT
    deducted; 401 per supplier = what is owed; every entry balances (A47 A-1 LPF)."""
    paie = db.session.scalars(select(Service).where(Service.code == "PAIE")).one()
    _expense(service_id=paie.id)  # 120.00 + 24.00
    _expense(
        account="627000", label="Frais bancaires", amount=D("12.00"), vat=D("0"), paid_by="bank"
    )
    _expense(
        account="616000",
        label="Assurance (TVA non déductible)",
        amount=D("300.00"),
        vat=D("0"),
        supplier="MAIF",
    )
    _expense(date=date(2026, 10, 25), label="Avoir loyer", amount=D("-20.00"), vat=D("-4.00"))
    _income()
    closing.close_month(OCT, today=TODAY)
    _issue_fee("LEFIL", "250.00")

    fec = build_fec(2026)
    assert check_fec(fec.data, fec.filename) == []
    records = parse_fec(fec.data)
    assert {r["JournalCode"] for r in records} == {"VT", "PA", "HA", "BQ"}

    overheads = sum((e.amount for e in db.session.scalars(select(Expense))), D(0))
    assert overheads == D("412.00")
    payroll = sum((s.employer_cost for s in db.session.scalars(select(Payslip))), D(0))
    invoiced = sum(
        (-i.total_excl_tax if i.is_credit_note else i.total_excl_tax)
        for i in db.session.scalars(select(Invoice))
    )
    by_class = result_by_class(records)
    assert by_class["6"] == -(payroll + overheads)
    assert by_class["7"] == invoiced + D("1500.00")
    assert by_class["result"] == invoiced + D("1500.00") - payroll - overheads

    balances: dict[str, Decimal] = defaultdict(Decimal)
    for r in records:
        key = r["CompAuxNum"] or r["CompteNum"]
        balances[key] += fec_decimal(r["Debit"]) - fec_decimal(r["Credit"])
        if r["CompteNum"] == "401000":
            assert r["CompAuxNum"].startswith("401") and r["CompAuxLib"]
    assert balances["445660"] == D("20.00")  # 24.00 − 4.00
    assert balances["401FONCIEREFOREZ"] == D("-120.00")  # 144.00 − 24.00
    assert balances["401MAIF"] == D("-300.00")
    assert balances["512000"] == D("1500.00") - D("12.00")

    # The allocation still reads the expenses' cost (deductible VAT is not a cost).
    period = allocation.compute("2026-10", "2026-10")
    assert (period.result.overheads, period.result.income) == (D("412.00"), D("1500.00"))
