"""Overhead expenses and operating income actually booked (SPEC §3 "Expense"; §5
"Allocation": structure cost = internal share + overheads − operating income).

Checks return every problem at once (ARCHITECTURE §5). Every change is audited. Once a
year has been regularised its expenses and income are frozen: changing them would make the
allocation disagree with what the members were invoiced at year end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import extract, func, insert, select

from accounting.money import ZERO, D
from accounting.problems import Problem
from eage import audit
from eage.extensions import db
from eage.models import Expense, Invoice, OperatingIncome, Service

FIELDS = ("date", "account", "label", "amount", "service_id")
MAX_AMOUNT = Decimal("9999999999.99")  # Numeric(12, 2)
LABEL_MAX = 200


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
        problems.append(Problem("date", "Date obligatoire."))
    elif day.year in frozen:
        problems.append(
            Problem(
                "date",
                f"L'exercice {day.year} est régularisé : ses dépenses et "
                "produits ne peuvent plus être modifiés.",
            )
        )
    label = data.get("label") or ""
    if not label.strip():
        problems.append(Problem("label", "Libellé obligatoire."))
    elif len(label) > LABEL_MAX:
        problems.append(
            Problem("label", f"Libellé trop long ({len(label)} caractères, {LABEL_MAX} au plus).")
        )
    amount = data.get("amount")
    if amount is None:
        problems.append(Problem("amount", "Montant obligatoire."))
    else:
        exponent = amount.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:
            problems.append(Problem("amount", "Montant au centime : 2 décimales au plus."))
        elif abs(amount) > MAX_AMOUNT:
            problems.append(Problem("amount", "Montant trop élevé."))
    service_id = data.get("service_id")
    if service_id is not None and db.session.get(Service, service_id) is None:
        problems.append(Problem("service_id", "Service inconnu."))
    return problems


def _account_problem(account: str) -> str | None:
    if not account:
        return "Compte obligatoire."
    if not account.isdigit() or not 3 <= len(account) <= 10:
        return f"Compte invalide « {account} » : 3 à 10 chiffres (ex. 613200)."
    return None


def check_expense(data: dict[str, Any], frozen: set[int] | None = None) -> list[Problem]:
    """An overhead expense: a class 6 account except 64 (staff costs come from the issued
    payslips; entering them here would count them twice), a non-zero amount (negative for a
    refund or a supplier credit note)."""
    frozen = regularised_years() if frozen is None else frozen
    problems = _check_common(data, frozen)
    account = (data.get("account") or "").strip()
    bad = _account_problem(account)
    if bad is None and not account.startswith("6"):
        bad = f"Compte {account} : une dépense s'impute sur un compte de charges (classe 6)."
    if bad is None and account.startswith("64"):
        bad = (
            f"Compte {account} : les charges de personnel (64) viennent des bulletins de paie "
            "émis, pas des dépenses."
        )
    if bad:
        problems.append(Problem("account", bad))
    amount = data.get("amount")
    if amount is not None and amount == 0:
        problems.append(Problem("amount", "Le montant ne peut pas être nul."))
    return problems


def check_income(data: dict[str, Any], frozen: set[int] | None = None) -> list[Problem]:
    """Operating income: a class 7 account except 706 (services invoiced to the members are
    the invoices themselves), a positive amount."""
    frozen = regularised_years() if frozen is None else frozen
    problems = _check_common(data, frozen)
    account = (data.get("account") or "").strip()
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
    if bad:
        problems.append(Problem("account", bad))
    amount = data.get("amount")
    if amount is not None and amount <= 0:
        problems.append(Problem("amount", "Le montant d'un produit doit être positif."))
    return problems


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "date": data["date"],
        "account": data["account"].strip(),
        "label": data["label"].strip(),
        "amount": D(data["amount"]),
        "service_id": data.get("service_id"),
    }


def _summary(row: Expense | OperatingIncome) -> str:
    return f"{row.date.isoformat()} {row.account} {row.amount} € {row.label}"[:500]


# --- expenses --------------------------------------------------------------------------------


def create_expense(data: dict[str, Any], *, user_id: int | None = None) -> Expense:
    row = Expense(**_clean(data))
    db.session.add(row)
    db.session.flush()
    audit.record(
        "create",
        "expense",
        row.id,
        after=audit.snapshot(row),
        summary=_summary(row),
        user_id=user_id,
    )
    db.session.commit()
    return row


def update_expense(row: Expense, data: dict[str, Any], *, user_id: int | None = None) -> Expense:
    before = audit.snapshot(row)
    for key, value in _clean(data).items():
        setattr(row, key, value)
    db.session.flush()
    after = audit.snapshot(row)
    if before != after:
        audit.record(
            "update",
            "expense",
            row.id,
            before=before,
            after=after,
            summary=_summary(row),
            user_id=user_id,
        )
    db.session.commit()
    return row


def delete_expense(row: Expense, *, user_id: int | None = None) -> list[Problem]:
    """Delete unless its year is regularised; the problems say why not."""
    if row.date.year in regularised_years():
        return [
            Problem(
                None,
                f"L'exercice {row.date.year} est régularisé :"
                " cette dépense ne peut plus être supprimée.",
            )
        ]
    audit.record(
        "delete",
        "expense",
        row.id,
        before=audit.snapshot(row),
        summary=_summary(row),
        user_id=user_id,
    )
    db.session.delete(row)
    db.session.commit()
    return []


def create_expenses(rows: list[dict[str, Any]], *, source: str, user_id: int | None = None) -> int:
    """Write already-checked rows in one transaction, with one audit line."""
    cleaned = [_clean(r) for r in rows]
    db.session.execute(insert(Expense), cleaned)
    total = sum((r["amount"] for r in cleaned), ZERO)
    audit.record(
        "import",
        "expense",
        None,
        user_id=user_id,
        summary=f"{len(cleaned)} dépense(s) importée(s) depuis {source}, total {total} €"[:500],
    )
    db.session.commit()
    return len(cleaned)


# --- operating income ------------------------------------------------------------------------


def create_income(data: dict[str, Any], *, user_id: int | None = None) -> OperatingIncome:
    row = OperatingIncome(**_clean(data))
    db.session.add(row)
    db.session.flush()
    audit.record(
        "create",
        "operating_income",
        row.id,
        after=audit.snapshot(row),
        summary=_summary(row),
        user_id=user_id,
    )
    db.session.commit()
    return row


def update_income(
    row: OperatingIncome, data: dict[str, Any], *, user_id: int | None = None
) -> OperatingIncome:
    before = audit.snapshot(row)
    for key, value in _clean(data).items():
        setattr(row, key, value)
    db.session.flush()
    after = audit.snapshot(row)
    if before != after:
        audit.record(
            "update",
            "operating_income",
            row.id,
            before=before,
            after=after,
            summary=_summary(row),
            user_id=user_id,
        )
    db.session.commit()
    return row


def delete_income(row: OperatingIncome, *, user_id: int | None = None) -> list[Problem]:
    if row.date.year in regularised_years():
        return [
            Problem(
                None,
                f"L'exercice {row.date.year} est régularisé :"
                " ce produit ne peut plus être supprimé.",
            )
        ]
    audit.record(
        "delete",
        "operating_income",
        row.id,
        before=audit.snapshot(row),
        summary=_summary(row),
        user_id=user_id,
    )
    db.session.delete(row)
    db.session.commit()
    return []


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


def _year_view(model: type[Expense] | type[OperatingIncome], year: int) -> YearView:
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    rows = list(
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
    )


def expenses_of(year: int) -> YearView:
    return _year_view(Expense, year)


def income_of(year: int) -> YearView:
    return _year_view(OperatingIncome, year)


def service_choices() -> list[tuple[str, str]]:
    return [("", "— aucun —")] + [
        (str(s.id), f"{s.code} — {s.label}")
        for s in db.session.scalars(select(Service).order_by(Service.code))
    ]


def service_ids_by_code() -> dict[str, int]:
    return {code.upper(): sid for sid, code in db.session.execute(select(Service.id, Service.code))}


def problems_text(problems: Iterable[Problem]) -> str:
    return " ".join(p.message for p in problems)
