"""Invoices and credit notes: lines, totals, VAT, numbering, mentions (SPEC §5, LEGAL-FACTS §3–§4).

Pure domain: frozen dataclasses and ``Decimal`` only. The month close maps database rows onto
these types; :mod:`accounting.facturx` turns an :class:`InvoiceDocument` into the EN 16931 CII
XML, and :mod:`accounting.documents` into PDF (Factur-X) and .docx.

Conventions:

* Amounts are rounded half-up to the cent at exactly two points (SPEC §5): each line amount
  (``minutes × rate / 60``) and the VAT of each rate (on the sum of the lines of that rate).
* Amounts on a credit note are positive: the document kind says it is a credit (EN 16931
  type code 381 carries positive amounts too).
* Lines outside the VAT scope (membership fee) are never mixed with service lines on one
  document: EN 16931 forbids a "not subject to VAT" breakdown (category O) next to any other
  category (rules BR-O-11 to BR-O-14), and eage issues the yearly fee on its own invoice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal, Self

from accounting.money import CENT, ROUND_HALF_UP, ZERO, D, round_cents

__all__ = [
    "DEBIT_OPTION_MENTION",
    "EXEMPTION_261B_MENTION",
    "FEE_OUT_OF_SCOPE_MENTION",
    "LATE_PENALTY_DEFAULT_MENTION",
    "MAX_PAYMENT_TERMS_DAYS",
    "NATURE_SERVICES",
    "NO_DISCOUNT_MENTION",
    "RECOVERY_INDEMNITY",
    "RECOVERY_INDEMNITY_MENTION",
    "VAT_STANDARD_RATE",
    "DocumentKind",
    "InvoiceDocument",
    "InvoiceError",
    "InvoiceLine",
    "InvoiceNumber",
    "InvoiceReference",
    "CorrectedInvoice",
    "LineKind",
    "Party",
    "SellerParty",
    "TimeAnnexRow",
    "TimeStatement",
    "TimeStatementRow",
    "Totals",
    "VatBreakdown",
    "VatCategory",
    "VatRegime",
    "check_number_sequence",
    "credit_line_for_amount",
    "due_date",
    "fee_line",
    "format_hours",
    "format_invoice_number",
    "full_credit_lines",
    "hours_from_minutes",
    "invoice_totals",
    "late_penalty_mention",
    "line_vat",
    "make_credit_note",
    "membership_fee",
    "missing_mentions",
    "next_number",
    "parse_invoice_number",
    "regularisation_line",
    "service_line",
]

VatRegime = Literal["exempt_261B", "vat_20"]
LineKind = Literal["service", "regularisation", "fee", "penalty", "indemnity"]
DocumentKind = Literal["invoice", "credit_note"]
# EN 16931 VAT category codes (UNTDID 5305): S standard rate, E exempt, O not subject to VAT.
VatCategory = Literal["S", "E", "O"]
# UN/ECE Recommendation 20 unit codes: HUR hour, C62 "one" (a unit, for flat amounts).
UnitCode = Literal["HUR", "C62"]

VAT_REGIMES: tuple[VatRegime, ...] = ("exempt_261B", "vat_20")
LINE_KINDS: tuple[LineKind, ...] = ("service", "regularisation", "fee", "penalty", "indemnity")
# Late-payment penalties (art. L441-10 C. com.) and the 40 € recovery indemnity (art. D441-5)
# invoiced after a reminder: damages for late payment, no consideration for a supply, hence
# outside the scope of VAT (art. 256 CGI; BOI-TVA-BASE-10-10-10), like the membership fee.
LATE_PAYMENT_KINDS: tuple[LineKind, ...] = ("penalty", "indemnity")
OUT_OF_SCOPE_KINDS: tuple[LineKind, ...] = ("fee", *LATE_PAYMENT_KINDS)

# Standard VAT rate, percent (art. 278 CGI; 20 % since 1 January 2014 — LEGAL-FACTS §2).
VAT_STANDARD_RATE = Decimal("20.00")

# Art. 242 nonies A, 12° ann. II CGI: the exemption must be referred to; wording recommended
# by LEGAL-FACTS §2 (ATH guide). SPEC §5 uses it verbatim.
EXEMPTION_261B_MENTION = "Exonération de TVA – article 261 B du CGI"
# VATEX code of the exemption: art. 261 B CGI transposes art. 132(1)(f) of directive
# 2006/112/EC (independent groups of persons, cost-sharing exemption).
EXEMPTION_261B_VATEX = "VATEX-EU-132-1F"
# The membership fee is not the consideration of a service: outside the scope of VAT.
FEE_OUT_OF_SCOPE_MENTION = "Cotisation hors champ d'application de la TVA"
FEE_OUT_OF_SCOPE_VATEX = "VATEX-EU-O"
LATE_PAYMENT_OUT_OF_SCOPE_MENTION = (
    "Pénalités de retard et indemnités forfaitaires pour frais de recouvrement hors champ "
    "d'application de la TVA"
)

# Décret 2022-1299 (e-invoicing reform): nature of the operations (goods / services / both).
NATURE_SERVICES = "Prestations de services"
# Same décret: printed only when the seller opted to pay VAT on debits (art. 269, 2-c CGI).
DEBIT_OPTION_MENTION = "Option pour le paiement de la taxe d'après les débits"

# Art. L441-10 and D441-5 C. com.: fixed indemnity for recovery costs, due of right.
RECOVERY_INDEMNITY = Decimal("40.00")
RECOVERY_INDEMNITY_MENTION = (
    "En cas de retard de paiement, indemnité forfaitaire pour frais de recouvrement "
    "de 40 € (art. L441-10 et D441-5 du Code de commerce)."
)
# Art. L441-9 C. com.: early-payment discount terms must be stated, "none" included.
NO_DISCOUNT_MENTION = "Pas d'escompte pour paiement anticipé."
# Art. L441-10 C. com.: default rate when the parties agreed none.
LATE_PENALTY_DEFAULT_MENTION = (
    "Pénalités de retard : taux d'intérêt appliqué par la Banque centrale européenne à son "
    "opération de refinancement la plus récente, majoré de 10 points (art. L441-10 du Code "
    "de commerce), exigibles de plein droit dès le lendemain de la date d'échéance."
)
# Art. L441-10 I C. com.: at most 60 days from the invoice date.
MAX_PAYMENT_TERMS_DAYS = 60

_KIND_PREFIX: dict[DocumentKind, str] = {"invoice": "F", "credit_note": "A"}
_PREFIX_KIND: dict[str, DocumentKind] = {v: k for k, v in _KIND_PREFIX.items()}
_NUMBER_RE = re.compile(r"^(?P<prefix>[FA])-(?P<year>\d{4})-(?P<seq>\d{4,})$")
_QUANTITY_PLACES = Decimal("0.0001")  # EN 16931 / Factur-X: quantities up to 4 decimals


class InvoiceError(ValueError):
    """An invoice that cannot be issued as asked; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


