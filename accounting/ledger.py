"""The books, pure: journal entries and their balance, the posting rules of the group's
documents, the inalterability chain, and the FEC (Fichier des écritures comptables).

* **Entries** are frozen dataclasses; every entry the software builds goes through
  :func:`assert_balanced` (debits = credits to the cent, SPEC §5 "Accounting entries"); the
  accountant's typed entries go through :func:`check_entry`, which returns every problem at
  once (ARCHITECTURE §5).
* **Posting rules**: an invoice / credit note / fee / regularisation → sales journal ``VT``
  (411 auxiliary per member / 706 per service / 756 / 44574, or 44571 under the option for
  debits); a payslip → payroll journal ``PA`` (641 / 645 / 421 / 431 / 437 / 4421); a
  payment → bank journal ``BQ`` (512 / 411, and 44574 → 44571 for the VAT it makes due).
* **Chain**: ``hash_n = sha256(hash_{n-1} + canonical JSON of record n)`` with a gap-free
  sequence (PCG art. 420-5: a validation procedure that forbids any change; the Odoo
  l10n_fr_certification scheme, LEGAL-FACTS §5). :func:`verify_chain` re-walks it.
* **FEC**: art. L47 A and A47 A-1 LPF — the 18 columns in order with their exact names, TAB
  separated, dates ``AAAAMMJJ``, amounts with a decimal comma and no thousands separator,
  ISO 8859-15, file ``<SIREN>FEC<AAAAMMJJ>.txt``.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from accounting.chart import contribution_body, member_aux_number
from accounting.money import ZERO, D, is_cents, round_cents
from accounting.vat import VatMove

__all__ = [
    "FEC_COLUMNS",
    "FEC_ENCODING",
    "GENESIS",
    "AccountRef",
    "Accounts",
    "ChainBreak",
    "ChainItem",
    "ChainReport",
    "Entry",
    "EntryLine",
    "FecError",
    "FecLine",
    "GENERAL_REDUCTION_CODES",
    "SETTLEMENT_KINDS",
    "PayslipData",
    "PayslipLineData",
    "Problem",
    "PurchaseData",
    "SalesDocument",
    "SalesLine",
    "UnbalancedEntry",
    "accrual_entries",
    "assert_balanced",
    "canonical_json",
    "chain_hash",
    "check_entry",
    "check_fec",
    "fec_amount",
    "fec_decimal",
    "fec_filename",
    "fec_text",
    "income_entry",
    "parse_fec",
    "payment_entry",
    "payroll_entry",
    "purchase_entry",
    "reduction_split",
    "result_by_class",
    "salary_tax_entry",
    "sales_entry",
    "supplier_aux_number",
    "settlement_entry",
    "verify_chain",
    "with_year_label",
    "write_fec",
]


# --------------------------------------------------------------------------- entries


class UnbalancedEntry(ValueError):
    """An entry the software built does not balance: a bug, never a user error."""


@dataclass(frozen=True)
class Problem:
    """One problem of a typed entry: the line it belongs to (1-based) or None for the whole
    entry, and a French message."""

    line: int | None
    message: str


@dataclass(frozen=True)
class EntryLine:
    account: str
    account_label: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    aux_number: str | None = None
    aux_label: str | None = None
    label: str = ""
    member_code: str | None = None
    service_code: str | None = None


@dataclass(frozen=True)
class Entry:
    journal: str
    day: date
    label: str
    piece_ref: str
    piece_date: date
    lines: tuple[EntryLine, ...]

    @property
    def total_debit(self) -> Decimal:
        return sum((line.debit for line in self.lines), ZERO)

    @property
    def total_credit(self) -> Decimal:
        return sum((line.credit for line in self.lines), ZERO)


_ACCOUNT = re.compile(r"^[1-8][0-9A-Z]{2,19}$")


def check_entry(entry: Entry) -> list[Problem]:
    """Every problem of an entry at once: at least two lines, each line a positive amount in
    cents on one side only, a valid account, and debits equal to credits."""
    problems: list[Problem] = []
    if not entry.label.strip():
        problems.append(Problem(None, "indiquez le libellé de l'écriture"))
    if len(entry.lines) < 2:
        problems.append(Problem(None, "une écriture a au moins deux lignes"))
    for i, line in enumerate(entry.lines, start=1):
        if not _ACCOUNT.match(line.account or ""):
            problems.append(
                Problem(
                    i,
                    f"compte « {line.account} » invalide (classe 1 à 8, au moins trois caractères)",
                )
            )
        debit, credit = D(line.debit), D(line.credit)
        if debit < 0 or credit < 0:
            problems.append(Problem(i, "les montants sont positifs"))
        elif debit and credit:
            problems.append(Problem(i, "une ligne est au débit ou au crédit, pas les deux"))
        elif not debit and not credit:
            problems.append(Problem(i, "montant manquant"))
        for amount in (debit, credit):
            if not is_cents(amount):
                problems.append(Problem(i, "au plus deux décimales"))
                break
    if entry.lines and entry.total_debit != entry.total_credit:
        problems.append(
            Problem(
                None,
                f"écriture déséquilibrée : débit {entry.total_debit} € ≠ "
                f"crédit {entry.total_credit} € "
                f"(écart {entry.total_debit - entry.total_credit} €)",
            )
        )
    return problems


def assert_balanced(entry: Entry) -> Entry:
    """The invariant of every generated entry; raises :class:`UnbalancedEntry`."""
    problems = check_entry(entry)
    if problems:
        raise UnbalancedEntry(
            f"{entry.journal} {entry.piece_ref}: " + "; ".join(p.message for p in problems)
        )
    return entry


def _side(account: AccountRef, amount: Decimal, *, debit: bool, **extra: Any) -> EntryLine:
    """A line of ``amount`` on the debit (or credit) side; a negative amount goes to the
    other side, so no line ever carries a negative figure."""
    amount = D(amount)
    if amount < 0:
        amount, debit = -amount, not debit
    return EntryLine(
        account=account.number,
        account_label=account.label,
        debit=amount if debit else ZERO,
        credit=ZERO if debit else amount,
        **extra,
    )


# --------------------------------------------------------------------------- accounts


@dataclass(frozen=True)
class AccountRef:
    number: str
    label: str


@dataclass(frozen=True)
class Accounts:
    """The chart as the posting rules see it: one account per purpose, one per service."""

    by_purpose: Mapping[str, AccountRef]
    by_service: Mapping[str, AccountRef]

    def __getitem__(self, purpose: str) -> AccountRef:
        return self.by_purpose[purpose]

    def sales(self, service_code: str | None) -> AccountRef:
        if service_code and service_code in self.by_service:
            return self.by_service[service_code]
        return self.by_purpose["sales_other"]


# --------------------------------------------------------------------------- sales (VT)


@dataclass(frozen=True)
class SalesLine:
    kind: str  # service / regularisation / fee
    amount: Decimal
    service_code: str | None = None


@dataclass(frozen=True)
class SalesDocument:
    number: str
    kind: str  # invoice / credit_note
    issue_date: date
    member_code: str
    member_name: str
    lines: tuple[SalesLine, ...]
    vat: Decimal
    total_incl_tax: Decimal
    origin: str = "monthly"
    # VAT due on receipt (art. 269-2-c CGI, the default): 44574 at invoicing, moved to 44571
    # by each payment (accounting/vat.py); False under the option for debits: 44571 at once.
    vat_on_receipt: bool = True


def _revenue_account(line: SalesLine, accounts: Accounts) -> AccountRef:
    """756 for the membership fee; 7638 for late-payment penalties (PCG: interest on
    receivables is financial income); 758 for the 40 € recovery indemnity (compensation of
    recovery costs, other operating income); the service's 706 otherwise."""
    by_kind = {"fee": "fee", "penalty": "late_penalties", "indemnity": "other_income"}
    if line.kind in by_kind:
        return accounts[by_kind[line.kind]]
    return accounts.sales(line.service_code)


