"""Budget lines per fiscal year (built analytically, SPEC §1) and the year's settings."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from accounting.money import D
from accounting.problems import Problem
from accounting.texts import N_
from eage import audit
from eage.extensions import db
from eage.filters import tr
from eage.models import BudgetLine, FiscalYear

KIND_LABELS = {
    "staff": N_("Personnel"),
    "overhead": N_("Frais de structure"),
    "income": N_("Produits"),
}
LINE_FIELDS = ("year", "account", "label", "kind", "amount")
SETTINGS_FIELDS = (
    "hours_denominator",
    "billing_mode",
    "atmp_rate",
    "health_insurance_monthly",
    "health_employer_share",
    "prevoyance_employer_rate",
    "prevoyance_employee_rate",
    "fee_rate",
    "fee_cap",
)
HOURS_DENOMINATORS = {
    1607: N_("1 607 h (heures travaillées)"),
    1820: N_("1 820 h (heures payées)"),
}
BILLING_MODES = {
    "hourly_rate": N_("Taux horaire par service"),
    "coefficient": N_("Coefficient sur le coût"),
}
# The employer pays at least half of the collective health insurance (art. L911-7 CSS).
MIN_HEALTH_EMPLOYER_SHARE = Decimal("50")


def check_line(data: dict[str, Any]) -> list[Problem]:
    """Accounts of the plan comptable associatif: charges in class 6, products in class 7."""
    problems: list[Problem] = []
    account, kind = data.get("account") or "", data.get("kind")
    if account:
        if not account.isdigit() or not 3 <= len(account) <= 10:
            problems.append(
                Problem("account", tr("Compte invalide : 3 à 10 chiffres (ex. 641100)."))
            )
        elif kind in ("staff", "overhead") and not account.startswith("6"):
            problems.append(
                Problem("account", tr("Une charge s'impute sur un compte de classe 6."))
            )
        elif kind == "income" and not account.startswith("7"):
            problems.append(
                Problem("account", tr("Un produit s'impute sur un compte de classe 7."))
            )
        elif kind == "staff" and not account.startswith(("621", "63", "64")):
            problems.append(
                Problem(
                    "account", tr("Une charge de personnel s'impute sur un compte 621, 63 ou 64.")
                )
            )
    amount = data.get("amount")
    if amount is not None and amount < 0:
        problems.append(Problem("amount", tr("Le montant doit être positif ou nul.")))
    return problems


def create_line(data: dict[str, Any]) -> BudgetLine:
    line = BudgetLine(**{k: data[k] for k in LINE_FIELDS})
    db.session.add(line)
    db.session.flush()
    audit.record(
        "create",
        "budget_line",
        line.id,
        after=audit.snapshot(line),
        summary=f"{line.year} {line.account}",
    )
    db.session.commit()
    return line


def update_line(line: BudgetLine, data: dict[str, Any]) -> BudgetLine:
    before = audit.snapshot(line)
    for key in ("account", "label", "kind", "amount"):
        setattr(line, key, data[key])
    db.session.flush()
    after = audit.snapshot(line)
    if before != after:
        audit.record(
            "update",
            "budget_line",
            line.id,
            before=before,
            after=after,
            summary=f"{line.year} {line.account}",
        )
    db.session.commit()
    return line


def delete_line(line: BudgetLine) -> None:
    audit.record(
        "delete",
        "budget_line",
        line.id,
        before=audit.snapshot(line),
        summary=f"{line.year} {line.account}",
    )
    db.session.delete(line)
    db.session.commit()


@dataclass(frozen=True)
class KindGroup:
    kind: str
    label: str
    lines: list[BudgetLine]
    subtotal: Decimal


@dataclass(frozen=True)
class Budget:
    year: int
    groups: list[KindGroup]
    charges: Decimal  # staff + overhead
    income: Decimal
    net: Decimal  # charges − income: what the members pay over the year
    fiscal_year: FiscalYear | None
    years: list[int]


def budget_of(year: int) -> Budget:
    lines = db.session.scalars(
        select(BudgetLine)
        .where(BudgetLine.year == year)
        .order_by(BudgetLine.account, BudgetLine.id)
    ).all()
    sums = dict(
        db.session.execute(
            select(BudgetLine.kind, func.sum(BudgetLine.amount))
            .where(BudgetLine.year == year)
            .group_by(BudgetLine.kind)
        ).all()
    )
    subtotal = {k: D(sums[k]) if sums.get(k) is not None else Decimal("0.00") for k in KIND_LABELS}
    groups = [
        KindGroup(k, label, [ln for ln in lines if ln.kind == k], subtotal[k])
        for k, label in KIND_LABELS.items()
    ]
    charges = subtotal["staff"] + subtotal["overhead"]
    years = sorted(
        set(db.session.scalars(select(BudgetLine.year).distinct()))
        | set(db.session.scalars(select(FiscalYear.year)))
        | {year}
    )
    return Budget(
        year,
        groups,
        charges,
        subtotal["income"],
        charges - subtotal["income"],
        db.session.get(FiscalYear, year),
        years,
    )


# --- fiscal year settings ----------------------------------------------------------------


def fiscal_year_or_defaults(year: int) -> tuple[FiscalYear, bool]:
    """The year's settings, or (unsaved) the previous year's / the defaults; and whether it
    exists."""
    fy = db.session.get(FiscalYear, year)
    if fy is not None:
        return fy, True
    previous = db.session.scalar(
        select(FiscalYear).where(FiscalYear.year < year).order_by(FiscalYear.year.desc()).limit(1)
    )
    template = {k: getattr(previous, k) for k in SETTINGS_FIELDS} if previous else {}
    fresh = FiscalYear(year=year, **template)
    for column in FiscalYear.__table__.columns:
        if (
            column.key in SETTINGS_FIELDS
            and getattr(fresh, column.key) is None
            and column.default is not None
        ):
            setattr(fresh, column.key, column.default.arg)
    return fresh, False


def check_settings(data: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    if data.get("hours_denominator") not in HOURS_DENOMINATORS:
        problems.append(Problem("hours_denominator", tr("Choisir 1 607 h ou 1 820 h.")))
    share = data.get("health_employer_share")
    if share is not None and share < MIN_HEALTH_EMPLOYER_SHARE:
        problems.append(
            Problem(
                "health_employer_share",
                tr(
                    "La part employeur de la mutuelle est d'au moins 50 % "
                    "(art. L911-7 du Code de la sécurité sociale)."
                ),
            )
        )
    return problems


def save_settings(year: int, data: dict[str, Any]) -> FiscalYear:
    fy = db.session.get(FiscalYear, year)
    if fy is None:
        fy = FiscalYear(year=year, **{k: data[k] for k in SETTINGS_FIELDS})
        db.session.add(fy)
        db.session.flush()
        audit.record("create", "fiscal_year", year, after=audit.snapshot(fy), summary=str(year))
    else:
        before = audit.snapshot(fy)
        for key in SETTINGS_FIELDS:
            setattr(fy, key, data[key])
        db.session.flush()
        after = audit.snapshot(fy)
        if before != after:
            audit.record(
                "update", "fiscal_year", year, before=before, after=after, summary=str(year)
            )
    db.session.commit()
    return fy