# --------------------------------------------------------------------------------------
# Parties
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    """A legal person as printed on a document (frozen at issue: Invoice.buyer JSON)."""

    name: str
    address_lines: tuple[str, ...]
    postcode: str
    city: str
    country: str = "FR"  # ISO 3166-1 alpha-2
    legal_form: str = ""
    siren: str = ""
    siret: str = ""
    vat_number: str = ""
    email: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready identity (Invoice.seller / Invoice.buyer, frozen at issue)."""
        data = asdict(self)
        data["address_lines"] = list(self.address_lines)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Back from :meth:`to_dict` (unknown keys are ignored, lists become tuples)."""
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        values["address_lines"] = tuple(values.get("address_lines") or ())
        return cls(**values)

    @property
    def city_line(self) -> str:
        return f"{self.postcode} {self.city}".strip()

    @property
    def address_block(self) -> tuple[str, ...]:
        """Street lines, then postcode and city, then the country when it is not France."""
        lines = [line for line in self.address_lines if line]
        if self.city_line:
            lines.append(self.city_line)
        if self.country and self.country != "FR":
            lines.append(self.country)
        return tuple(lines)


@dataclass(frozen=True)
class SellerParty(Party):
    """The employer group itself: adds what a seller prints (bank details, APE code)."""

    iban: str = ""
    bic: str = ""
    ape: str = ""
    phone: str = ""

    @property
    def iban_display(self) -> str:
        """IBAN in groups of four, as printed: FR76 3000 6000 0112 3456 7890 189."""
        compact = self.iban.replace(" ", "").upper()
        return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))

    @property
    def identity_line(self) -> str:
        """One line of legal identity for page footers."""
        parts = [self.name]
        if self.legal_form:
            parts.append(self.legal_form)
        parts.append(", ".join(self.address_block))
        if self.siret:
            parts.append(f"SIRET {self.siret}")
        if self.ape:
            parts.append(f"APE {self.ape}")
        if self.vat_number:
            parts.append(f"TVA {self.vat_number}")
        return " – ".join(p for p in parts if p)