def sales_entry(doc: SalesDocument, accounts: Accounts) -> Entry:
    """``VT``: the member's auxiliary account for the total, revenue per account and service
    (fees to 756, services to their 706 sub-account), the VAT to 44574 (due on receipt, the
    default) or to 44571 (option for debits). A credit note is the same entry reversed."""
    what = "Avoir" if doc.kind == "credit_note" else "Facture"
    label = f"{what} {doc.number} {doc.member_code}"
    invoice = doc.kind != "credit_note"
    analytic = {"member_code": doc.member_code}
    receivable = accounts["receivable"]
    lines = [
        _side(
            receivable,
            doc.total_incl_tax,
            debit=invoice,
            aux_number=member_aux_number(doc.member_code),
            aux_label=doc.member_name,
            label=label,
            **analytic,
        )
    ]
    revenue: dict[tuple[str, str, str | None], Decimal] = defaultdict(lambda: ZERO)
    refs: dict[str, AccountRef] = {}
    for line in doc.lines:
        account = _revenue_account(line, accounts)
        refs[account.number] = account
        service = line.service_code if line.kind in ("service", "regularisation") else None
        revenue[(account.number, line.kind, service)] += D(line.amount)
    for (number, _kind, service), amount in revenue.items():
        if amount:
            lines.append(
                _side(
                    refs[number],
                    amount,
                    debit=not invoice,
                    label=label,
                    service_code=service,
                    **analytic,
                )
            )
    if doc.vat:
        vat_account = accounts["vat_pending" if doc.vat_on_receipt else "vat_collected"]
        lines.append(_side(vat_account, doc.vat, debit=not invoice, label=label, **analytic))
    return assert_balanced(
        Entry("VT", doc.issue_date, label, doc.number, doc.issue_date, tuple(lines))
    )


