"""Overhead expenses and operating income actually booked (SPEC §3 "Expense"; §5
"Allocation": structure cost = internal share + overheads − operating income; §5
"Accounting entries": purchases journal and 74/75).

Checks return every problem at once (ARCHITECTURE §5). Every change is audited. A row is
posted by its month's close, or at once when its month is already closed
(eage/expenses/posting.py); a posted row is frozen and corrected by a negative expense.
Once a year has been regularised its expenses and income are frozen too: changing them
would make the allocation disagree with what the members were invoiced at year end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import extract, func, select

from accounting.chart import DEFAULT_ACCOUNTS
from accounting.ledger import DEFAULT_SUPPLIER
from accounting.money import ZERO, D, round_cents
from accounting.problems import Problem
from eage import audit
from eage.expenses import posting, suppliers
from eage.extensions import db
from eage.filters import tr
from eage.models import Expense, FiscalYear, Invoice, OperatingIncome, Organisation, Service
from eage.models.books import LedgerAccount

FIELDS = ("date", "account", "label", "amount", "service_id")
EXPENSE_FIELDS = (*FIELDS, "supplier", "vat", "paid_by")
PAID_BY = {"supplier": "Facture fournisseur (401)", "bank": "Payée par la banque (512)"}
MAX_AMOUNT = Decimal("9999999999.99")  # Numeric(12, 2)
LABEL_MAX = 200
# Operating income (plan comptable associatif): subsidies 74, other operating income 75,
# financial 76, exceptional 77. Not 756: the membership fees are invoiced.
INCOME_PREFIXES = ("74", "75", "76", "77")


def regularised_years() -> set[int]:
    """Years whose regularisation was issued (a document of origin `regularisation`)."""
    return {
        d.year
        for d in db.session.scalars(
            select(Invoice.period_start).where(Invoice.origin == "regularisation").distinct()
        )
    }


def _check_common(data: dict[str, Any], frozen: set[int]) -> list[Problem]:
    problems: list[Problem] = []
    day = data.get("date")
    if day is None:
        problems.append(Problem("date", tr("Date obligatoire.")))
    elif day.year in frozen:
        problems.append(
            Problem(
                "date",
                tr(
                    "L'exercice %(year)s est régularisé : ses dépenses et produits ne peuvent "
                    "plus être modifiés.",
                    year=day.year,
                ),
            )
        )
    else:
        problems.extend(_locked_problems(day))
    label = data.get("label") or ""
    if not label.strip():
        problems.append(Problem("label", tr("Libellé obligatoire.")))
    elif len(label) > LABEL_MAX:
        problems.append(
            Problem(
                "label",
                tr(
                    "Libellé trop long (%(n)s caractères, %(max)s au plus).",
                    n=len(label),
                    max=LABEL_MAX,
                ),
            )
        )
    amount = data.get("amount")
    if amount is None:
        problems.append(Problem("amount", tr("Montant obligatoire.")))
    else:
        problems.extend(_cents_problems("amount", amount, tr("Montant")))
    service_id = data.get("service_id")
    if service_id is not None and db.session.get(Service, service_id) is None:
        problems.append(Problem("service_id", tr("Service inconnu.")))
    return problems


def _cents_problems(name: str, amount: Decimal, what: str) -> list[Problem]:
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return [Problem(name, tr("%(what)s au centime : 2 décimales au plus.", what=what))]
    if abs(amount) > MAX_AMOUNT:
        return [Problem(name, tr("%(what)s trop élevé.", what=what))]
    return []


def _locked_problems(day: date) -> list[Problem]:
    """A row is posted with its date: not in a closed fiscal year nor a locked period."""
    fiscal = db.session.get(FiscalYear, day.year)
    if fiscal is not None and fiscal.closed_at is not None:
        return [
            Problem(
                "date",
                tr(
                    "L'exercice %(year)s est clôturé : plus aucune écriture n'y entre.",
                    year=day.year,
                ),
            )
        ]
    locked = db.session.scalar(select(Organisation.books_locked_until).limit(1))
    if locked is not None and day <= locked:
        return [
            Problem(
                "date",
                tr(
                    "La comptabilité est verrouillée jusqu'au %(locked)s : datez la pièce après "
                    "cette date.",
                    locked=format(locked, "%d/%m/%Y"),
                ),
            )
        ]
    return []


def _account_problem(account: str) -> str | None:
    if not account:
        return "Compte obligatoire."
    if not account.isdigit() or not 3 <= len(account) <= 10:
        return f"Compte invalide « {account} » : 3 à 10 chiffres (ex. 613200)."
    return None


def _chart_problem(account: str) -> str | None:
    """The account must be in the chart (the seeded defaults count), and active."""
    row = db.session.scalar(select(LedgerAccount).where(LedgerAccount.number == account))
    if row is not None:
        return None if row.active else f"Compte {account} désactivé dans le plan comptable."
    if any(a.number == account for a in DEFAULT_ACCOUNTS):
        return None
    return (
        f"Compte {account} absent du plan comptable : ajoutez-le dans Comptabilité "
        "› Plan comptable, ou choisissez un compte existant."
    )


def _expense_account_problem(account: str) -> str | None:
    bad = _account_problem(account)
    if bad is None and not account.startswith("6"):
        bad = f"Compte {account} : une dépense s'impute sur un compte de charges (classe 6)."
    if bad is None and account.startswith("64"):
        bad = (
            f"Compte {account} : les charges de personnel (64) viennent des bulletins de paie "
            "émis, pas des dépenses."
        )
    return bad or _chart_problem(account)


def _vat_problems(data: dict[str, Any]) -> list[Problem]:
    """Deductible VAT (44566): cents, the amount's sign (negative on a credit note), below
    the amount."""
    vat, amount = data.get("vat"), data.get("amount")
    if vat is None or vat == 0:
        return []
    problems = _cents_problems("vat", vat, tr("TVA déductible"))
    if amount is not None and amount != 0:
        if (vat > 0) != (amount > 0):
            problems.append(
                Problem(
                    "vat",
                    tr(
                        "La TVA déductible a le signe du montant "
                        "(négative pour un avoir fournisseur)."
                    ),
                )
            )
        elif abs(vat) >= abs(amount):
            problems.append(
                Problem("vat", tr("La TVA déductible ne peut pas dépasser le montant hors taxes."))
            )
    return problems


def check_expense(data: dict[str, Any], frozen: set[int] | None = None) -> list[Problem]:
    """An overhead expense: a class 6 account of the chart except 64 (staff costs come from
    the issued payslips; entering them here would count them twice), a non-zero amount
    (negative for a refund or a supplier credit note), the deductible VAT, the supplier and
    how it was paid."""
    frozen = regularised_years() if frozen is None else frozen
    problems = _check_common(data, frozen)
    bad = _expense_account_problem((data.get("account") or "").strip())
    if bad:
        problems.append(Problem("account", bad))
    amount = data.get("amount")
    if amount is not None and amount == 0:
        problems.append(Problem("amount", tr("Le montant ne peut pas être nul.")))
    problems.extend(_vat_problems(data))
    supplier = data.get("supplier") or ""
    if len(supplier) > LABEL_MAX:
        problems.append(
            Problem(
                "supplier",
                tr("Fournisseur trop long (%(n)s caractères, 200 au plus).", n=len(supplier)),
            )
        )
    if (data.get("paid_by") or "supplier") not in PAID_BY:
        problems.append(
            Problem("paid_by", tr("Réglée par : « fournisseur » (401) ou « banque » (512)."))
        )
    problems.extend(suppliers.bank_problems(data))
    return problems


def _income_account_problem(account: str) -> str | None:
    bad = _account_problem(account)
    if bad is None and not account.startswith("7"):
        bad = (
            f"Compte {account} : un produit s'impute sur un compte de classe 7"
            " (ex. 740000 subventions)."
        )
    if bad is None and account.startswith("706"):
        bad = (
            f"Compte {account} : les prestations facturées aux adhérents (706)"
            " viennent des factures."
        )
    if bad is None and account.startswith("756"):
        bad = f"Compte {account} : les cotisations des adhérents (756) viennent des factures."
    if bad is None and not account.startswith(INCOME_PREFIXES):
        bad = (
            f"Compte {account} : un produit d'exploitation s'impute en 74 (subventions), "
            "75, 76 ou 77."
        )
    return bad or _chart_problem(account)


def check_income(data: dict[str, Any], frozen: set[int] | None = None) -> list[Problem]:
    """Operating income: a 74/75/76/77 account of the chart, not 706 nor 756 (services and
    fees invoiced to the members are the invoices themselves), a positive amount."""
    frozen = regularised_years() if frozen is None else frozen
    problems = _check_common(data, frozen)
    bad = _income_account_problem((data.get("account") or "").strip())
    if bad:
        problems.append(Problem("account", bad))
    amount = data.get("amount")
    if amount is not None and amount <= 0:
        problems.append(Problem("amount", tr("Le montant d'un produit doit être positif.")))
    return problems


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "date": data["date"],
        "account": data["account"].strip(),
        "label": data["label"].strip(),
        "amount": D(data["amount"]),
        "service_id": data.get("service_id"),
    }


def _clean_expense(data: dict[str, Any]) -> dict[str, Any]:
    supplier = (data.get("supplier") or "").strip()
    return {
        **_clean(data),
        # Paid on a supplier's invoice: a 401 auxiliary account, "divers" when unnamed.
        "supplier": supplier or (DEFAULT_SUPPLIER if data.get("paid_by") != "bank" else None),
        "vat": round_cents(D(data.get("vat") or 0)),  # already in cents: the Numeric scale
        "paid_by": data.get("paid_by") or "supplier",
    }


def _summary(row: Expense | OperatingIncome) -> str:
    return f"{row.date.isoformat()} {row.account} {row.amount} € {row.label}"[:500]


def posted_problem(row: Expense | OperatingIncome) -> Problem | None:
    """Why a posted row can no longer change (None while it is not posted)."""
    entry = posting.entry_of(row)
    if entry is None:
        return None
    when = entry.validated_at.strftime("%d/%m/%Y") if entry.validated_at else ""
    if isinstance(row, Expense):
        return Problem(
            None,
            tr(
                "Dépense comptabilisée le %(when)s (%(number)s) : corrigez-la par une dépense "
                "négative (avoir fournisseur).",
                when=when,
                number=entry.number,
            ),
        )
    return Problem(
        None,
        tr(
            "Produit comptabilisé le %(when)s (%(number)s) : il ne peut plus être modifié ni "
            "supprimé ; une correction passe par une écriture d'opérations diverses.",
            when=when,
            number=entry.number,
        ),
    )


class PostedRow(ValueError):
    """An edit of a posted row: refused (the views check :func:`posted_problem` first)."""


def _refuse_posted(row: Expense | OperatingIncome) -> None:
    problem = posted_problem(row)
    if problem is not None:
        raise PostedRow(problem.message)


def _create(
    model: type[Expense] | type[OperatingIncome], values: dict[str, Any], user_id: int | None
) -> Any:
    row = model(**values)
    db.session.add(row)
    db.session.flush()
    audit.record(
        "create",
        model.__tablename__,
        row.id,
        after=audit.snapshot(row),
        summary=_summary(row),
        user_id=user_id,
    )
    posting.post_if_closed([row], user_id=user_id)
    db.session.commit()
    return row


def _update(row: Any, values: dict[str, Any], user_id: int | None) -> Any:
    _refuse_posted(row)
    before = audit.snapshot(row)
    for key, value in values.items():
        setattr(row, key, value)
    db.session.flush()
    after = audit.snapshot(row)
    if before != after:
        audit.record(
            "update",
            type(row).__tablename__,
            row.id,
            before=before,
            after=after,
            summary=_summary(row),
            user_id=user_id,
        )
    posting.post_if_closed([row], user_id=user_id)
    db.session.commit()
    return row


def _delete(row: Any, user_id: int | None, what: str) -> list[Problem]:
    """Delete unless posted or its year is regularised; the problems say why not."""
    problem = posted_problem(row)
    if problem is not None:
        return [problem]
    if row.date.year in regularised_years():
        return [
            Problem(
                None,
                tr("L'exercice %(year)s est régularisé : %(what)s.", year=row.date.year, what=what),
            )
        ]
    audit.record(
        "delete",
        type(row).__tablename__,
        row.id,
        before=audit.snapshot(row),
        summary=_summary(row),
        user_id=user_id,
    )
    db.session.delete(row)
    db.session.commit()
    return []


# --- expenses --------------------------------------------------------------------------------


def create_expense(data: dict[str, Any], *, user_id: int | None = None) -> Expense:
    """Record an expense; posted at once when its month is already closed."""
    suppliers.remember(data, user_id=user_id)
    return _create(Expense, _clean_expense(data), user_id)  # type: ignore[no-any-return]


def update_expense(row: Expense, data: dict[str, Any], *, user_id: int | None = None) -> Expense:
    """Change an expense not posted yet (raises :class:`PostedRow` otherwise)."""
    _refuse_posted(row)
    suppliers.remember(data, user_id=user_id)
    return _update(row, _clean_expense(data), user_id)  # type: ignore[no-any-return]


def delete_expense(row: Expense, *, user_id: int | None = None) -> list[Problem]:
    return _delete(row, user_id, tr("cette dépense ne peut plus être supprimée"))


def create_expenses(rows: list[dict[str, Any]], *, source: str, user_id: int | None = None) -> int:
    """Write already-checked rows in one transaction, with one audit line; those of a month
    already closed are posted at once."""
    created = [Expense(**_clean_expense(r)) for r in rows]
    db.session.add_all(created)
    db.session.flush()
    total = sum((r.amount for r in created), ZERO)
    audit.record(
        "import",
        "expense",
        None,
        user_id=user_id,
        summary=f"{len(created)} dépense(s) importée(s) depuis {source}, total {total} €"[:500],
    )
    posting.post_if_closed(created, user_id=user_id)
    db.session.commit()
    return len(created)


# --- operating income ------------------------------------------------------------------------


def create_income(data: dict[str, Any], *, user_id: int | None = None) -> OperatingIncome:
    """Record an operating income; posted at once when its month is already closed."""
    return _create(OperatingIncome, _clean(data), user_id)  # type: ignore[no-any-return]


def update_income(
    row: OperatingIncome, data: dict[str, Any], *, user_id: int | None = None
) -> OperatingIncome:
    """Change an income not posted yet (raises :class:`PostedRow` otherwise)."""
    return _update(row, _clean(data), user_id)  # type: ignore[no-any-return]


def delete_income(row: OperatingIncome, *, user_id: int | None = None) -> list[Problem]:
    return _delete(row, user_id, tr("ce produit ne peut plus être supprimé"))


# --- lists and totals ------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountTotals:
    account: str
    by_month: list[Decimal]  # 12 months, January first
    total: Decimal


@dataclass(frozen=True)
class YearView:
    year: int
    rows: list[Any]  # Expense or OperatingIncome, by date
    accounts: list[AccountTotals]
    month_totals: list[Decimal]
    total: Decimal
    years: list[int]
    frozen: bool
    entries: dict[int, str] = field(default_factory=dict)  # posted rows: id → entry number


def _year_view(model: type[Expense] | type[OperatingIncome], year: int) -> YearView:
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    rows: list[Any] = list(
        db.session.scalars(
            select(model)
            .where(model.date >= start, model.date < end)
            .order_by(model.date, model.id)
        )
    )
    month = extract("month", model.date)
    cells: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO] * 12)
    for account, m, total in db.session.execute(
        select(model.account, month, func.sum(model.amount))
        .where(model.date >= start, model.date < end)
        .group_by(model.account, month)
    ):
        cells[account][int(m) - 1] = D(total)
    accounts = [
        AccountTotals(a, by_month, sum(by_month, ZERO)) for a, by_month in sorted(cells.items())
    ]
    month_totals = [sum((a.by_month[i] for a in accounts), ZERO) for i in range(12)]
    first_years = {
        int(y) for y in db.session.scalars(select(extract("year", model.date)).distinct())
    }
    return YearView(
        year,
        rows,
        accounts,
        month_totals,
        sum(month_totals, ZERO),
        sorted(first_years | {year}),
        year in regularised_years(),
        posting.posted_numbers(model, [r.id for r in rows]),
    )


def expenses_of(year: int) -> YearView:
    return _year_view(Expense, year)


def income_of(year: int) -> YearView:
    return _year_view(OperatingIncome, year)


def service_choices() -> list[tuple[str, str]]:
    return [("", tr("— aucun —"))] + [
        (str(s.id), f"{s.code} — {s.label}")
        for s in db.session.scalars(select(Service).order_by(Service.code))
    ]


def service_ids_by_code() -> dict[str, int]:
    return {code.upper(): sid for sid, code in db.session.execute(select(Service.id, Service.code))}


def problems_text(problems: Iterable[Problem]) -> str:
    return " ".join(p.message for p in problems)