# --------------------------------------------------------------------------------------
# Lines
# --------------------------------------------------------------------------------------


def hours_from_minutes(minutes: int) -> Decimal:
    """Whole minutes as hours with two decimals, half-up (display and API: 2265 → 37.75)."""
    return (Decimal(minutes) / 60).quantize(CENT, rounding=ROUND_HALF_UP)


def format_hours(minutes: int) -> str:
    """Hours and minutes for people: 2265 → '37 h 45'."""
    sign = "-" if minutes < 0 else ""
    h, m = divmod(abs(minutes), 60)
    return f"{sign}{h} h {m:02d}"


@dataclass(frozen=True)
class InvoiceLine:
    """One invoice line. ``quantity`` is hours (2 decimals) for time, 1 for a flat amount."""

    kind: LineKind
    label: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    unit: UnitCode = "C62"
    service_code: str = ""
    minutes: int | None = None

    @property
    def precise_quantity(self) -> Decimal:
        """Quantity for the XML (4 decimals): exact hours from minutes when known."""
        if self.minutes is not None:
            return (Decimal(self.minutes) / 60).quantize(_QUANTITY_PLACES, rounding=ROUND_HALF_UP)
        return self.quantity

    @property
    def hours(self) -> Decimal | None:
        return hours_from_minutes(self.minutes) if self.minutes is not None else None


def service_line(service_code: str, label: str, minutes: int, rate: Decimal) -> InvoiceLine:
    """Provisional invoice line (SPEC §5): ``round_half_up(minutes × rate / 60, 2)``.

    The amount is computed from the minutes, never from the rounded hours shown.
    """
    if minutes < 0:
        raise InvoiceError([f"{service_code}: minutes must not be negative ({minutes})"])
    rate = D(rate)
    if rate < 0:
        raise InvoiceError([f"{service_code}: the hourly rate must not be negative ({rate})"])
    amount = round_cents(Decimal(minutes) * rate / 60)
    return InvoiceLine(
        kind="service",
        label=label,
        quantity=hours_from_minutes(minutes),
        unit_price=rate,
        amount=amount,
        unit="HUR",
        service_code=service_code,
        minutes=minutes,
    )


def regularisation_line(label: str, amount: Decimal, service_code: str = "") -> InvoiceLine:
    """Year-end regularisation (SPEC §5): a flat positive amount (the document kind carries
    the direction: complementary invoice or credit note)."""
    amount = round_cents(D(amount))
    if amount < 0:
        raise InvoiceError([f"regularisation amount must be positive; got {amount}"])
    return InvoiceLine(
        kind="regularisation",
        label=label,
        quantity=Decimal("1"),
        unit_price=amount,
        amount=amount,
        unit="C62",
        service_code=service_code,
    )


def membership_fee(previous_year_gross: Decimal, rate_percent: Decimal, cap: Decimal) -> Decimal:
    """SPEC §5 "Membership fee": ``min(round_half_up(rate × previous-year gross, 2), cap)``."""
    fee = round_cents(D(previous_year_gross) * D(rate_percent) / 100)
    return min(fee, round_cents(D(cap)))


def fee_line(label: str, amount: Decimal) -> InvoiceLine:
    """The yearly membership fee ("Cotisation"): outside the scope of VAT."""
    amount = round_cents(D(amount))
    if amount < 0:
        raise InvoiceError([f"fee amount must be positive; got {amount}"])
    return InvoiceLine(
        kind="fee",
        label=label,
        quantity=Decimal("1"),
        unit_price=amount,
        amount=amount,
        unit="C62",
    )


# --------------------------------------------------------------------------------------
# VAT and totals
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VatBreakdown:
    """Totals of one VAT category and rate (EN 16931 BG-23)."""

    category: VatCategory
    rate: Decimal  # percent; 0.00 for E and O
    base: Decimal
    vat: Decimal
    mention: str = ""  # exemption / out-of-scope text (BT-120), printed on the document
    exemption_code: str = ""  # VATEX code (BT-121)

    @property
    def label(self) -> str:
        if self.category == "S":
            return f"TVA {_percent(self.rate)} %"
        if self.category == "E":
            return "Exonéré (art. 261 B du CGI)"
        return "Hors champ de la TVA"

    @property
    def total_label(self) -> str:
        """Label of the VAT amount in the totals: 'TVA 20 %', 'TVA (exonération)'."""
        if self.category == "S":
            return self.label
        return "TVA (exonération)" if self.category == "E" else "TVA (hors champ)"