# --------------------------------------------------------------------------- cut-off


def _mirror(line: EntryLine) -> EntryLine:
    """The same line on the other side (a reversal)."""
    return replace(line, debit=line.credit, credit=line.debit)


def _accrued(line: EntryLine, receivable: str, accrued: AccountRef, vat: AccountRef) -> EntryLine:
    """A VT line as the accrual books it: the member's total on the accrued account (no
    auxiliary account: 4181/4198 are not the member's ledger), the VAT on 44587."""
    if line.account == receivable:
        ref = accrued
    elif line.account.startswith("4457"):
        ref = vat
    else:
        return line
    return replace(
        line, account=ref.number, account_label=ref.label, aux_number=None, aux_label=None
    )


def accrual_entries(entry: Entry, year: int, accounts: Accounts) -> tuple[Entry, Entry]:
    """The cut-off of a sales document of year ``year`` issued after it (SPEC §5 "Cut-off";
    PCG art. 513-4 and 944-41: revenue belongs to the year the service was rendered): the
    accrual ``OD`` at 31/12/Y — the VT entry's own revenue lines, its member's total on 4181
    *factures à établir* (4198 *avoirs à établir* for a credit note) instead of 411, its VAT
    (44571 or 44574) on 44587 *TVA sur factures à établir* — and its reversal on 01/01/Y+1,
    the mirror image. In Y+1 the reversal and the VT entry net to zero on revenue, so the
    revenue stays in Y. Every line keeps the analytic member (and service) of the VT entry;
    the piece is the document itself (its number and issue date)."""
    receivable = accounts["receivable"].number
    invoice = any(ln.account == receivable and ln.debit for ln in entry.lines)
    accrued = accounts["accrued_receivable"] if invoice else accounts["accrued_credit"]
    label = f"{'FAE' if invoice else 'AAE'} {entry.piece_ref} (exercice {year})"
    member_code = next((ln.member_code for ln in entry.lines if ln.member_code), None)
    lines = tuple(
        replace(
            _accrued(ln, receivable, accrued, accounts["vat_accrued"]),
            label=label,
            member_code=ln.member_code or member_code,
        )
        for ln in entry.lines
    )
    back = f"Extourne {label}"
    accrual = Entry("OD", date(year, 12, 31), label, entry.piece_ref, entry.piece_date, lines)
    reversal = Entry(
        "OD",
        date(year + 1, 1, 1),
        back,
        entry.piece_ref,
        entry.piece_date,
        tuple(replace(_mirror(ln), label=back) for ln in lines),
    )
    return assert_balanced(accrual), assert_balanced(reversal)


def with_year_label(entry: Entry, year: int) -> Entry:
    """An entry of a document of ``year`` booked in a later year (``year`` already closed):
    its label says which year's service it is, « … (exercice 2025) »."""
    suffix = f" (exercice {year})"
    return replace(
        entry,
        label=entry.label + suffix,
        lines=tuple(replace(ln, label=(ln.label or entry.label) + suffix) for ln in entry.lines),
    )


# --------------------------------------------------------------------------- payroll (PA)


@dataclass(frozen=True)
class PayslipLineData:
    code: str
    heading: str
    employee_amount: Decimal
    employer_amount: Decimal


