"""Invoice lines, totals, VAT, numbering, credit notes (SPEC §5; LEGAL-FACTS §3–§4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accounting.invoicing import (
    DEBIT_OPTION_MENTION,
    EXEMPTION_261B_MENTION,
    FEE_OUT_OF_SCOPE_MENTION,
    LATE_PENALTY_DEFAULT_MENTION,
    NO_DISCOUNT_MENTION,
    RECOVERY_INDEMNITY_MENTION,
    InvoiceDocument,
    InvoiceError,
    InvoiceLine,
    InvoiceNumber,
    InvoiceReference,
    Party,
    SellerParty,
    TimeAnnexRow,
    TimeStatement,
    TimeStatementRow,
    VatRegime,
    check_number_sequence,
    due_date,
    fee_line,
    format_hours,
    format_invoice_number,
    hours_from_minutes,
    invoice_totals,
    make_credit_note,
    membership_fee,
    missing_mentions,
    next_number,
    parse_invoice_number,
    regularisation_line,
    service_line,
)

# Fictitious but valid identifiers (Luhn SIREN/SIRET, VAT key computed with python-stdnum).
SELLER = SellerParty(
    name="L'équipe associée",
    address_lines=("20 rue Saint-Joseph",),
    postcode="42000",
    city="Saint-Étienne",
    legal_form="Association loi 1901 – groupement d'employeurs",
    siren="801234568",
    siret="80123456800013",
    vat_number="FR66801234568",
    email="compta@equipe-associee.example",
    iban="FR7630006000011234567890189",
    bic="AGRIFRPPXXX",
    ape="7830Z",
)
BUYER = Party(
    name="Le Fil (association Limace)",
    address_lines=("20 boulevard Thiers",),
    postcode="42000",
    city="Saint-Étienne",
    legal_form="Association loi 1901",
    siren="480123462",
    siret="48012346200024",
    vat_number="FR35480123462",
    email="contact@lefil.example",
)


def november_lines() -> tuple[InvoiceLine, ...]:
    return (
        service_line(
            "GESTION", "Mise à disposition – gestion, contrôle de gestion", 2265, Decimal("36.50")
        ),
        service_line(
            "PAIE", "Mise à disposition – service paye et gestion sociale", 1, Decimal("35.00")
        ),
        service_line("RESEAU", "Mise à disposition – administration réseau", 605, Decimal("41.20")),
    )


def make_invoice(regime: VatRegime = "vat_20", **overrides: object) -> InvoiceDocument:
    fields: dict[str, object] = {
        "kind": "invoice",
        "number": "F-2026-0042",
        "issue_date": date(2026, 11, 30),
        "period_start": date(2026, 11, 1),
        "period_end": date(2026, 11, 30),
        "seller": SELLER,
        "buyer": BUYER,
        "vat_regime": regime,
        "lines": november_lines(),
        "payment_terms_days": 30,
        "late_penalty_rate": Decimal("12.15"),
        "time_annex": (
            TimeAnnexRow(
                date(2026, 11, 2), "Camille Martin", "GESTION", 450, "Gestion, contrôle de gestion"
            ),
            TimeAnnexRow(date(2026, 11, 3), "Hugo Bernard", "RESEAU", 605, "Administration réseau"),
            TimeAnnexRow(
                date(2026, 11, 4), "Camille Martin", "PAIE", 1, "Service paye et gestion sociale"
            ),
        ),
    }
    fields.update(overrides)
    return InvoiceDocument(**fields)  # type: ignore[arg-type]


# --- lines (SPEC §5 "Provisional invoice line") ---------------------------------------


@pytest.mark.parametrize(
    ("minutes", "rate", "amount", "hours"),
    [
        (2265, "36.50", "1377.88", "37.75"),  # 37 h 45 × 36.50 = 1377.875 → half-up
        (1, "35.00", "0.58", "0.02"),  # 35 / 60 = 0.58333…
        (9, "36.70", "5.51", "0.15"),  # 5.505 exactly: half-up, not half-even (5.50)
        (1, "0.30", "0.01", "0.02"),  # 0.005 exactly: half-up gives a cent
        (30, "35.01", "17.51", "0.50"),  # 17.505 → 17.51
        (605, "41.20", "415.43", "10.08"),  # 415.4333…
        (0, "35.00", "0.00", "0.00"),
        (9600, "38.25", "6120.00", "160.00"),  # a full month at 160 h
    ],
    ids=[
        "SPEC5-37h45-at-36.50",
        "SPEC5-1min-at-35",
        "half-up-5.505",
        "half-up-0.005",
        "half-up-17.505",
        "10h05-at-41.20",
        "zero",
        "160h",
    ],
)
def test_service_line_amount_is_minutes_times_rate_over_60_half_up(
    minutes: int, rate: str, amount: str, hours: str
) -> None:
    line = service_line("GESTION", "Gestion", minutes, Decimal(rate))
    assert line.amount == Decimal(amount)
    assert line.quantity == Decimal(hours)
    assert line.unit_price == Decimal(rate)
    assert line.unit == "HUR"
    assert line.minutes == minutes
    assert line.kind == "service"


def test_amount_comes_from_minutes_not_from_rounded_hours() -> None:
    # 1 min shows as 0.02 h; 0.02 × 35 = 0.70 would be wrong: the amount is 0.58.
    line = service_line("PAIE", "Paye", 1, Decimal("35.00"))
    assert line.quantity * line.unit_price == Decimal("0.7000")
    assert line.amount == Decimal("0.58")
    assert line.precise_quantity == Decimal("0.0167")


@pytest.mark.parametrize(("minutes", "text"), [(2265, "37 h 45"), (1, "0 h 01"), (480, "8 h 00")])
def test_hours_for_people(minutes: int, text: str) -> None:
    assert format_hours(minutes) == text
    assert hours_from_minutes(minutes) == (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def test_negative_minutes_or_rate_are_refused() -> None:
    with pytest.raises(InvoiceError):
        service_line("GESTION", "x", -1, Decimal("35"))
    with pytest.raises(InvoiceError):
        service_line("GESTION", "x", 10, Decimal("-1"))


def test_regularisation_and_fee_lines_are_flat_amounts() -> None:
    reg = regularisation_line("Régularisation 2026 – gestion", Decimal("123.456"), "GESTION")
    assert (reg.kind, reg.quantity, reg.unit, reg.amount) == (
        "regularisation",
        Decimal("1"),
        "C62",
        Decimal("123.46"),
    )
    fee = fee_line("Cotisation 2026", Decimal("960"))
    assert (fee.kind, fee.amount, fee.unit_price) == ("fee", Decimal("960.00"), Decimal("960.00"))
    with pytest.raises(InvoiceError):
        regularisation_line("x", Decimal("-1"))


@pytest.mark.parametrize(
    ("payroll", "fee"),
    [
        ("96000.00", "960.00"),
        ("312000.00", "3120.00"),
        ("600000.00", "5000.00"),
        ("500000.00", "5000.00"),
        ("36543.50", "365.44"),
        ("0", "0.00"),
    ],
    ids=["1pct", "1pct-large", "capped", "exactly-cap", "half-up-365.435", "none"],
)
def test_membership_fee_is_one_percent_capped(payroll: str, fee: str) -> None:
    """SPEC §5 "Membership fee": min(round_half_up(1 % × previous-year gross, 2), 5,000 €)."""
    assert membership_fee(Decimal(payroll), Decimal("1.000"), Decimal("5000.00")) == Decimal(fee)


# --- totals (SPEC §5 "Invoice totals") ------------------------------------------------


def test_totals_of_a_20_percent_member() -> None:
    t = invoice_totals(november_lines(), "vat_20")
    # 1377.88 + 0.58 + 415.43 = 1793.89; VAT 358.778 → 358.78
    assert (t.excl_tax, t.vat, t.incl_tax) == (
        Decimal("1793.89"),
        Decimal("358.78"),
        Decimal("2152.67"),
    )
    (b,) = t.breakdown
    assert (b.category, b.rate, b.base, b.vat) == (
        "S",
        Decimal("20.00"),
        Decimal("1793.89"),
        Decimal("358.78"),
    )
    assert t.vat_mentions == ()


def test_vat_is_computed_on_the_sum_per_rate_not_per_line() -> None:
    lines = [service_line("PAIE", "Paye", 1, Decimal("35.00"))] * 2  # 0.58 + 0.58
    t = invoice_totals(lines, "vat_20")
    # per line: 0.116 → 0.12, twice 0.24; on the sum: 1.16 × 20 % = 0.232 → 0.23
    assert t.vat == Decimal("0.23")
    assert t.incl_tax == Decimal("1.39")


@pytest.mark.parametrize(
    ("amounts", "vat"),
    [
        (["0.58", "0.58", "0.58"], "0.35"),  # 1.74 × 0.2 = 0.348
        (["10.03", "0.00"], "2.01"),  # 2.006
        (["0.025"], "0.01"),
    ],  # a line already at 0.03 (half-up) → 0.006 → 0.01
)
def test_vat_half_up_on_the_base(amounts: list[str], vat: str) -> None:
    lines = [regularisation_line("r", Decimal(a)) for a in amounts]
    assert invoice_totals(lines, "vat_20").vat == Decimal(vat)


def test_exempt_member_gets_no_vat_and_the_261B_mention() -> None:
    t = invoice_totals(november_lines(), "exempt_261B")
    assert (t.excl_tax, t.vat, t.incl_tax) == (
        Decimal("1793.89"),
        Decimal("0.00"),
        Decimal("1793.89"),
    )
    (b,) = t.breakdown
    assert (b.category, b.rate, b.vat) == ("E", Decimal("0.00"), Decimal("0.00"))
    assert b.mention == EXEMPTION_261B_MENTION == "Exonération de TVA – article 261 B du CGI"
    assert b.exemption_code == "VATEX-EU-132-1F"


@pytest.mark.parametrize("regime", ["vat_20", "exempt_261B"])
def test_fee_is_outside_vat_scope_whatever_the_regime(regime: VatRegime) -> None:
    t = invoice_totals([fee_line("Cotisation 2026", Decimal("960.00"))], regime)
    (b,) = t.breakdown
    assert (b.category, b.vat, b.mention) == ("O", Decimal("0.00"), FEE_OUT_OF_SCOPE_MENTION)
    assert t.incl_tax == Decimal("960.00")


def test_unknown_regime_is_refused() -> None:
    with pytest.raises(InvoiceError):
        invoice_totals(november_lines(), "vat_55")  # type: ignore[arg-type]


# --- numbering (SPEC §5 "Numbering") --------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "year", "seq", "text"),
    [
        ("invoice", 2026, 1, "F-2026-0001"),
        ("credit_note", 2026, 1, "A-2026-0001"),
        ("invoice", 2027, 42, "F-2027-0042"),
        ("invoice", 2026, 12345, "F-2026-12345"),
    ],
)
def test_number_format_and_parse_round_trip(kind: str, year: int, seq: int, text: str) -> None:
    assert format_invoice_number(kind, year, seq) == text  # type: ignore[arg-type]
    assert parse_invoice_number(text) == InvoiceNumber(kind, year, seq)  # type: ignore[arg-type]
    assert str(parse_invoice_number(text)) == text


@pytest.mark.parametrize("text", ["F-2026-001", "X-2026-0001", "F-26-0001", "F-2026-0000", ""])
def test_bad_numbers_are_refused(text: str) -> None:
    with pytest.raises(InvoiceError):
        parse_invoice_number(text)


def test_next_number_continues_the_series() -> None:
    assert next_number(None) == 1
    assert next_number(0) == 1
    assert next_number(41) == 42
    with pytest.raises(InvoiceError):
        next_number(-1)
    with pytest.raises(InvoiceError):
        format_invoice_number("invoice", 2026, 0)


def test_sequence_check_finds_gaps_and_duplicates() -> None:
    assert check_number_sequence(["F-2026-0001", "F-2026-0002", "A-2026-0001"]) == []
    problems = check_number_sequence(
        ["F-2026-0001", "F-2026-0003", "F-2026-0003", "A-2026-0002", "junk"]
    )
    assert "missing number F-2026-0002" in problems
    assert "duplicate number F-2026-0003" in problems
    assert "missing number A-2026-0001" in problems
    assert any("junk" in p for p in problems)


# --- the document -------------------------------------------------------------------


def test_invoice_document_derives_totals_and_due_date() -> None:
    doc = make_invoice()
    assert doc.totals == invoice_totals(doc.lines, "vat_20")
    assert doc.due_date == date(2026, 12, 30)
    assert (doc.title, doc.type_code) == ("Facture", "380")
    assert doc.payment_mentions == (
        "Pénalités de retard : taux annuel de 12,15 %, exigibles de plein droit dès le lendemain "
        "de la date d'échéance (art. L441-10 du Code de commerce).",
        RECOVERY_INDEMNITY_MENTION,
        NO_DISCOUNT_MENTION,
    )
    assert "40 €" in RECOVERY_INDEMNITY_MENTION and "D441-5" in RECOVERY_INDEMNITY_MENTION
    assert doc.reform_mentions == ("Nature de l'opération : Prestations de services",)
    assert doc.annex_totals_by_service() == (("GESTION", 450), ("PAIE", 1), ("RESEAU", 605))
    assert doc.annex_total_minutes == 1056


def test_reform_mentions_debit_option_and_default_penalty_rate() -> None:
    doc = make_invoice(vat_on_debits=True, late_penalty_rate=None)
    assert DEBIT_OPTION_MENTION in doc.reform_mentions
    assert doc.late_penalty_mention == LATE_PENALTY_DEFAULT_MENTION
    assert DEBIT_OPTION_MENTION not in make_invoice().reform_mentions


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"number": "A-2026-0001"}, "not in the invoice series"),
        ({"number": "F-2025-0001"}, "issue year"),
        ({"lines": ()}, "at least one line"),
        ({"period_start": date(2026, 12, 1)}, "ends before it starts"),
        ({"payment_terms_days": 61}, "L441-10"),
        (
            {
                "lines": (
                    regularisation_line("r", Decimal("1")),
                    fee_line("Cotisation", Decimal("1")),
                )
            },
            "BR-O-11",
        ),
        (
            {"lines": (InvoiceLine("service", "x", Decimal("1"), Decimal("-5"), Decimal("-5")),)},
            "positive amounts",
        ),
        ({"cited_invoices": (InvoiceReference("F-2026-0001", date(2026, 1, 31)),)}, "only credit"),
    ],
    ids=["series", "year", "empty", "period", "terms", "fee-mixed", "negative", "cites"],
)
def test_document_invariants(overrides: dict[str, object], problem: str) -> None:
    with pytest.raises(InvoiceError) as err:
        make_invoice(**overrides)
    assert any(problem in p for p in err.value.problems)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(InvoiceError) as err:
        make_invoice(number="A-2025-0001", lines=())
    assert len(err.value.problems) == 3


def test_due_date_limits() -> None:
    assert due_date(date(2026, 11, 30), 0) == date(2026, 11, 30)
    assert due_date(date(2026, 11, 30), 60) == date(2027, 1, 29)
    with pytest.raises(InvoiceError):
        due_date(date(2026, 11, 30), 61)


def test_missing_mentions_warn_about_absent_identifiers() -> None:
    assert missing_mentions(make_invoice()) == []
    anonymous = Party(
        name="Gaga jazz",
        address_lines=("9 rue Camille Colard",),
        postcode="42000",
        city="Saint-Étienne",
    )
    warnings = missing_mentions(make_invoice(buyer=anonymous))
    assert any("SIREN de Gaga jazz" in w for w in warnings)
    # a year-end regularisation credit note cites no single invoice: allowed, but flagged
    regularisation = make_invoice(
        kind="credit_note",
        number="A-2026-0009",
        lines=(regularisation_line("Régularisation 2026", Decimal("5")),),
    )
    assert regularisation.credit_mention == "Avoir"
    assert missing_mentions(regularisation) == [
        "référence de la facture d'origine",
        "motif de l'avoir",
    ]


# --- credit notes -----------------------------------------------------------------------


def test_full_credit_note_mirrors_the_invoice_with_positive_amounts() -> None:
    invoice = make_invoice()
    credit = make_credit_note(
        invoice,
        number="A-2026-0003",
        issue_date=date(2026, 12, 5),
        reason="Heures saisies en double",
    )
    assert credit.kind == "credit_note" and credit.type_code == "381"
    assert credit.lines == invoice.lines
    assert credit.totals == invoice.totals
    assert credit.totals.incl_tax == Decimal("2152.67")  # positive: the kind says credit
    assert credit.cited_invoices == (InvoiceReference("F-2026-0042", date(2026, 11, 30)),)
    assert credit.credit_mention == (
        "Avoir sur facture n° F-2026-0042 du 30/11/2026. Motif : Heures saisies en double"
    )
    assert credit.due_date == credit.issue_date
    assert credit.title == "Avoir"


def test_partial_credit_note_by_amounts() -> None:
    invoice = make_invoice()
    credit = make_credit_note(
        invoice,
        number="A-2026-0004",
        issue_date=date(2026, 12, 5),
        reason="Geste",
        amounts={0: Decimal("100"), 2: Decimal("15.43")},
    )
    assert [line.amount for line in credit.lines] == [Decimal("100.00"), Decimal("15.43")]
    assert [line.service_code for line in credit.lines] == ["GESTION", "RESEAU"]
    assert credit.totals.excl_tax == Decimal("115.43")
    assert credit.totals.vat == Decimal("23.09")  # 23.086
    assert credit.time_annex == ()


def test_partial_credit_note_by_minutes() -> None:
    invoice = make_invoice()
    wrong = service_line("GESTION", "Heures du 12/11 saisies en double", 90, Decimal("36.50"))
    credit = make_credit_note(
        invoice, number="A-2026-0005", issue_date=date(2026, 12, 5), reason="Doublon", lines=[wrong]
    )
    assert credit.totals.excl_tax == Decimal("54.75")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"amounts": {0: Decimal("5000")}},
        {"amounts": {7: Decimal("1")}},
        {"amounts": {0: Decimal("0")}},
        {"lines": [regularisation_line("r", Decimal("9999"))]},
        {"lines": [], "amounts": {0: Decimal("1")}},
    ],
    ids=["line-exceeded", "no-such-line", "zero", "total-exceeded", "both"],
)
def test_credit_note_cannot_exceed_the_invoice(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvoiceError):
        make_credit_note(
            make_invoice(), number="A-2026-0006", issue_date=date(2026, 12, 5), reason="x", **kwargs
        )  # type: ignore[arg-type]


def test_a_credit_note_is_not_credited() -> None:
    credit = make_credit_note(
        make_invoice(), number="A-2026-0003", issue_date=date(2026, 12, 5), reason="x"
    )
    with pytest.raises(InvoiceError):
        make_credit_note(credit, number="A-2026-0004", issue_date=date(2026, 12, 5), reason="y")


# --- time statement -------------------------------------------------------------------


def test_time_statement_totals() -> None:
    rows = (
        TimeStatementRow(date(2026, 11, 2), "Camille Martin", "GESTION", "Gestion", 450),
        TimeStatementRow(date(2026, 11, 2), "Camille Martin", "PAIE", "Paye", 60),
        TimeStatementRow(date(2026, 11, 3), "Hugo Bernard", "GESTION", "Gestion", 425),
    )
    stmt = TimeStatement(
        seller=SELLER, member=BUYER, year=2026, month=11, rows=rows, issue_date=date(2026, 11, 30)
    )
    assert stmt.minutes_by_employee() == {"Camille Martin": 510, "Hugo Bernard": 425}
    assert stmt.minutes_by_service() == {"GESTION": 875, "PAIE": 60}
    assert stmt.minutes_by_employee_service()[("Camille Martin", "PAIE")] == 60
    assert stmt.total_minutes == 935
    assert (stmt.period_start, stmt.period_end) == (date(2026, 11, 1), date(2026, 11, 30))
    december = TimeStatement(
        seller=SELLER, member=BUYER, year=2026, month=12, rows=(), issue_date=date(2026, 12, 31)
    )
    assert december.period_end == date(2026, 12, 31)


def test_time_statement_rows_must_be_in_the_month() -> None:
    row = TimeStatementRow(date(2026, 10, 31), "Camille Martin", "GESTION", "Gestion", 60)
    with pytest.raises(InvoiceError):
        TimeStatement(
            seller=SELLER,
            member=BUYER,
            year=2026,
            month=11,
            rows=(row,),
            issue_date=date(2026, 11, 30),
        )


def test_parties_round_trip_through_json() -> None:
    import json

    assert SellerParty.from_dict(json.loads(json.dumps(SELLER.to_dict()))) == SELLER
    assert Party.from_dict({**BUYER.to_dict(), "unknown": 1}) == BUYER


def test_seller_presentation_helpers() -> None:
    assert SELLER.iban_display == "FR76 3000 6000 0112 3456 7890 189"
    assert "SIRET 80123456800013" in SELLER.identity_line
    assert BUYER.address_block == ("20 boulevard Thiers", "42000 Saint-Étienne")