@dataclass(frozen=True)
class Totals:
    excl_tax: Decimal
    vat: Decimal
    incl_tax: Decimal
    breakdown: tuple[VatBreakdown, ...]

    @property
    def vat_mentions(self) -> tuple[str, ...]:
        return tuple(b.mention for b in self.breakdown if b.mention)


def line_vat(kind: LineKind, regime: VatRegime) -> tuple[VatCategory, Decimal]:
    """VAT category and rate of a line: the fee is out of scope; services and their
    regularisation follow the member's regime (SPEC §3: ``exempt_261B`` or ``vat_20``)."""
    if regime not in VAT_REGIMES:
        raise InvoiceError([f"unknown VAT regime {regime!r}"])
    if kind in OUT_OF_SCOPE_KINDS:
        return "O", ZERO
    if regime == "exempt_261B":
        return "E", ZERO
    return "S", VAT_STANDARD_RATE


_CATEGORY_ORDER: dict[VatCategory, int] = {"S": 0, "E": 1, "O": 2}


def invoice_totals(lines: Iterable[InvoiceLine], vat_regime: VatRegime) -> Totals:
    """SPEC §5 "Invoice totals": excl. = Σ lines; VAT per rate on the sum of the lines of
    that rate, rounded half-up to the cent once; incl. = excl. + VAT."""
    groups: dict[tuple[VatCategory, Decimal], Decimal] = {}
    lines = tuple(lines)
    late_payment = bool(lines) and all(line.kind in LATE_PAYMENT_KINDS for line in lines)
    for line in lines:
        key = line_vat(line.kind, vat_regime)
        groups[key] = groups.get(key, ZERO) + D(line.amount)
    breakdown: list[VatBreakdown] = []
    for (category, rate), base in sorted(
        groups.items(), key=lambda item: (_CATEGORY_ORDER[item[0][0]], -item[0][1])
    ):
        if category == "S":
            breakdown.append(VatBreakdown("S", rate, base, round_cents(base * rate / 100)))
        elif category == "E":
            breakdown.append(
                VatBreakdown("E", ZERO, base, ZERO, EXEMPTION_261B_MENTION, EXEMPTION_261B_VATEX)
            )
        else:
            breakdown.append(
                VatBreakdown(
                    "O",
                    ZERO,
                    base,
                    ZERO,
                    LATE_PAYMENT_OUT_OF_SCOPE_MENTION if late_payment else FEE_OUT_OF_SCOPE_MENTION,
                    FEE_OUT_OF_SCOPE_VATEX,
                )
            )
    excl = sum((b.base for b in breakdown), ZERO)
    vat = sum((b.vat for b in breakdown), ZERO)
    return Totals(excl_tax=excl, vat=vat, incl_tax=excl + vat, breakdown=tuple(breakdown))


# --------------------------------------------------------------------------------------
# Numbering (SPEC §5: one series per kind and year, continuous, no gaps)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InvoiceNumber:
    kind: DocumentKind
    year: int
    seq: int

    def __str__(self) -> str:
        return format_invoice_number(self.kind, self.year, self.seq)


def format_invoice_number(kind: DocumentKind, year: int, seq: int) -> str:
    """``F-2026-0001`` (invoice), ``A-2026-0001`` (credit note)."""
    if kind not in _KIND_PREFIX:
        raise InvoiceError([f"unknown document kind {kind!r}"])
    if not 1000 <= year <= 9999:
        raise InvoiceError([f"year out of range: {year}"])
    if seq < 1:
        raise InvoiceError([f"sequence numbers start at 1; got {seq}"])
    return f"{_KIND_PREFIX[kind]}-{year:04d}-{seq:04d}"


def parse_invoice_number(number: str) -> InvoiceNumber:
    match = _NUMBER_RE.match(number.strip())
    if not match or int(match["seq"]) < 1:
        raise InvoiceError([f"not an invoice or credit note number: {number!r}"])
    return InvoiceNumber(_PREFIX_KIND[match["prefix"]], int(match["year"]), int(match["seq"]))


def next_number(last_seq: int | None) -> int:
    """The sequence number after the last one used in a series (None or 0: none yet)."""
    if last_seq is not None and last_seq < 0:
        raise InvoiceError([f"last sequence number must not be negative; got {last_seq}"])
    return (last_seq or 0) + 1


