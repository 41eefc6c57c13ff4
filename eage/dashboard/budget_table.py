"""Table « Budget et réalisé par ligne »: each budget line's budget, actual to date and
year-end forecast (the linear run-rate ``actual × 12 / months``), flagged when the forecast
strays from the budget; then the totals of charges and income, and the net cost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from accounting.money import ZERO
from accounting.split import largest_remainder
from eage.dashboard import budget_actuals
from eage.dashboard.budget_actuals import LineActuals
from eage.dashboard.figures import MONTHS, N_, ratio, run_rate
from eage.dashboard.table import Column, Table, TableRow

# Budget lines whose forecast differs from the budget by more than this are flagged.
BUDGET_TOLERANCE = Decimal("0.05")
KIND_LABELS = {
    "staff": N_("Personnel"),
    "overhead": N_("Frais de structure"),
    "income": N_("Produits"),
}
NO_ACTUAL_YET = ("none", N_("— Pas encore de réalisé"))
# Status codes of a forecast gone wrong: said in the page's alerts and flagged on the chart.
OVER_STATUSES = ("over", "unbudgeted", "income_short")
CHARGE_KINDS = ("staff", "overhead")
FIGURES = ("budget", "budget_to_date", "actual", "variance", "forecast", "forecast_variance")

COLUMNS = (
    Column("account", N_("Compte")),
    Column("label", N_("Libellé")),
    Column("kind", N_("Nature"), translated=True),
    Column("budget", N_("Budget de l'année"), "money"),
    Column("budget_to_date", N_("Budget à date"), "money"),
    Column("actual", N_("Réalisé à date"), "money"),
    Column("variance", N_("Écart à date"), "money"),
    Column("consumed", N_("Consommé"), "percent"),
    Column("forecast", N_("Prévision fin d'année"), "money"),
    Column("forecast_variance", N_("Écart prévu"), "money"),
    Column("status", N_("Situation"), translated=True),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class BudgetRow(TableRow):
    account: str
    label: str
    kind: str  # the nature as shown: a msgid of KIND_LABELS ("" on totals)
    budget: Decimal
    budget_to_date: Decimal
    actual: Decimal
    variance: Decimal
    consumed: Decimal | None
    forecast: Decimal
    forecast_variance: Decimal
    status: str  # msgid
    kind_code: str = ""  # staff | overhead | income ("" on totals)
    budget_months: tuple[Decimal, ...] = ()  # the year's budget spread over its 12 months
    actual_months: tuple[Decimal, ...] = ()  # the actual of each of the 12 months


@dataclass(frozen=True, slots=True)
class BudgetLineBar:
    """A budget line on the chart: budget, actual to date and forecast."""

    label: str
    budget: Decimal
    actual: Decimal
    forecast: Decimal
    status_code: str
    status: str


def build(year: int, through: int) -> Table[BudgetRow]:
    """The table of `year`, actual from January to `through` (0: the budget only)."""
    rows = [_line_row(line, through) for line in budget_actuals.read(year, through)]
    charges = _total_row(
        N_("Total des charges"),
        [r for r in rows if r.kind_code in CHARGE_KINDS],
        "overhead",
        through,
    )
    income = _total_row(
        N_("Total des produits"), [r for r in rows if r.kind_code == "income"], "income", through
    )
    net = _net_row(charges, income, through)
    return Table("budget", COLUMNS, rows, [charges, income, net])


def net_row(table: Table[BudgetRow]) -> BudgetRow:
    """The footer « Coût net (charges − produits) »."""
    return table.totals[-1]


def over_lines(table: Table[BudgetRow]) -> list[BudgetRow]:
    return [r for r in table.rows if r.status_code in OVER_STATUSES]


def line_bars(table: Table[BudgetRow]) -> list[BudgetLineBar]:
    return [
        BudgetLineBar(
            f"{r.account} {r.label}", r.budget, r.actual, r.forecast, r.status_code, r.status
        )
        for r in table.rows
    ]


def budget_status(kind: str, budget: Decimal, forecast: Decimal, budgeted: bool) -> tuple[str, str]:
    """(code, French label) of a line: the forecast against the budget, ± the tolerance.
    Labels carry their meaning in words and a sign, never by colour alone."""
    if not budgeted:
        if not forecast:
            return "ok", N_("✓ Conforme")
        if kind == "income":
            return "income_extra", N_("▲ Produits hors budget")
        return "unbudgeted", N_("▲ Dépense hors budget")
    high, low = budget * (1 + BUDGET_TOLERANCE), budget * (1 - BUDGET_TOLERANCE)
    if kind == "income":
        if forecast < low:
            return "income_short", N_("▼ Produits inférieurs au budget")
        if forecast > high:
            return "income_extra", N_("▲ Produits supérieurs au budget")
        return "ok", N_("✓ Conforme")
    if forecast > high:
        return "over", N_("▲ Dépassement prévu")
    if forecast < low:
        return "under", N_("▼ Sous-consommation")
    return "ok", N_("✓ Conforme")


def _status(
    kind: str, budget: Decimal, forecast: Decimal, budgeted: bool, through: int
) -> tuple[str, str]:
    """The status of a line, or none while there is no actual to judge it by."""
    return budget_status(kind, budget, forecast, budgeted) if through else NO_ACTUAL_YET


def _line_row(line: LineActuals, through: int) -> BudgetRow:
    per_month = largest_remainder(line.budget, [(m, 1) for m in MONTHS]) if line.budget else {}
    budget_months = tuple(per_month.get(m, ZERO) for m in MONTHS)
    budget_to_date = sum(budget_months[:through], ZERO)
    actual = sum(line.actual, ZERO)
    forecast = run_rate(actual, through)
    status_code, status = _status(line.kind, line.budget, forecast, line.budgeted, through)
    return BudgetRow(
        account=line.account,
        label=line.label,
        kind=KIND_LABELS.get(line.kind, line.kind),
        budget=line.budget,
        budget_to_date=budget_to_date,
        actual=actual,
        variance=actual - budget_to_date,
        consumed=ratio(actual, line.budget),
        forecast=forecast,
        forecast_variance=forecast - line.budget,
        status=status,
        status_code=status_code,
        kind_code=line.kind,
        budget_months=budget_months,
        actual_months=tuple(line.actual),
    )


def _total_row(label: str, rows: Sequence[BudgetRow], kind: str, through: int) -> BudgetRow:
    """The sum of `rows`, judged as a line of `kind`."""
    return _footer_row(
        label,
        kind,
        through,
        {key: sum((getattr(r, key) for r in rows), ZERO) for key in FIGURES},
        tuple(sum((r.budget_months[m - 1] for r in rows), ZERO) for m in MONTHS),
        tuple(sum((r.actual_months[m - 1] for r in rows), ZERO) for m in MONTHS),
    )


def _net_row(charges: BudgetRow, income: BudgetRow, through: int) -> BudgetRow:
    """Charges − income, judged as a charge."""
    return _footer_row(
        N_("Coût net (charges − produits)"),
        "overhead",
        through,
        {key: getattr(charges, key) - getattr(income, key) for key in FIGURES},
        tuple(a - b for a, b in zip(charges.budget_months, income.budget_months, strict=True)),
        tuple(a - b for a, b in zip(charges.actual_months, income.actual_months, strict=True)),
    )


def _footer_row(
    label: str,
    kind: str,
    through: int,
    figures: Mapping[str, Decimal],
    budget_months: tuple[Decimal, ...],
    actual_months: tuple[Decimal, ...],
) -> BudgetRow:
    status_code, status = _status(kind, figures["budget"], figures["forecast"], True, through)
    return BudgetRow(
        account="",
        label=label,
        kind="",
        budget=figures["budget"],
        budget_to_date=figures["budget_to_date"],
        actual=figures["actual"],
        variance=figures["variance"],
        consumed=ratio(figures["actual"], figures["budget"]),
        forecast=figures["forecast"],
        forecast_variance=figures["forecast_variance"],
        status=status,
        status_code=status_code,
        budget_months=budget_months,
        actual_months=actual_months,
    )