@dataclass(frozen=True)
class PayslipData:
    number: str
    day: date  # the last day of the month paid
    employee_code: str
    employee_name: str
    gross: Decimal
    tax_withheld: Decimal
    net_paid: Decimal
    lines: tuple[PayslipLineData, ...]
    piece_date: date | None = None
    # The share of the general reduction (RGDU / « Fillon ») charged on the Agirc-Arrco
    # contributions, as the DSN imputes it: Agirc-Arrco employer rate in the coefficient ÷
    # the coefficient's maximum (payroll.imputation.reduction_retirement_ratio); 0 = all on
    # the URSSAF.
    reduction_retirement_ratio: Decimal = ZERO


# Payslip line codes of the general employer reduction, whose amount the DSN splits between
# the URSSAF and the complementary-retirement institutions.
GENERAL_REDUCTION_CODES = frozenset({"rgdu"})
# Training and apprenticeship contributions (payroll taxes, PCG 633 / 631, not social
# charges): collected by the URSSAF since 2022 (loi n° 2018-771, art. L6131-3 C. trav.),
# so still owed to 431, but charged to their own accounts.
_PAYROLL_TAX_PREFIXES = {
    "formation_professionnelle": "training_tax",
    "taxe_apprentissage": "apprenticeship_tax",
}

_EMPLOYER = {
    "urssaf": "employer_urssaf",
    "health": "employer_health",
    "retirement": "employer_retirement",
    "training_tax": "training_tax",
    "apprenticeship_tax": "apprenticeship_tax",
}
_BODY = {"urssaf": "urssaf", "health": "health_bodies", "retirement": "retirement_bodies"}


def reduction_split(amount: Decimal, ratio: Decimal) -> tuple[Decimal, Decimal]:
    """``(urssaf, retirement)`` shares of a general-reduction amount: the retirement share
    is ``amount × ratio`` rounded half-up to the cent, the URSSAF share the rest (so the two
    always add up to the amount; urssaf.fr « Réduction générale — règles d'imputation »)."""
    retirement = round_cents(D(amount) * D(ratio))
    return D(amount) - retirement, retirement


def _payroll_charge(code: str, body: str) -> str:
    """The charge account purpose of a payslip line's employer amount."""
    for prefix, purpose in _PAYROLL_TAX_PREFIXES.items():
        if code.startswith(prefix):
            return purpose
    return body