def check_number_sequence(numbers: Iterable[str]) -> list[str]:
    """Every gap, duplicate or malformed number in a set of issued numbers, per series."""
    problems: list[str] = []
    series: dict[tuple[DocumentKind, int], list[int]] = {}
    for number in numbers:
        try:
            parsed = parse_invoice_number(number)
        except InvoiceError as exc:
            problems.extend(exc.problems)
            continue
        series.setdefault((parsed.kind, parsed.year), []).append(parsed.seq)
    for (kind, year), seqs in sorted(series.items()):
        seen: set[int] = set()
        for seq in sorted(seqs):
            if seq in seen:
                problems.append(f"duplicate number {format_invoice_number(kind, year, seq)}")
            seen.add(seq)
        for missing in sorted(set(range(1, max(seen) + 1)) - seen):
            problems.append(f"missing number {format_invoice_number(kind, year, missing)}")
    return problems


# --------------------------------------------------------------------------------------
# The document
# --------------------------------------------------------------------------------------


def due_date(issue_date: date, payment_terms_days: int) -> date:
    """Payment due date: issue date + terms (art. L441-10 C. com.: at most 60 days)."""
    if not 0 <= payment_terms_days <= MAX_PAYMENT_TERMS_DAYS:
        raise InvoiceError(
            [
                f"payment terms must be between 0 and {MAX_PAYMENT_TERMS_DAYS} days "
                f"(art. L441-10 C. com.); got {payment_terms_days}"
            ]
        )
    return issue_date + timedelta(days=payment_terms_days)


def late_penalty_mention(rate: Decimal | None) -> str:
    """Late-payment penalty mention (art. L441-9 and L441-10 C. com.)."""
    if rate is None:
        return LATE_PENALTY_DEFAULT_MENTION
    return (
        f"Pénalités de retard : taux annuel de {_percent(D(rate))} %, exigibles de plein droit "
        "dès le lendemain de la date d'échéance (art. L441-10 du Code de commerce)."
    )


@dataclass(frozen=True)
class InvoiceReference:
    """A preceding invoice cited by a credit note (EN 16931 BG-3: BT-25 number, BT-26 date)."""

    number: str
    issue_date: date


@dataclass(frozen=True)
class CorrectedInvoice:
    """An invoice a rectifying document (the year-end regularisation) corrects, with the
    share of the document's amount and VAT that corrects it (art. 242 nonies A ann. II CGI:
    the rectifying document refers to the invoices it corrects)."""

    number: str
    issue_date: date
    amount_excl_tax: Decimal
    vat: Decimal


@dataclass(frozen=True)
class TimeAnnexRow:
    """One timesheet entry behind an invoice (SPEC §5: date, employee, hours)."""

    day: date
    employee_name: str
    service_code: str
    minutes: int
    service_label: str = ""
    note: str = ""

    @property
    def hours(self) -> Decimal:
        return hours_from_minutes(self.minutes)


