"""The managers' dashboard of a fiscal year (issue 5, SPEC §4.4 "Managers follow budget vs
actual and the cost allocation at any time").

Every figure comes from a grouped SQL query (ARCHITECTURE §8: timesheet rows never reach
Python) or from the allocation service (:mod:`eage.allocation.services`), which is the one
place the SPEC §5 allocation is computed: the dashboard never recomputes it, so its figures
are the API's (`GET /api/v1/allocation`) by construction.

The dashboard is a list of :class:`Table` objects (what the page shows, and what the .xlsx
and CSV exports write, cell for cell) plus the series the charts draw.

**Reporting period.** Figures run from January to the *reporting month*: the last month of
the year with issued payslips (the last closed month), unless the caller names one. Time,
expenses and income after it are not counted yet, so that costs and time cover the same
months. The forecast to year end is the linear run-rate of those months:
``actual × 12 / months``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import extract, func, select

from accounting.money import CENT, ROUND_HALF_UP, ZERO, D
from accounting.split import largest_remainder
from eage.allocation import services as allocation_services
from eage.dashboard import cache
from eage.extensions import db
from eage.filters import tr
from eage.models import (
    BudgetLine,
    Contract,
    Employee,
    Expense,
    FiscalYear,
    Member,
    OperatingIncome,
    Payslip,
    PlannedHours,
    Service,
)


def N_(text: str) -> str:
    """Marks a French msgid for `make translations` (one of pybabel's default keywords);
    the figures stay language-neutral, the text is translated where it is shown (page,
    exports, charts), in the reader's language."""
    return text


MONTHS = tuple(range(1, 13))
MONTH_ABBR = (
    N_("janv."),
    N_("févr."),
    N_("mars"),
    N_("avr."),
    N_("mai"),
    N_("juin"),
    N_("juil."),
    N_("août"),
    N_("sept."),
    N_("oct."),
    N_("nov."),
    N_("déc."),
)
MONTH_NAMES = (
    N_("janvier"),
    N_("février"),
    N_("mars"),
    N_("avril"),
    N_("mai"),
    N_("juin"),
    N_("juillet"),
    N_("août"),
    N_("septembre"),
    N_("octobre"),
    N_("novembre"),
    N_("décembre"),
)
DEFAULT_HOURS_DENOMINATOR = 1607  # SPEC §3: 1,607 h worked a year for a full-time post
FULL_TIME_WEEKLY_HOURS = Decimal("35")  # art. L3121-27 C. trav.
# Budget lines whose forecast differs from the budget by more than this are flagged.
BUDGET_TOLERANCE = Decimal("0.05")
# Planned hours: alert once consumption is past this share of the convention.
PLANNED_ALERT = Decimal("0.90")
# Payslip totals → budget lines of class 64, the same split as the payroll journal PA
# (accounting/ledger.py): gross pay to 641, employer contributions net of reductions to 645.
PAYROLL_ACCOUNTS = (
    ("641", "Salaires bruts (bulletins émis)"),
    ("645", "Cotisations patronales nettes des réductions (bulletins émis)"),
)
KIND_ORDER = {"staff": 0, "overhead": 1, "income": 2}
KIND_LABELS = {
    "staff": N_("Personnel"),
    "overhead": N_("Frais de structure"),
    "income": N_("Produits"),
}
CHART_MEMBERS = 8  # members drawn one by one in the charts; the others are grouped
CHART_ROWS = 15  # bars of the per-employee / per-member bar charts of a large group
HOUR = Decimal(60)
RATIO = Decimal("0.0001")


class DashboardError(ValueError):
    """A year or reporting month the dashboard cannot show."""


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # French msgid (see N_); `title` is what is shown
    kind: str = "text"  # text | money | hours | percent | number
    params: tuple[tuple[str, str], ...] = ()  # %(name)s placeholders of the label
    translated: bool = False  # the cells hold French msgids too (statuses, natures)

    @property
    def title(self) -> str:
        return tr(self.label, **dict(self.params))

    def shown(self, value: Any, total: bool = False) -> Any:
        """A cell as shown: text msgids (this column's, or any text of a totals row)
        translated, everything else as it is."""
        if isinstance(value, str) and value and (self.translated or total) and self.kind == "text":
            return tr(value)
        return value


@dataclass
class Table:
    """One table of the dashboard: the page renders it, the exports write it."""

    name: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    totals: list[dict[str, Any]] = field(default_factory=list)  # footer rows

    @property
    def heading(self) -> str:
        return tr(self.title)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def all_rows(self) -> list[dict[str, Any]]:
        return [*self.rows, *self.totals]


TABLES = {
    "budget": N_("Budget et réalisé par ligne"),
    "budget_mois": N_("Réalisé par ligne de budget et par mois"),
    "repartition": N_("Répartition des coûts par adhérent et service"),
    "repartition_mois": N_("Coût réparti par adhérent et par mois"),
    "capacite": N_("Capacité par salarié"),
    "capacite_services": N_("Heures travaillées par service"),
    "heures_prevues": N_("Heures prévues par convention et heures consommées"),
    "regularisation": N_("Régularisation si l'exercice se terminait aujourd'hui"),
}


@dataclass
class Dashboard:
    year: int
    through: int  # reporting month 1–12 (0: no month of the year has begun)
    tables: dict[str, Table]
    charts: dict[str, Any]
    summary: dict[str, Any]
    # False while no payslip of the year is issued (no month closed): the actual cost is
    # still nil and a forecast would only repeat it, so the page says so instead.
    payroll_issued: bool = True

    @property
    def through_label(self) -> str:
        return f"{tr(MONTH_NAMES[self.through - 1])} {self.year}" if self.through else ""

    @property
    def through_key(self) -> str | None:
        """The reporting month as the page's `mois` parameter ("2026-10")."""
        return f"{self.year}-{self.through:02d}" if self.through else None

    @property
    def months(self) -> tuple[int, ...]:
        return tuple(range(1, self.through + 1))


# --------------------------------------------------------------------------- helpers


def hours(minutes: int) -> Decimal:
    """Whole minutes → hours with two decimals (SPEC §5)."""
    return (Decimal(minutes) / HOUR).quantize(CENT, rounding=ROUND_HALF_UP)


def ratio(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """part / whole to four decimals (a share shown as a percentage), None over zero."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATIO, rounding=ROUND_HALF_UP)


def run_rate(amount: Decimal, months: int) -> Decimal:
    """Linear forecast to year end from `months` months of data."""
    if months <= 0:
        return amount
    return (D(amount) * 12 / months).quantize(CENT, rounding=ROUND_HALF_UP)


def _money(value: Any) -> Decimal:
    return ZERO if value is None else D(value).quantize(CENT, rounding=ROUND_HALF_UP)


def last_payslip_month(year: int) -> str | None:
    """The last month ("YYYY-MM") of `year` with issued payslips, None before the first close."""
    return db.session.scalar(
        select(func.max(Payslip.month)).where(
            Payslip.status == "issued", Payslip.month >= f"{year}-01", Payslip.month <= f"{year}-12"
        )
    )


def reporting_month(year: int, today: date) -> int:
    """The last month of `year` with issued payslips; without any, the months elapsed."""
    last = last_payslip_month(year)
    if last:
        return int(last[5:7])
    if year < today.year:
        return 12
    if year == today.year:
        return today.month
    return 0


def _period(year: int, through: int) -> tuple[date, date]:
    """[1 January, first day after the reporting month)."""
    end = date(year + 1, 1, 1) if through == 12 else date(year, through + 1, 1)
    return date(year, 1, 1), end


# --------------------------------------------------------------------------- budget


@dataclass
class _BudgetRow:
    account: str
    label: str
    kind: str
    budget: Decimal
    actual: list[Decimal] = field(default_factory=lambda: [ZERO] * 12)
    budgeted: bool = True


def _monthly_sums(model: Any, year: int, end: date) -> dict[tuple[str, int], Decimal]:
    """Σ amount per (account, month) of expenses or income, grouped in the database."""
    month = extract("month", model.date)
    rows = db.session.execute(
        select(model.account, month, func.sum(model.amount))
        .where(model.date >= date(year, 1, 1), model.date < end)
        .group_by(model.account, month)
    )
    return {(account, int(m)): _money(total) for account, m, total in rows}


def _budget(year: int, through: int) -> tuple[list[Table], dict[str, Any], dict[str, Any]]:
    lines = sorted(
        db.session.scalars(select(BudgetLine).where(BudgetLine.year == year)),
        key=lambda b: (KIND_ORDER.get(b.kind, 9), b.account, b.id),
    )
    rows = [_BudgetRow(b.account, b.label, b.kind, D(b.amount)) for b in lines]
    end = _period(year, through)[1] if through else date(year, 1, 1)

    def target(account: str, kind: str, label: str) -> _BudgetRow:
        """The budget line an actual amount belongs to: same account, else the first line
        of the same kind sharing its 3-digit account class; else an unbudgeted row."""
        income = kind == "income"
        same_side = [r for r in rows if (r.kind == "income") == income]
        for candidates in (
            [r for r in same_side if r.account == account],
            [r for r in same_side if r.account[:3] == account[:3]],
        ):
            if candidates:
                return candidates[0]
        row = _BudgetRow(account, label, kind, ZERO, budgeted=False)
        rows.append(row)
        return row

    # Payroll: issued payslips of the reporting months, by month.
    if through:
        payslips = db.session.execute(
            select(
                Payslip.month,
                func.sum(Payslip.gross),
                func.sum(Payslip.employer_contributions - Payslip.reductions),
            )
            .where(
                Payslip.status == "issued",
                Payslip.month >= f"{year}-01",
                Payslip.month <= f"{year}-{through:02d}",
            )
            .group_by(Payslip.month)
        )
        for month, gross, contributions in payslips:
            m = int(month[5:7])
            for (prefix, label), amount in zip(
                PAYROLL_ACCOUNTS, (gross, contributions), strict=True
            ):
                target(prefix + "000", "staff", label).actual[m - 1] += _money(amount)
        for (account, m), amount in sorted(_monthly_sums(Expense, year, end).items()):
            kind = "staff" if account.startswith("64") else "overhead"
            target(account, kind, f"Dépenses hors budget (compte {account})").actual[m - 1] += (
                amount
            )
        for (account, m), amount in sorted(_monthly_sums(OperatingIncome, year, end).items()):
            target(account, "income", f"Produits hors budget (compte {account})").actual[m - 1] += (
                amount
            )
    rows.sort(key=lambda r: (KIND_ORDER.get(r.kind, 9), not r.budgeted, r.account))

    columns = [
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
    ]
    table_rows: list[dict[str, Any]] = []
    monthly_budget_net = [ZERO] * 12
    monthly_actual_net = [ZERO] * 12
    for r in rows:
        per_month = largest_remainder(r.budget, [(m, 1) for m in MONTHS]) if r.budget else {}
        budget_to_date = sum((per_month.get(m, ZERO) for m in range(1, through + 1)), ZERO)
        actual = sum(r.actual, ZERO)
        forecast = run_rate(actual, through)
        sign = -1 if r.kind == "income" else 1
        for m in MONTHS:
            monthly_budget_net[m - 1] += sign * per_month.get(m, ZERO)
            monthly_actual_net[m - 1] += sign * r.actual[m - 1]
        status, status_label = (
            _budget_status(r.kind, r.budget, forecast, r.budgeted) if through else NO_ACTUAL_YET
        )
        table_rows.append(
            {
                "account": r.account,
                "label": r.label,
                "kind": KIND_LABELS.get(r.kind, r.kind),
                "budget": r.budget,
                "budget_to_date": budget_to_date,
                "actual": actual,
                "variance": actual - budget_to_date,
                "consumed": ratio(actual, r.budget),
                "forecast": forecast,
                "forecast_variance": forecast - r.budget,
                "status": status_label,
                "_status": status,
                "_kind": r.kind,
                "_months": list(r.actual),
            }
        )

    totals = []
    for label, kinds in (
        (N_("Total des charges"), ("staff", "overhead")),
        (N_("Total des produits"), ("income",)),
    ):
        picked = [t for t in table_rows if t["_kind"] in kinds]
        total = {"account": "", "label": label, "kind": ""}
        for key in (
            "budget",
            "budget_to_date",
            "actual",
            "variance",
            "forecast",
            "forecast_variance",
        ):
            total[key] = sum((t[key] for t in picked), ZERO)
        total["consumed"] = ratio(total["actual"], total["budget"])
        kind = "income" if kinds == ("income",) else "overhead"
        status, total["status"] = (
            _budget_status(kind, total["budget"], total["forecast"], True)
            if through
            else NO_ACTUAL_YET
        )
        total["_status"] = status
        total["_months"] = [sum((t["_months"][m - 1] for t in picked), ZERO) for m in MONTHS]
        totals.append(total)
    if totals:
        charges, income = totals
        net = {"account": "", "label": N_("Coût net (charges − produits)"), "kind": ""}
        for key in (
            "budget",
            "budget_to_date",
            "actual",
            "variance",
            "forecast",
            "forecast_variance",
        ):
            net[key] = charges[key] - income[key]
        net["consumed"] = ratio(net["actual"], net["budget"])
        status, net["status"] = (
            _budget_status("overhead", net["budget"], net["forecast"], True)
            if through
            else NO_ACTUAL_YET
        )
        net["_status"] = status
        net["_months"] = [a - b for a, b in zip(charges["_months"], income["_months"], strict=True)]
        totals.append(net)
    budget_table = Table("budget", TABLES["budget"], columns, table_rows, totals)

    month_columns = [Column("account", N_("Compte")), Column("label", N_("Libellé"))]
    month_columns += [
        Column(f"m{m:02d}", MONTH_ABBR[m - 1], "money") for m in range(1, through + 1)
    ]
    month_columns += [Column("actual", N_("Total"), "money")]

    def by_month(src: dict[str, Any]) -> dict[str, Any]:
        out = {
            "account": src["account"],
            "label": src["label"],
            "actual": src["actual"],
            "_status": src["_status"],
        }
        out.update({f"m{m:02d}": src["_months"][m - 1] for m in range(1, through + 1)})
        return out

    month_table = Table(
        "budget_mois",
        TABLES["budget_mois"],
        month_columns,
        [by_month(t) for t in table_rows],
        [by_month(t) for t in totals],
    )

    # Cumulative net cost: budget spread evenly, actual through the reporting month, then
    # the forecast's straight line to its year-end figure.
    budget_cum, actual_cum = [], []
    running = ZERO
    for m in MONTHS:
        running += monthly_budget_net[m - 1]
        budget_cum.append(running)
    running = ZERO
    for m in range(1, through + 1):
        running += monthly_actual_net[m - 1]
        actual_cum.append(running)
    net_total = (
        totals[-1]
        if totals
        else {"budget": ZERO, "forecast": ZERO, "actual": ZERO, "_status": "ok"}
    )
    forecast_cum: list[Decimal | None] = [None] * 12
    if through:
        start_value, goal = actual_cum[-1], net_total["forecast"]
        for m in range(through, 13):
            step = Decimal(m - through) / Decimal(12 - through) if through < 12 else Decimal(1)
            forecast_cum[m - 1] = (start_value + (goal - start_value) * step).quantize(CENT)
    charts = {
        "cumulative": {"budget": budget_cum, "actual": actual_cum, "forecast": forecast_cum},
        "lines": [
            {
                "label": f"{t['account']} {t['label']}",
                "budget": t["budget"],
                "actual": t["actual"],
                "forecast": t["forecast"],
                "status": t["_status"],
                "status_label": t["status"],
            }
            for t in table_rows
        ],
    }
    summary = {
        "budget": net_total["budget"],
        "actual": net_total["actual"],
        "forecast": net_total["forecast"],
        "net_status": net_total["_status"],
        "over_lines": [
            t for t in table_rows if t["_status"] in ("over", "unbudgeted", "income_short")
        ],
    }
    return [budget_table, month_table], charts, summary


NO_ACTUAL_YET = ("none", N_("— Pas encore de réalisé"))


def _budget_status(
    kind: str, budget: Decimal, forecast: Decimal, budgeted: bool
) -> tuple[str, str]:
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


# --------------------------------------------------------------------------- allocation


def _allocation(
    year: int, through: int, names: dict[str, str], labels: dict[str, str], closed: cache.Year
) -> tuple[list[Table], dict[str, Any], list[allocation_services.AllocationRow]]:
    rows = closed.allocation(1, through).rows if through else []
    services = sorted({r.service for r in rows})
    by_member: dict[str, list[allocation_services.AllocationRow]] = defaultdict(list)
    for r in rows:
        by_member[r.member].append(r)
    grand_total = sum((r.total_cost for r in rows), ZERO)

    columns = [Column("member", N_("Adhérent")), Column("name", N_("Nom"))]
    for s in services:
        columns += [
            Column(f"hours_{s}", N_("%(service)s — heures"), "hours", (("service", s or "—"),)),
            Column(f"cost_{s}", N_("%(service)s — coût"), "money", (("service", s or "—"),)),
        ]
    columns += [
        Column("hours", N_("Heures facturables"), "hours"),
        Column("direct_cost", N_("Coût direct"), "money"),
        Column("structure_cost", N_("Coût de structure"), "money"),
        Column("total_cost", N_("Coût total"), "money"),
        Column("invoiced", N_("Facturé (hors cotisations)"), "money"),
        Column("share", N_("Part de l'année"), "percent"),
    ]

    def line(
        code: str, name: str, member_rows: list[allocation_services.AllocationRow]
    ) -> dict[str, Any]:
        out: dict[str, Any] = {"member": code, "name": name}
        for s in services:
            cell = [r for r in member_rows if r.service == s]
            out[f"hours_{s}"] = hours(sum(r.minutes for r in cell)) if cell else None
            out[f"cost_{s}"] = sum((r.total_cost for r in cell), ZERO) if cell else None
        out["hours"] = hours(sum(r.minutes for r in member_rows))
        for key in ("direct_cost", "structure_cost", "total_cost", "invoiced"):
            out[key] = sum((getattr(r, key) for r in member_rows), ZERO)
        out["share"] = ratio(out["total_cost"], grand_total)
        return out

    table_rows = [
        line(code, names.get(code, ""), member_rows)
        for code, member_rows in sorted(by_member.items())
    ]
    totals = [line("", N_("Total"), rows)] if rows else []
    allocation_table = Table("repartition", TABLES["repartition"], columns, table_rows, totals)

    # Each month's own allocation (through the service, month by month) for the bars.
    monthly: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO] * through)
    for m in range(1, through + 1):
        period = closed.allocation(m, m)
        for code, cost in period.result.per_member().items():
            monthly[code][m - 1] = cost
    month_columns = [Column("member", N_("Adhérent")), Column("name", N_("Nom"))]
    month_columns += [
        Column(f"m{m:02d}", MONTH_ABBR[m - 1], "money") for m in range(1, through + 1)
    ]
    month_columns += [Column("total", N_("Total des mois"), "money")]
    month_rows = []
    for code in sorted(monthly):
        row: dict[str, Any] = {"member": code, "name": names.get(code, "")}
        row.update({f"m{m:02d}": monthly[code][m - 1] for m in range(1, through + 1)})
        row["total"] = sum(monthly[code], ZERO)
        month_rows.append(row)
    month_totals = []
    if month_rows:
        total_row: dict[str, Any] = {"member": "", "name": N_("Total")}
        for key in [f"m{m:02d}" for m in range(1, through + 1)] + ["total"]:
            total_row[key] = sum((r[key] for r in month_rows), ZERO)
        month_totals.append(total_row)
    month_table = Table(
        "repartition_mois", TABLES["repartition_mois"], month_columns, month_rows, month_totals
    )

    # Charts: the largest members one by one, the others together.
    ranked = sorted(table_rows, key=lambda t: (-t["total_cost"], t["member"]))
    shown = [t["member"] for t in ranked[:CHART_MEMBERS]]
    others = [t["member"] for t in ranked[CHART_MEMBERS:]]
    series = [
        {
            "label": f"{code} — {names.get(code, code)}",
            "key": code,
            "values": monthly.get(code, [ZERO] * through),
        }
        for code in shown
    ]
    if others:
        series.append(
            {
                "label": tr(N_("Autres adhérents (%(n)s)"), n=len(others)),
                "key": "AUTRES",
                "values": [
                    sum((monthly.get(c, [ZERO] * through)[i] for c in others), ZERO)
                    for i in range(through)
                ],
            }
        )
    shares = [
        {"label": f"{t['member']} — {t['name']}", "value": t["total_cost"], "share": t["share"]}
        for t in ranked[:CHART_MEMBERS]
    ]
    if others:
        rest = sum((t["total_cost"] for t in ranked[CHART_MEMBERS:]), ZERO)
        shares.append(
            {
                "label": tr(N_("Autres adhérents (%(n)s)"), n=len(others)),
                "value": rest,
                "share": ratio(rest, grand_total),
            }
        )
    charts = {
        "monthly": {"months": [MONTH_ABBR[m - 1] for m in range(1, through + 1)], "series": series},
        "shares": shares,
    }
    return [allocation_table, month_table], charts, rows


# --------------------------------------------------------------------------- capacity


def _capacity(
    year: int, through: int, labels: dict[str, str], closed: cache.Year
) -> tuple[list[Table], dict[str, Any], dict[str, Any]]:
    denominator = (
        db.session.scalar(select(FiscalYear.hours_denominator).where(FiscalYear.year == year))
        or DEFAULT_HOURS_DENOMINATOR
    )
    year_start, year_end = date(year, 1, 1), date(year, 12, 31)
    days_in_year = Decimal((year_end - year_start).days + 1)
    _, period_end = _period(year, through) if through else (year_start, year_start)

    def covered(start: date, end: date | None, until: date) -> int:
        """Days of the contract within [1 January, until)."""
        first, last = max(start, year_start), min(end or year_end, until - _DAY)
        return max((last - first).days + 1, 0)

    people: dict[int, dict[str, Any]] = {}
    contracts = db.session.execute(
        select(
            Employee.id,
            Employee.code,
            Employee.first_name,
            Employee.last_name,
            Contract.start_date,
            Contract.end_date,
            Contract.weekly_hours,
        )
        .join(Contract, Contract.employee_id == Employee.id)
        .where(
            Contract.start_date <= year_end,
            (Contract.end_date.is_(None)) | (Contract.end_date >= year_start),
        )
    )
    for emp_id, code, first, last, start, end, weekly in contracts:
        p = people.setdefault(emp_id, _person(code, f"{first} {last}"))
        fte = D(weekly) / FULL_TIME_WEEKLY_HOURS
        p["fte"] += fte * covered(start, end, date(year + 1, 1, 1)) / days_in_year
        p["available_year"] += (
            fte * denominator * covered(start, end, date(year + 1, 1, 1)) / days_in_year
        )
        p["available"] += fte * denominator * covered(start, end, period_end) / days_in_year

    by_service: dict[str, dict[str, int]] = defaultdict(lambda: {"worked": 0, "billable": 0})
    if through:
        # The allocation's own grouped minutes (closed months: their summaries), regrouped
        # per employee and service or absence — no second scan of the timesheets.
        sums: dict[tuple[int, int | None, str | None], list[int]] = {}
        for emp_id, member_id, service_id, absence, minutes in closed.allocation(1, through).time:
            acc = sums.setdefault((emp_id, service_id, absence), [0, 0])
            acc[0] += int(minutes)
            if member_id is None:
                acc[1] += int(minutes)
        grouped = [(*key, total, internal) for key, (total, internal) in sums.items()]
        service_codes = dict(db.session.execute(select(Service.id, Service.code)).all())
        missing: set[int] = set()
        for emp_id, service_id, absence, total, internal in grouped:
            if emp_id not in people:
                missing.add(emp_id)
                people[emp_id] = _person("", "")
            p = people[emp_id]
            total, internal = int(total), int(internal or 0)
            if absence is not None:
                p["absence_minutes"] += total
                continue
            code = service_codes[service_id]
            p["worked_minutes"] += total
            p["internal_minutes"] += internal
            by_service[code]["worked"] += total
            by_service[code]["billable"] += total - internal
        if missing:  # time of people with no contract in the year: name them all the same
            for emp_id, code, first, last in db.session.execute(
                select(Employee.id, Employee.code, Employee.first_name, Employee.last_name).where(
                    Employee.id.in_(missing)
                )
            ):
                people[emp_id]["employee"], people[emp_id]["name"] = code, f"{first} {last}"

    columns = [
        Column("employee", N_("Salarié")),
        Column("name", N_("Nom")),
        Column("fte", N_("ETP"), "number"),
        Column("available_year", N_("Disponible sur l'année"), "hours"),
        Column("available", N_("Disponible à date"), "hours"),
        Column("worked", N_("Travaillé"), "hours"),
        Column("billable", N_("dont facturable"), "hours"),
        Column("internal", N_("dont interne"), "hours"),
        Column("absences", N_("Absences"), "hours"),
        Column("occupation", N_("Travaillé / disponible"), "percent"),
        Column("billable_rate", N_("Facturable / travaillé"), "percent"),
    ]
    rows = []
    for p in sorted(people.values(), key=lambda p: p["employee"]):
        rows.append(_capacity_row(p))
    totals = []
    if rows:
        total = _person("", N_("Total"))
        for p in people.values():
            for key in (
                "fte",
                "available_year",
                "available",
                "worked_minutes",
                "internal_minutes",
                "absence_minutes",
            ):
                total[key] += p[key]
        totals.append(_capacity_row(total))
    employee_table = Table("capacite", TABLES["capacite"], columns, rows, totals)

    all_billable = sum(v["billable"] for v in by_service.values())
    service_rows = [
        {
            "service": s,
            "label": labels.get(s, s),
            "worked": hours(v["worked"]),
            "billable": hours(v["billable"]),
            "internal": hours(v["worked"] - v["billable"]),
            "share": ratio(v["billable"], all_billable),
        }
        for s, v in sorted(by_service.items())
    ]
    service_totals = []
    if service_rows:
        service_totals.append(
            {
                "service": "",
                "label": N_("Total"),
                "worked": hours(sum(v["worked"] for v in by_service.values())),
                "billable": hours(all_billable),
                "internal": hours(sum(v["worked"] - v["billable"] for v in by_service.values())),
                "share": ratio(all_billable, all_billable),
            }
        )
    service_table = Table(
        "capacite_services",
        TABLES["capacite_services"],
        [
            Column("service", N_("Service")),
            Column("label", N_("Libellé")),
            Column("worked", N_("Travaillé"), "hours"),
            Column("billable", N_("dont facturable"), "hours"),
            Column("internal", N_("dont interne"), "hours"),
            Column("share", N_("Part des heures facturables"), "percent"),
        ],
        service_rows,
        service_totals,
    )
    # A large staff: the chart shows those furthest from their available hours (over- or
    # under-used); the table has everyone.
    picked = (
        rows
        if len(rows) <= CHART_ROWS
        else sorted(rows, key=lambda r: (-abs(r["worked"] - r["available"]), r["employee"]))[
            :CHART_ROWS
        ]
    )
    charts = {
        "employees": [
            {
                "label": f"{r['employee']} — {r['name']}",
                "available": r["available"],
                "worked": r["worked"],
                "billable": r["billable"],
            }
            for r in sorted(picked, key=lambda r: r["employee"])
        ],
        "total": len(rows),
    }
    summary = totals[0] if totals else None
    return [employee_table, service_table], charts, {"capacity": summary}


_DAY = date(2000, 1, 2) - date(2000, 1, 1)


def _person(code: str, name: str) -> dict[str, Any]:
    return {
        "employee": code,
        "name": name,
        "fte": Decimal(0),
        "available_year": Decimal(0),
        "available": Decimal(0),
        "worked_minutes": 0,
        "internal_minutes": 0,
        "absence_minutes": 0,
    }


def _capacity_row(p: dict[str, Any]) -> dict[str, Any]:
    available = p["available"].quantize(CENT, rounding=ROUND_HALF_UP)
    worked = p["worked_minutes"]
    return {
        "employee": p["employee"],
        "name": p["name"],
        "fte": p["fte"].quantize(CENT, rounding=ROUND_HALF_UP),
        "available_year": p["available_year"].quantize(CENT, rounding=ROUND_HALF_UP),
        "available": available,
        "worked": hours(worked),
        "billable": hours(worked - p["internal_minutes"]),
        "internal": hours(p["internal_minutes"]),
        "absences": hours(p["absence_minutes"]),
        "occupation": ratio(hours(worked), available),
        "billable_rate": ratio(worked - p["internal_minutes"], worked),
    }


# --------------------------------------------------------------------------- planned hours


def _planned(
    year: int,
    through: int,
    alloc_rows: list[allocation_services.AllocationRow],
    names: dict[str, str],
    labels: dict[str, str],
) -> tuple[Table, dict[str, Any]]:
    """Each member's planned hours (its convention, per service) against the billable hours
    the allocation counted over the reporting months."""
    planned = {
        (m, s): D(h)
        for m, s, h in db.session.execute(
            select(Member.code, Service.code, PlannedHours.hours)
            .join(Member, PlannedHours.member_id == Member.id)
            .join(Service, PlannedHours.service_id == Service.id)
            .where(PlannedHours.year == year)
        )
    }
    consumed: dict[tuple[str, str], int] = defaultdict(int)
    for r in alloc_rows:
        if r.minutes:
            consumed[(r.member, r.service)] += r.minutes
    rows = []
    for key in sorted(set(planned) | set(consumed)):
        plan = planned.get(key, ZERO)
        used = hours(consumed.get(key, 0))
        if not plan and not used:
            continue
        share = ratio(used, plan)
        projection = run_rate(used, through) if through else used
        if not plan:
            status, label = "unplanned", N_("▲ Hors convention")
        elif used > plan:
            status, label = "exceeded", N_("▲ Convention dépassée")
        elif share is not None and share > PLANNED_ALERT:
            status, label = "alert", N_("⚠ Plus de 90 % consommés")
        elif projection > plan:
            status, label = "trend", N_("↗ Dépassement au rythme actuel")
        else:
            status, label = "ok", N_("✓ Dans la convention")
        rows.append(
            {
                "member": key[0],
                "name": names.get(key[0], ""),
                "service": key[1],
                "service_label": labels.get(key[1], key[1]),
                "planned": plan,
                "consumed": used,
                "share": share,
                "projection": projection,
                "remaining": plan - used,
                "status": label,
                "_status": status,
            }
        )
    columns = [
        Column("member", N_("Adhérent")),
        Column("name", N_("Nom")),
        Column("service", N_("Service")),
        Column("service_label", N_("Libellé du service")),
        Column("planned", N_("Heures prévues (convention)"), "hours"),
        Column("consumed", N_("Heures consommées"), "hours"),
        Column("share", N_("Consommé"), "percent"),
        Column("remaining", N_("Reste"), "hours"),
        Column("projection", N_("Projection fin d'année"), "hours"),
        Column("status", N_("Situation"), translated=True),
    ]
    totals = []
    if rows:
        plan_total = sum((r["planned"] for r in rows), ZERO)
        used_total = sum((r["consumed"] for r in rows), ZERO)
        totals.append(
            {
                "member": "",
                "name": N_("Total"),
                "service": "",
                "service_label": "",
                "planned": plan_total,
                "consumed": used_total,
                "share": ratio(used_total, plan_total),
                "remaining": plan_total - used_total,
                "projection": sum((r["projection"] for r in rows), ZERO),
                "status": "",
            }
        )
    alerts = [r for r in rows if r["_status"] in ("alert", "exceeded", "unplanned")]
    return Table("heures_prevues", TABLES["heures_prevues"], columns, rows, totals), {
        "alerts": alerts
    }


# --------------------------------------------------------------------------- regularisation


def _regularisation(
    alloc_rows: list[allocation_services.AllocationRow], names: dict[str, str]
) -> tuple[Table, dict[str, Any]]:
    """Per member: real cost (allocation) − invoiced services (fees excluded, credit notes
    deducted: the allocation's `invoiced`) — SPEC §5 "Year-end regularisation" as of now."""
    cost: dict[str, Decimal] = defaultdict(lambda: ZERO)
    invoiced: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for r in alloc_rows:
        cost[r.member] += r.total_cost
        invoiced[r.member] += r.invoiced
    rows = []
    for code in sorted(set(cost) | set(invoiced)):
        diff = cost[code] - invoiced[code]
        if diff > 0:
            status, label = "complement", N_("Facture complémentaire")
        elif diff < 0:
            status, label = "credit", N_("Avoir")
        else:
            status, label = "none", N_("Rien à régulariser")
        rows.append(
            {
                "member": code,
                "name": names.get(code, ""),
                "total_cost": cost[code],
                "invoiced": invoiced[code],
                "difference": diff,
                "outcome": label,
                "_status": status,
            }
        )
    columns = [
        Column("member", N_("Adhérent")),
        Column("name", N_("Nom")),
        Column("total_cost", N_("Coût réel à date"), "money"),
        Column("invoiced", N_("Facturé (prestations, hors cotisations)"), "money"),
        Column("difference", N_("Régularisation (coût − facturé)"), "money"),
        Column("outcome", N_("Document"), translated=True),
    ]
    totals = []
    if rows:
        totals.append(
            {
                "member": "",
                "name": "Total",
                "total_cost": sum((r["total_cost"] for r in rows), ZERO),
                "invoiced": sum((r["invoiced"] for r in rows), ZERO),
                "difference": sum((r["difference"] for r in rows), ZERO),
                "outcome": "",
            }
        )
    nonzero = sorted(
        (r for r in rows if r["difference"]), key=lambda r: (-abs(r["difference"]), r["member"])
    )
    items = [
        {"label": f"{r['member']} — {r['name']}", "value": r["difference"]}
        for r in sorted(nonzero[:CHART_ROWS], key=lambda r: r["member"])
    ]
    rest = nonzero[CHART_ROWS:]
    if rest:
        items.append(
            {
                "label": f"Autres adhérents ({len(rest)})",
                "value": sum((r["difference"] for r in rest), ZERO),
            }
        )
    charts = {"members": items}
    return Table("regularisation", TABLES["regularisation"], columns, rows, totals), charts


# --------------------------------------------------------------------------- entry point


def dashboard(year: int, through: int | None = None, today: date | None = None) -> Dashboard:
    """The whole dashboard of `year`, figures from January to the month `through` (1–12;
    default :func:`reporting_month`)."""
    if not 2000 <= year <= 2100:
        raise DashboardError(f"exercice invalide : {year}")
    if through is None:
        through = reporting_month(year, today or date.today())
    if not 0 <= through <= 12:
        raise DashboardError(f"mois invalide : {through}")
    names = dict(db.session.execute(select(Member.code, Member.name)).all())
    labels = dict(db.session.execute(select(Service.code, Service.label)).all())
    closed = cache.Year(year)

    payroll_issued = last_payslip_month(year) is not None
    # Before the first close the actual cost is nil: the budget section shows the budget only.
    budget_tables, budget_charts, budget_summary = _budget(year, through if payroll_issued else 0)
    allocation_tables, allocation_charts, alloc_rows = _allocation(
        year, through, names, labels, closed
    )
    capacity_tables, capacity_charts, capacity_summary = _capacity(year, through, labels, closed)
    planned_table, planned_summary = _planned(year, through, alloc_rows, names, labels)
    regularisation_table, regularisation_charts = _regularisation(alloc_rows, names)

    tables = {
        t.name: t
        for t in (
            *budget_tables,
            *allocation_tables,
            *capacity_tables,
            planned_table,
            regularisation_table,
        )
    }
    charts = {
        "budget": budget_charts,
        "allocation": allocation_charts,
        "capacity": capacity_charts,
        "regularisation": regularisation_charts,
    }
    summary = {
        **budget_summary,
        **capacity_summary,
        **planned_summary,
        "allocated": sum((r.total_cost for r in alloc_rows), ZERO),
        "invoiced": sum((r.invoiced for r in alloc_rows), ZERO),
    }
    return Dashboard(year, through, tables, charts, summary, payroll_issued=payroll_issued)


def table(year: int, name: str, through: int | None = None, today: date | None = None) -> Table:
    """One table of the dashboard (for the exports)."""
    if name not in TABLES:
        raise KeyError(name)
    return dashboard(year, through, today).tables[name]