def _payroll_amounts(
    slip: PayslipData,
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """The employer charges by purpose key (:data:`_EMPLOYER`) and what is owed by body."""
    employer: dict[str, Decimal] = defaultdict(lambda: ZERO)
    owed: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in slip.lines:
        body = contribution_body(line.code, line.heading)
        amount = D(line.employer_amount)
        if line.code in GENERAL_REDUCTION_CODES and body == "urssaf":
            urssaf, retirement = reduction_split(amount, slip.reduction_retirement_ratio)
            employer["urssaf"] += urssaf
            employer["retirement"] += retirement
            owed["urssaf"] += D(line.employee_amount) + urssaf
            owed["retirement"] += retirement
            continue
        employer[_payroll_charge(line.code, body)] += amount
        owed[body] += D(line.employee_amount) + amount
    return employer, owed


def payroll_entry(slip: PayslipData, accounts: Accounts) -> Entry:
    """``PA``: gross pay to 641; employer contributions by body to 645 (URSSAF 6451, health
    6452, retirement 6453), net of the general reduction split as the DSN imputes it (its
    Agirc-Arrco share reduces 6453 and 437100, the rest 6451 and 431); training and
    apprenticeship contributions to 633300 / 631200; what is owed: net paid to 421, the
    withheld income tax to 4421, employee and employer contributions to the URSSAF (431) or
    the other bodies (437) by the payslip line's heading and code
    (:func:`accounting.chart.contribution_body`). The charges (641 + 64x + 63x) equal the
    payslip's employer cost."""
    label = f"Paie {slip.number} {slip.employee_code}"
    employer, owed = _payroll_amounts(slip)
    lines = [_side(accounts["salaries"], slip.gross, debit=True, label=label)]
    for key, purpose in _EMPLOYER.items():
        if employer[key]:
            lines.append(_side(accounts[purpose], employer[key], debit=True, label=label))
    lines.append(_side(accounts["net_pay"], slip.net_paid, debit=False, label=label))
    if slip.tax_withheld:
        lines.append(
            _side(accounts["withholding_tax"], slip.tax_withheld, debit=False, label=label)
        )
    for body in ("urssaf", "health", "retirement"):
        if owed[body]:
            lines.append(_side(accounts[_BODY[body]], owed[body], debit=False, label=label))
    lines = [line for line in lines if line.debit or line.credit]
    return assert_balanced(
        Entry("PA", slip.day, label, slip.number, slip.piece_date or slip.day, tuple(lines))
    )


# The payroll debts a settlement pays (SPEC §5: 421 / 431 / 437 / 4421 → 512): kind → the
# purpose of the account, and the label of the entry.
SETTLEMENT_KINDS: dict[str, tuple[str, str]] = {
    "net_pay": ("net_pay", "Salaires nets"),
    "urssaf": ("urssaf", "URSSAF"),
    "retirement": ("retirement_bodies", "Retraite complémentaire"),
    "health": ("health_bodies", "Mutuelle et prévoyance"),
    "withholding_tax": ("withholding_tax", "Prélèvement à la source"),
}


def settlement_entry(
    *, kind: str, month: str, day: date, amount: Decimal, reference: str, accounts: Accounts
) -> Entry:
    """``BQ``: the payroll debt of ``kind`` for ``month`` (YYYY-MM) is paid from the bank —
    debit 421 / 431 / 437100 / 437200 / 4421, credit 512."""
    purpose, what = SETTLEMENT_KINDS[kind]
    label = f"Règlement {what} {month}"
    lines = (
        _side(accounts[purpose], amount, debit=True, label=label),
        _side(accounts["bank"], amount, debit=False, label=label),
    )
    return assert_balanced(Entry("BQ", day, label, reference, day, lines))


def salary_tax_entry(*, year: int, amount: Decimal, accounts: Accounts) -> Entry:
    """``OD`` at 31/12 of ``year``: the taxe sur les salaires due (art. 231 CGI) — debit 631100,
    credit 447000 (paid with the yearly return in January of ``year`` + 1)."""
    day = date(year, 12, 31)
    label = f"Taxe sur les salaires {year}"
    lines = (
        _side(accounts["payroll_tax"], amount, debit=True, label=label),
        _side(accounts["payroll_tax_due"], amount, debit=False, label=label),
    )
    return assert_balanced(Entry("OD", day, label, f"TS-{year}", day, lines))


# --------------------------------------------------------------------------- bank (BQ)


def payment_entry(
    *,
    day: date,
    reference: str,
    member_code: str,
    member_name: str,
    amount: Decimal,
    method: str,
    accounts: Accounts,
    vat_moves: Sequence[VatMove] = (),
) -> Entry:
    """``BQ``: the bank receives, the member's auxiliary account is settled; for each invoice
    whose VAT is due on receipt, the VAT share the payment settles becomes due: D 44574 /
    C 44571 (art. 269-2-c CGI; the shares: :func:`accounting.vat.vat_to_move`)."""
    label = f"Règlement {member_code} {method}".strip()
    analytic = {"member_code": member_code, "label": label}
    lines = [
        _side(accounts["bank"], amount, debit=True, **analytic),
        _side(
            accounts["receivable"],
            amount,
            debit=False,
            aux_number=member_aux_number(member_code),
            aux_label=member_name,
            **analytic,
        ),
    ]
    for move in vat_moves:
        if not move.vat:
            continue
        vat_label = f"TVA exigible encaissement {move.invoice_number}"
        extra = {"member_code": member_code, "label": vat_label}
        lines.append(_side(accounts["vat_pending"], move.vat, debit=True, **extra))
        lines.append(_side(accounts["vat_collected"], move.vat, debit=False, **extra))
    return assert_balanced(Entry("BQ", day, label, reference, day, tuple(lines)))


# --------------------------------------------------------------------------- purchases (HA)


@dataclass(frozen=True)
class PurchaseData:
    """An overhead expense as the purchases journal sees it. ``amount`` is its cost (excl.
    VAT when the VAT is deductible, VAT included otherwise), ``vat`` the deductible VAT with
    the amount's sign (0 when none); both negative for a supplier credit note or a refund."""

    reference: str
    day: date
    account: AccountRef
    label: str
    amount: Decimal
    vat: Decimal = ZERO
    paid_by: str = "supplier"  # supplier (401, auxiliary per supplier) / bank (512)
    supplier: str | None = None
    service_code: str | None = None


DEFAULT_SUPPLIER = "Fournisseurs divers"
_AUX_SLUG = 20  # "401" + 20 characters: within CompAuxNum's 30


def supplier_aux_number(name: str | None) -> str:
    """Auxiliary account of a supplier: ``401`` + its name in capitals without accents nor
    punctuation (``401ORANGEBUSINESS``); the miscellaneous suppliers when unnamed."""
    folded = unicodedata.normalize("NFKD", (name or "").strip() or DEFAULT_SUPPLIER)
    slug = re.sub(r"[^A-Z0-9]", "", folded.encode("ascii", "ignore").decode().upper())
    return f"401{slug[:_AUX_SLUG] or 'DIVERS'}"


def purchase_entry(purchase: PurchaseData, accounts: Accounts) -> Entry:
    """``HA``: the expense's 6xx account for its cost (analytic service when it has one),
    44566 for the deductible VAT (art. 271 CGI), the supplier's 401 auxiliary account — or
    512 when paid straight from the bank — for the total. A negative expense (a supplier
    credit note, a refund) is the same entry reversed."""
    label = purchase.label
    cost, vat = D(purchase.amount), D(purchase.vat)
    lines = [
        _side(
            purchase.account,
            cost,
            debit=True,
            label=label,
            service_code=purchase.service_code,
        )
    ]
    if vat:
        lines.append(_side(accounts["vat_deductible"], vat, debit=True, label=label))
    if purchase.paid_by == "bank":
        lines.append(_side(accounts["bank"], cost + vat, debit=False, label=label))
    else:
        supplier = (purchase.supplier or "").strip() or DEFAULT_SUPPLIER
        lines.append(
            _side(
                accounts["suppliers"],
                cost + vat,
                debit=False,
                label=label,
                aux_number=supplier_aux_number(supplier),
                aux_label=supplier,
            )
        )
    return assert_balanced(
        Entry("HA", purchase.day, label, purchase.reference, purchase.day, tuple(lines))
    )


def income_entry(
    *,
    reference: str,
    day: date,
    account: AccountRef,
    label: str,
    amount: Decimal,
    accounts: Accounts,
    service_code: str | None = None,
) -> Entry:
    """``BQ``: an operating income received (a subsidy to 74, other income to 75…): the bank
    receives, the income account is credited (analytic service when it has one)."""
    lines = (
        _side(accounts["bank"], amount, debit=True, label=label),
        _side(account, amount, debit=False, label=label, service_code=service_code),
    )
    return assert_balanced(Entry("BQ", day, label, reference, day, lines))


# --------------------------------------------------------------------------- chain

GENESIS = "0" * 64


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not canonical JSON: {type(value).__name__}")


def canonical_json(data: Mapping[str, Any]) -> str:
    """Sorted keys, no whitespace, UTF-8 text, Decimals as plain strings: the same record
    always gives the same bytes (on SQLite and PostgreSQL alike, as long as the caller
    normalises amounts to two decimals)."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_jsonable
    )


def chain_hash(previous: str, payload: str) -> str:
    """``sha256(hash_{n-1} + canonical JSON)`` as 64 hexadecimal digits."""
    return hashlib.sha256((previous + payload).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainItem:
    seq: int
    reference: str  # what a human reads: "invoice F-2026-0001"
    previous_hash: str
    hash: str
    payload: str | None  # canonical JSON of the record as it is now; None if it is gone


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reference: str
    reason: str


@dataclass(frozen=True)
class ChainReport:
    length: int
    first_hash: str | None
    last_hash: str | None
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify_chain(items: Iterable[ChainItem]) -> ChainReport:
    """Re-walk the chain from the genesis: a gap in the sequence, a link that does not point
    to its predecessor, a record gone, or a record whose content no longer gives the stored
    hash is the first broken link (the walk still counts the rest)."""
    length, first, last = 0, None, None
    broken: ChainBreak | None = None
    previous = GENESIS
    for item in items:
        length += 1
        first = first or item.hash
        last = item.hash
        if broken is not None:
            continue
        if item.seq != length:
            broken = ChainBreak(
                item.seq,
                item.reference,
                f"séquence interrompue : n° {length} attendu, n° {item.seq} trouvé",
            )
        elif item.previous_hash != previous:
            broken = ChainBreak(
                item.seq, item.reference, "le maillon ne pointe pas sur l'empreinte du précédent"
            )
        elif item.payload is None:
            broken = ChainBreak(item.seq, item.reference, "l'enregistrement a été supprimé")
        elif chain_hash(previous, item.payload) != item.hash:
            broken = ChainBreak(
                item.seq, item.reference, "le contenu a été modifié depuis sa validation"
            )
        previous = item.hash
    return ChainReport(length, first, last, broken)


# --------------------------------------------------------------------------- FEC

FEC_COLUMNS: tuple[str, ...] = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
FEC_ENCODING = "iso-8859-15"  # A47 A-1 III 1°: ASCII, ISO 8859-15 or EBCDIC
FEC_SEPARATOR = "\t"
_FEC_NEWLINE = "\r\n"
_FEC_DATE = re.compile(r"^\d{8}$")
_FEC_AMOUNT = re.compile(r"^\d+,\d{2}$")
# Characters our labels use that ISO 8859-15 lacks (it has « » and é à ç œ €…).
_TYPOGRAPHY = str.maketrans(
    {
        "—": "-",
        "–": "-",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "…": "...",
        "\u202f": " ",
        "\u00a0": " ",
        "\t": " ",
        "\r": " ",
        "\n": " ",
    }
)


class FecError(ValueError):
    pass


@dataclass(frozen=True)
class FecLine:
    journal_code: str
    journal_label: str
    entry_number: str
    entry_date: date
    account_number: str
    account_label: str
    aux_number: str | None
    aux_label: str | None
    piece_ref: str
    piece_date: date
    label: str
    debit: Decimal
    credit: Decimal
    valid_date: date
    matching: str | None = None
    matching_date: date | None = None


def fec_filename(siren: str, closing: date) -> str:
    """``<SIREN>FEC<AAAAMMJJ>.txt``, the date being the year's closing date."""
    if not re.fullmatch(r"\d{9}", siren or ""):
        raise FecError(f"SIREN invalide : {siren!r}")
    return f"{siren}FEC{closing:%Y%m%d}.txt"


def fec_amount(amount: Decimal) -> str:
    """``1234,50``: decimal comma, no thousands separator, two decimals."""
    # Entries are checked to whole cents (check_entry): the rounding never rounds anything.
    return f"{round_cents(amount):f}".replace(".", ",")


def fec_text(text: str | None) -> str:
    """A label as ISO 8859-15 can carry it: no separator nor line break inside a field."""
    cleaned = (text or "").translate(_TYPOGRAPHY).strip()
    return cleaned.encode(FEC_ENCODING, errors="replace").decode(FEC_ENCODING)


def _fec_date(day: date | None) -> str:
    return "" if day is None else f"{day:%Y%m%d}"


def write_fec(lines: Iterable[FecLine]) -> bytes:
    """The FEC file: the header, then one record per line, in the order given (the caller
    gives the entries in validation order)."""
    rows = [FEC_SEPARATOR.join(FEC_COLUMNS)]
    for ln in lines:
        fields = (
            ln.journal_code,
            ln.journal_label,
            ln.entry_number,
            _fec_date(ln.entry_date),
            ln.account_number,
            ln.account_label,
            ln.aux_number or "",
            ln.aux_label or "",
            ln.piece_ref,
            _fec_date(ln.piece_date),
            ln.label,
            fec_amount(ln.debit),
            fec_amount(ln.credit),
            ln.matching or "",
            _fec_date(ln.matching_date),
            _fec_date(ln.valid_date),
            "",
            "",
        )
        rows.append(FEC_SEPARATOR.join(fec_text(f) for f in fields))
    return (_FEC_NEWLINE.join(rows) + _FEC_NEWLINE).encode(FEC_ENCODING)


def parse_fec(data: bytes) -> list[dict[str, str]]:
    """The records of a FEC as dicts keyed by column name; raises :class:`FecError` when the
    header or a record's column count is wrong."""
    text = data.decode(FEC_ENCODING)
    records = text.splitlines()
    if not records:
        raise FecError("fichier vide")
    header = records[0].split(FEC_SEPARATOR)
    if tuple(header) != FEC_COLUMNS:
        raise FecError(f"en-tête invalide : {header!r}")
    out = []
    for n, record in enumerate(records[1:], start=2):
        fields = record.split(FEC_SEPARATOR)
        if len(fields) != len(FEC_COLUMNS):
            raise FecError(f"ligne {n} : {len(fields)} colonnes au lieu de {len(FEC_COLUMNS)}")
        out.append(dict(zip(FEC_COLUMNS, fields, strict=True)))
    return out


def _valid_date(text: str) -> bool:
    if not _FEC_DATE.match(text):
        return False
    try:
        datetime.strptime(text, "%Y%m%d")
    except ValueError:
        return False
    return True


def fec_decimal(text: str) -> Decimal:
    return D(text.replace(",", "."))


def check_fec(data: bytes, filename: str | None = None) -> list[str]:
    """Every problem of a FEC against A47 A-1 at once: file name, encoding (no UTF-8 BOM,
    decodable as ISO 8859-15), header, 18 columns, dates, amounts, one side per line,
    accounts, and every entry balanced."""
    problems: list[str] = []
    if filename is not None and not re.fullmatch(r"\d{9}FEC\d{8}\.txt", filename):
        problems.append(f"nom de fichier invalide : {filename}")
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append("marque d'ordre UTF-8 : le fichier n'est pas en ISO 8859-15")
    try:
        records = parse_fec(data)
    except FecError as exc:
        return [*problems, str(exc)]
    totals: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for n, rec in enumerate(records, start=2):
        problems.extend(_fec_line_problems(n, rec))
        amount_problems, debit, credit = _fec_line_amounts(n, rec)
        problems.extend(amount_problems)
        key = (rec["JournalCode"], rec["EcritureNum"])
        totals[key][0] += debit
        totals[key][1] += credit
    for (journal, number), (debit, credit) in totals.items():
        if debit != credit:
            problems.append(f"écriture {journal} {number} déséquilibrée : {debit} ≠ {credit}")
    return problems


_FEC_REQUIRED_TEXT = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "CompteNum",
    "CompteLib",
    "PieceRef",
    "EcritureLib",
)