@dataclass(frozen=True)
class InvoiceDocument:
    """Everything an invoice or credit note shows. Totals and due date are derived, never
    given: they are recomputed from the lines at construction, so they cannot disagree.

    Construction checks the invariants and raises :class:`InvoiceError` listing every
    problem at once.
    """

    kind: DocumentKind
    number: str
    issue_date: date
    period_start: date
    period_end: date
    seller: SellerParty
    buyer: Party
    vat_regime: VatRegime
    lines: tuple[InvoiceLine, ...]
    payment_terms_days: int = 30
    # Annual percent agreed for late-payment penalties; None: the legal default (ECB + 10 pts).
    late_penalty_rate: Decimal | None = None
    nature: str = NATURE_SERVICES
    vat_on_debits: bool = False
    # Delivery address when different from the buyer's (décret 2022-1299; goods only).
    delivery_address: tuple[str, ...] = ()
    purchase_order: str = ""  # art. L441-9 C. com.: the buyer's order number, if any
    cited_invoices: tuple[InvoiceReference, ...] = ()  # credit notes: what they correct
    credit_reason: str = ""
    time_annex: tuple[TimeAnnexRow, ...] = ()
    notes: tuple[str, ...] = ()
    currency: str = "EUR"
    # The invoices a regularisation corrects, its amount and VAT split over them.
    corrected_invoices: tuple[CorrectedInvoice, ...] = ()
    totals: Totals = field(init=False)
    due_date: date = field(init=False)

    def __post_init__(self) -> None:
        problems = _check_document(self)
        if problems:
            raise InvoiceError(problems)
        object.__setattr__(self, "totals", invoice_totals(self.lines, self.vat_regime))
        terms = 0 if self.kind == "credit_note" else self.payment_terms_days
        object.__setattr__(self, "due_date", due_date(self.issue_date, terms))

    # -- presentation helpers shared by the PDF, the .docx and the XML -----------------

    @property
    def is_credit_note(self) -> bool:
        return self.kind == "credit_note"

    @property
    def title(self) -> str:
        return "Avoir" if self.is_credit_note else "Facture"

    @property
    def type_code(self) -> str:
        """UNTDID 1001: 380 commercial invoice, 381 credit note."""
        return "381" if self.is_credit_note else "380"

    @property
    def vat_mentions(self) -> tuple[str, ...]:
        return self.totals.vat_mentions

    @property
    def late_penalty_mention(self) -> str:
        return late_penalty_mention(self.late_penalty_rate)

    @property
    def payment_mentions(self) -> tuple[str, ...]:
        """Art. L441-9 C. com.: penalty rate, 40 € indemnity, discount terms."""
        return (self.late_penalty_mention, RECOVERY_INDEMNITY_MENTION, NO_DISCOUNT_MENTION)

    @property
    def reform_mentions(self) -> tuple[str, ...]:
        """The e-invoicing reform's mentions that are printed as text (décret 2022-1299).

        The buyer's SIREN is printed in the buyer block; the delivery address only when
        given; the debit option only when chosen.
        """
        mentions = [f"Nature de l'opération : {self.nature}"]
        if self.vat_on_debits:
            mentions.append(DEBIT_OPTION_MENTION)
        return tuple(mentions)

    @property
    def operation_description(self) -> str:
        """What is invoiced, in words, next to the nature of the operation."""
        if all(line.kind == "fee" for line in self.lines):
            return "cotisation annuelle de membre du groupement"
        if all(line.kind in LATE_PAYMENT_KINDS for line in self.lines):
            return (
                "pénalités de retard et indemnités forfaitaires pour frais de recouvrement "
                "(art. L441-10 et D441-5 du Code de commerce)"
            )
        return "mise à disposition de personnel par le groupement d'employeurs"

    @property
    def credit_mention(self) -> str:
        if not self.is_credit_note:
            return ""
        refs = ", ".join(f"n° {r.number} du {r.issue_date:%d/%m/%Y}" for r in self.cited_invoices)
        text = (
            f"Avoir sur facture {refs}"
            if len(self.cited_invoices) == 1
            else (f"Avoir sur factures {refs}" if refs else "Avoir")
        )
        if self.credit_reason:
            text += f". Motif : {self.credit_reason}"
        return text

    def annex_totals_by_service(self) -> tuple[tuple[str, int], ...]:
        totals: dict[str, int] = {}
        for row in self.time_annex:
            totals[row.service_code] = totals.get(row.service_code, 0) + row.minutes
        return tuple(sorted(totals.items()))

    @property
    def annex_total_minutes(self) -> int:
        return sum(row.minutes for row in self.time_annex)


def _check_document(doc: InvoiceDocument) -> list[str]:
    """Every structural problem of the document, at once: kind, regime and number, period,
    lines, the fee on its own, citations and payment terms, currency."""
    problems = _kind_regime_and_number_problems(doc)
    if doc.period_start > doc.period_end:
        problems.append("the service period ends before it starts")
    problems.extend(_line_problems(doc.lines))
    if doc.kind == "invoice" and doc.cited_invoices:
        problems.append("only credit notes cite preceding invoices")
    if doc.kind == "invoice" and not 0 <= doc.payment_terms_days <= MAX_PAYMENT_TERMS_DAYS:
        problems.append(
            f"payment terms must be between 0 and {MAX_PAYMENT_TERMS_DAYS} days "
            f"(art. L441-10 C. com.); got {doc.payment_terms_days}"
        )
    if doc.currency != "EUR":
        problems.append("only euro invoices are supported")
    return problems


