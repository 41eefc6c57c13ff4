"""The year's closing and the cut-off, pure (SPEC §5 "Cut-off", "Locks"): the accrual of a
document of Y issued in Y+1 and its reversal (PCG art. 513-4: revenue in the year of the
service), the result of the year (classes 7 − 6) and the opening entries (AN) of Y+1 from
the balances of classes 1–5, per member for 411."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accounting import ledger, yearend
from accounting.chart import DEFAULT_ACCOUNTS
from accounting.ledger import AccountRef, Accounts, SalesDocument, SalesLine

ACCOUNTS = Accounts(
    {a.purpose: AccountRef(a.number, a.label) for a in DEFAULT_ACCOUNTS if a.purpose},
    {"GESTION": AccountRef("706100", "Gestion"), "PAIE": AccountRef("706200", "Paie")},
)


def _doc(kind: str = "invoice") -> SalesDocument:
    return SalesDocument(
        number="F-2027-0001" if kind == "invoice" else "A-2027-0001",
        kind=kind,
        issue_date=date(2027, 1, 6),
        member_code="LEFIL",
        member_name="Le Fil",
        lines=(
            SalesLine("service", Decimal("1000.00"), "GESTION"),
            SalesLine("service", Decimal("250.50"), "PAIE"),
        ),
        vat=Decimal("250.10"),
        total_incl_tax=Decimal("1500.60"),
    )


def _by_account(entry: ledger.Entry) -> dict[str, tuple[Decimal, Decimal]]:
    return {ln.account: (ln.debit, ln.credit) for ln in entry.lines}


def test_invoice_of_december_issued_in_january_is_accrued_at_31_12_and_reversed_on_01_01() -> None:
    vt = ledger.sales_entry(_doc(), ACCOUNTS)
    accrual, reversal = ledger.accrual_entries(vt, 2026, ACCOUNTS)
    assert (accrual.journal, accrual.day, accrual.label) == (
        "OD",
        date(2026, 12, 31),
        "FAE F-2027-0001 (exercice 2026)",
    )
    # 4181 factures à établir for the total incl. tax, revenue as in the VT entry, VAT on 44587.
    assert _by_account(accrual) == {
        "418100": (Decimal("1500.60"), Decimal("0.00")),
        "706100": (Decimal("0.00"), Decimal("1000.00")),
        "706200": (Decimal("0.00"), Decimal("250.50")),
        "445870": (Decimal("0.00"), Decimal("250.10")),
    }
    assert all(ln.member_code == "LEFIL" and ln.aux_number is None for ln in accrual.lines)
    assert [ln.service_code for ln in accrual.lines] == [None, "GESTION", "PAIE", None]
    assert (reversal.day, reversal.label) == (
        date(2027, 1, 1),
        "Extourne FAE F-2027-0001 (exercice 2026)",
    )
    assert _by_account(reversal) == {k: (c, d) for k, (d, c) in _by_account(accrual).items()}
    # In 2027 the reversal and the VT entry cancel on revenue: the revenue stays in 2026.
    for account in ("706100", "706200"):
        net = sum(
            (
                ln.credit - ln.debit
                for e in (reversal, vt)
                for ln in e.lines
                if ln.account == account
            ),
            Decimal(0),
        )
        assert net == 0


def test_credit_note_is_accrued_on_4198() -> None:
    vt = ledger.sales_entry(_doc("credit_note"), ACCOUNTS)
    accrual, _reversal = ledger.accrual_entries(vt, 2026, ACCOUNTS)
    assert accrual.label == "AAE A-2027-0001 (exercice 2026)"
    assert _by_account(accrual) == {
        "419800": (Decimal("0.00"), Decimal("1500.60")),
        "706100": (Decimal("1000.00"), Decimal("0.00")),
        "706200": (Decimal("250.50"), Decimal("0.00")),
        "445870": (Decimal("250.10"), Decimal("0.00")),
    }


def test_document_of_a_closed_year_keeps_its_year_in_the_label() -> None:
    vt = ledger.with_year_label(ledger.sales_entry(_doc(), ACCOUNTS), 2026)
    assert vt.label == "Facture F-2027-0001 LEFIL (exercice 2026)"
    assert all(ln.label.endswith("(exercice 2026)") for ln in vt.lines)


def _b(account: str, debit: str, credit: str, aux: str | None = None) -> yearend.AccountBalance:
    return yearend.AccountBalance(
        account,
        f"compte {account}",
        Decimal(debit),
        Decimal(credit),
        aux_number=aux,
        aux_label=f"adhérent {aux}" if aux else None,
        member_code=aux[3:] if aux else None,
    )


YEAR = [
    _b("411000", "12000.00", "9000.00", "411LEFIL"),  # 3,000.00 still owed
    _b("411000", "6000.00", "6000.00", "411CINE3C"),  # settled: not carried forward
    _b("411000", "0.00", "120.00", "411FABRIQUE"),  # a credit balance: carried as credit
    _b("445710", "0.00", "2000.00"),
    _b("421000", "5000.00", "5000.00"),
    _b("431000", "0.00", "1400.00"),
    _b("512000", "18420.00", "9900.00"),
    _b("641100", "5000.00", "0.00"),
    _b("645100", "1500.00", "0.00"),
    _b("613200", "3600.00", "0.00"),
    _b("706100", "0.00", "15000.00"),
    _b("740000", "0.00", "2500.00"),
    _b("756000", "0.00", "800.00"),
    _b("706200", "200.00", "0.00"),  # a credit note bigger than the year's invoices
]


def test_result_is_class_7_minus_class_6() -> None:
    end = yearend.close_year(
        2026, YEAR, profit=ACCOUNTS["result_profit"], loss=ACCOUNTS["result_loss"]
    )
    assert end.income == Decimal("18100.00")  # 15,000 + 2,500 + 800 − 200
    assert end.expenses == Decimal("10100.00")  # 5,000 + 1,500 + 3,600
    assert end.result == Decimal("8000.00") == yearend.year_result(YEAR)


def test_opening_entry_carries_classes_1_to_5_per_member_and_the_result_on_120() -> None:
    end = yearend.close_year(
        2026, YEAR, profit=ACCOUNTS["result_profit"], loss=ACCOUNTS["result_loss"]
    )
    an = end.opening
    assert an is not None
    assert (an.journal, an.day, an.piece_ref) == ("AN", date(2027, 1, 1), "AN-2027")
    got = {(ln.account, ln.aux_number): (ln.debit, ln.credit) for ln in an.lines}
    assert got == {
        ("411000", "411FABRIQUE"): (Decimal("0.00"), Decimal("120.00")),
        ("411000", "411LEFIL"): (Decimal("3000.00"), Decimal("0.00")),
        ("431000", None): (Decimal("0.00"), Decimal("1400.00")),
        ("445710", None): (Decimal("0.00"), Decimal("2000.00")),
        ("512000", None): (Decimal("8520.00"), Decimal("0.00")),
        ("120000", None): (Decimal("0.00"), Decimal("8000.00")),
    }
    lefil = next(ln for ln in an.lines if ln.aux_number == "411LEFIL")
    assert (lefil.aux_label, lefil.member_code) == ("adhérent 411LEFIL", "LEFIL")
    assert an.total_debit == an.total_credit == Decimal("11520.00")


def test_a_deficit_goes_to_129_on_the_debit_side() -> None:
    balances = [_b("512000", "0.00", "300.00"), _b("626000", "300.00", "0.00")]
    end = yearend.close_year(
        2026, balances, profit=ACCOUNTS["result_profit"], loss=ACCOUNTS["result_loss"]
    )
    assert end.result == Decimal("-300.00")
    assert end.opening is not None
    assert {ln.account: (ln.debit, ln.credit) for ln in end.opening.lines} == {
        "512000": (Decimal("0.00"), Decimal("300.00")),
        "129000": (Decimal("300.00"), Decimal("0.00")),
    }


@pytest.mark.parametrize("balances", [[], [_b("421000", "100.00", "100.00")]])
def test_nothing_to_carry_forward_gives_no_opening_entry(balances) -> None:  # type: ignore[no-untyped-def]
    end = yearend.close_year(
        2026, balances, profit=ACCOUNTS["result_profit"], loss=ACCOUNTS["result_loss"]
    )
    assert end.opening is None and end.result == 0


def test_books_that_do_not_balance_are_refused_not_forced() -> None:
    """Every entry of the year balances, so classes 1–5 net to the result; if they do not,
    the opening entry is not forced into balance."""
    with pytest.raises(ledger.UnbalancedEntry):
        yearend.close_year(
            2026,
            [_b("512000", "100.00", "0.00"), _b("706100", "0.00", "90.00")],
            profit=ACCOUNTS["result_profit"],
            loss=ACCOUNTS["result_loss"],
        )