def _fec_line_problems(n: int, rec: Mapping[str, str]) -> list[str]:
    """Dates, required texts and accounts of FEC line `n` (its amounts: below)."""
    problems = [
        f"ligne {n} : {column} {rec[column]!r} n'est pas une date AAAAMMJJ"
        for column in ("EcritureDate", "PieceDate", "ValidDate")
        if not _valid_date(rec[column])
    ]
    if rec["DateLet"] and not _valid_date(rec["DateLet"]):
        problems.append(f"ligne {n} : DateLet {rec['DateLet']!r} invalide")
    problems.extend(
        f"ligne {n} : {column} vide" for column in _FEC_REQUIRED_TEXT if not rec[column].strip()
    )
    if not re.match(r"^\d{3}", rec["CompteNum"]):
        problems.append(
            f"ligne {n} : CompteNum {rec['CompteNum']!r} ne commence pas par trois chiffres du PCG"
        )
    if bool(rec["CompAuxNum"]) != bool(rec["CompAuxLib"]):
        problems.append(f"ligne {n} : CompAuxNum et CompAuxLib vont ensemble")
    return problems


def _fec_line_amounts(n: int, rec: Mapping[str, str]) -> tuple[list[str], Decimal, Decimal]:
    """The debit and credit of FEC line `n` (0 where unreadable) and their problems."""
    problems: list[str] = []
    amounts = []
    for column in ("Debit", "Credit"):
        if not _FEC_AMOUNT.match(rec[column]):
            problems.append(f"ligne {n} : {column} {rec[column]!r} n'est pas un montant 1234,56")
            amounts.append(ZERO)
        else:
            amounts.append(fec_decimal(rec[column]))
    if amounts[0] and amounts[1]:
        problems.append(f"ligne {n} : montant au débit et au crédit")
    return problems, amounts[0], amounts[1]


def result_by_class(records: Sequence[Mapping[str, str]]) -> dict[str, Decimal]:
    """Balance (credit − debit) of classes 6 and 7 and the result they make."""
    out = {"6": ZERO, "7": ZERO}
    for rec in records:
        cls = rec["CompteNum"][:1]
        if cls in out:
            out[cls] += fec_decimal(rec["Credit"]) - fec_decimal(rec["Debit"])
    out["result"] = out["6"] + out["7"]
    return out