def _kind_regime_and_number_problems(doc: InvoiceDocument) -> list[str]:
    problems: list[str] = []
    if doc.kind not in _KIND_PREFIX:
        problems.append(f"unknown document kind {doc.kind!r}")
    if doc.vat_regime not in VAT_REGIMES:
        problems.append(f"unknown VAT regime {doc.vat_regime!r}")
    try:
        parsed = parse_invoice_number(doc.number)
    except InvoiceError as exc:
        return [*problems, *exc.problems]
    if parsed.kind != doc.kind:
        problems.append(f"number {doc.number} is not in the {doc.kind} series")
    if parsed.year != doc.issue_date.year:
        problems.append(
            f"number {doc.number} is not in the series of its issue year {doc.issue_date.year}"
        )
    return problems


def _line_problems(lines: Sequence[InvoiceLine]) -> list[str]:
    problems: list[str] = []
    if not lines:
        problems.append("a document needs at least one line")
    for i, line in enumerate(lines, start=1):
        if line.kind not in LINE_KINDS:
            problems.append(f"line {i}: unknown kind {line.kind!r}")
        if D(line.amount) < 0:
            problems.append(
                f"line {i}: negative amount {line.amount} (credit notes carry positive amounts)"
            )
        if D(line.amount) != round_cents(D(line.amount)):
            problems.append(f"line {i}: amount {line.amount} is not rounded to the cent")
        if not line.label.strip():
            problems.append(f"line {i}: a line needs a description")
    kinds = {line.kind for line in lines}
    if "fee" in kinds and kinds != {"fee"}:
        problems.append(
            "the membership fee (outside the scope of VAT) must be invoiced on its own: "
            "EN 16931 forbids mixing category O with other VAT categories (BR-O-11…14)"
        )
    late = kinds & set(LATE_PAYMENT_KINDS)
    if late and kinds - set(LATE_PAYMENT_KINDS):
        problems.append(
            "late-payment penalties and indemnities (outside the scope of VAT) must be invoiced "
            "on their own: EN 16931 forbids mixing category O with other categories (BR-O-11…14)"
        )
    return problems


def missing_mentions(doc: InvoiceDocument) -> list[str]:
    """Mentions the law asks for that the parties' data cannot provide (to warn the
    accountant before issuing; the document is still valid structurally)."""
    missing: list[str] = []
    s, b = doc.seller, doc.buyer
    if not s.siren:
        missing.append("SIREN du groupement")
    if not s.vat_number and doc.totals.breakdown and doc.totals.breakdown[0].category != "O":
        missing.append("numéro de TVA intracommunautaire du groupement")
    if not s.iban:
        missing.append("IBAN du groupement")
    if not s.address_lines or not s.city:
        missing.append("adresse du groupement")
    if not b.siren:
        missing.append(
            f"SIREN de {b.name} (mention obligatoire, réforme de la facturation électronique)"
        )
    if not b.address_lines or not b.city:
        missing.append(f"adresse de {b.name}")
    if doc.is_credit_note and not doc.cited_invoices:
        missing.append("référence de la facture d'origine")
    if doc.is_credit_note and not doc.credit_reason.strip():
        missing.append("motif de l'avoir")
    return missing


# --------------------------------------------------------------------------------------
# Credit notes
# --------------------------------------------------------------------------------------


def full_credit_lines(lines: Iterable[InvoiceLine]) -> tuple[InvoiceLine, ...]:
    """A full credit note mirrors the invoice's lines, amounts positive."""
    return tuple(lines)


def credit_line_for_amount(line: InvoiceLine, amount: Decimal, label: str = "") -> InvoiceLine:
    """A partial credit of one invoice line by an amount (quantity 1, flat)."""
    amount = round_cents(D(amount))
    if amount <= 0 or amount > line.amount:
        raise InvoiceError(
            [f"credited amount must be > 0 and ≤ the line amount {line.amount}; got {amount}"]
        )
    return InvoiceLine(
        kind=line.kind,
        label=label or f"{line.label} (avoir partiel)",
        quantity=Decimal("1"),
        unit_price=amount,
        amount=amount,
        unit="C62",
        service_code=line.service_code,
    )


def make_credit_note(
    invoice: InvoiceDocument,
    *,
    number: str,
    issue_date: date,
    reason: str,
    lines: Sequence[InvoiceLine] | None = None,
    amounts: Mapping[int, Decimal] | None = None,
    notes: tuple[str, ...] = (),
) -> InvoiceDocument:
    """A credit note (avoir) correcting ``invoice``: it cites its number and date.

    * no ``lines`` nor ``amounts``: full credit, the invoice's lines mirrored;
    * ``amounts``: partial credit, ``{line index (0-based): amount}`` of the invoice's lines;
    * ``lines``: any lines (e.g. a ``service_line`` for the minutes to credit).

    The credited total (excl. tax) may not exceed the invoice's.
    """
    if invoice.kind != "invoice":
        raise InvoiceError([f"{invoice.number} is not an invoice"])
    if lines is not None and amounts is not None:
        raise InvoiceError(["give either lines or amounts, not both"])
    if amounts is not None:
        problems = [
            f"line index {i} not on invoice {invoice.number}"
            for i in amounts
            if not 0 <= i < len(invoice.lines)
        ]
        if problems:
            raise InvoiceError(problems)
        credit_lines = tuple(
            credit_line_for_amount(invoice.lines[i], a) for i, a in sorted(amounts.items())
        )
    elif lines is not None:
        credit_lines = tuple(lines)
    else:
        credit_lines = full_credit_lines(invoice.lines)
    credited = sum((line.amount for line in credit_lines), ZERO)
    if credited > invoice.totals.excl_tax:
        raise InvoiceError(
            [
                f"the credit note ({credited}) exceeds invoice {invoice.number} "
                f"({invoice.totals.excl_tax}) excluding tax"
            ]
        )
    return replace(
        invoice,
        kind="credit_note",
        number=number,
        issue_date=issue_date,
        lines=credit_lines,
        cited_invoices=(InvoiceReference(invoice.number, invoice.issue_date),),
        credit_reason=reason,
        time_annex=invoice.time_annex if lines is None and amounts is None else (),
        notes=notes,
        purchase_order=invoice.purchase_order,
    )


# --------------------------------------------------------------------------------------
# Monthly time statement (relevé mensuel de mise à disposition, SPEC §6)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeStatementRow:
    day: date
    employee_name: str
    service_code: str
    service_label: str
    minutes: int
    note: str = ""

    @property
    def hours(self) -> Decimal:
        return hours_from_minutes(self.minutes)


@dataclass(frozen=True)
class TimeStatement:
    """Hours of the shared staff made available to one member in one month."""

    seller: SellerParty  # the employer group
    member: Party
    year: int
    month: int
    rows: tuple[TimeStatementRow, ...]
    issue_date: date
    reference: str = ""  # e.g. "R-2026-11-LEFIL"
    invoice_number: str = ""  # the provisional invoice of the month, if issued
    ge_signatory: str = ""  # name and role of who signs for the group
    member_signatory: str = ""
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        problems = []
        if not 1 <= self.month <= 12:
            problems.append(f"month out of range: {self.month}")
        for i, row in enumerate(self.rows, start=1):
            if row.minutes <= 0:
                problems.append(f"row {i}: duration must be positive")
            if (row.day.year, row.day.month) != (self.year, self.month):
                problems.append(
                    f"row {i}: {row.day.isoformat()} is not in {self.year}-{self.month:02d}"
                )
        if problems:
            raise InvoiceError(problems)

    @property
    def period_start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def period_end(self) -> date:
        nxt = date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return nxt - timedelta(days=1)

    def sorted_rows(self) -> tuple[TimeStatementRow, ...]:
        return tuple(sorted(self.rows, key=lambda r: (r.employee_name, r.day, r.service_code)))

    @property
    def employees(self) -> tuple[str, ...]:
        return tuple(sorted({r.employee_name for r in self.rows}))

    @property
    def services(self) -> tuple[tuple[str, str], ...]:
        """(code, label) of the services with time, by code."""
        return tuple(sorted({(r.service_code, r.service_label) for r in self.rows}))

    def minutes_by_employee(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.rows:
            out[r.employee_name] = out.get(r.employee_name, 0) + r.minutes
        return dict(sorted(out.items()))

    def minutes_by_service(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.rows:
            out[r.service_code] = out.get(r.service_code, 0) + r.minutes
        return dict(sorted(out.items()))

    def minutes_by_employee_service(self) -> dict[tuple[str, str], int]:
        out: dict[tuple[str, str], int] = {}
        for r in self.rows:
            key = (r.employee_name, r.service_code)
            out[key] = out.get(key, 0) + r.minutes
        return out

    @property
    def total_minutes(self) -> int:
        return sum(r.minutes for r in self.rows)


def _percent(rate: Decimal) -> str:
    """20.00 → '20'; 12.15 → '12,15' (French decimal comma, no trailing zeros)."""
    text = format(D(rate).normalize(), "f")
    return text.replace(".", ",")
