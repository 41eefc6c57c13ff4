"""Charts drawn on the server as inline SVG (no CDN, no JavaScript library).

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that say what it
shows; every bar carries its own ``<title>`` (the browser's tooltip) with its exact figure,
and the page puts the same figures in a table next to it, so nothing is said by colour alone.
Colours are the Okabe–Ito palette, readable by colour-blind people.

Amounts become pixel positions here, and only here: the conversion to ``float`` is geometry,
never money (money stays ``Decimal`` in the tables' modules).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from markupsafe import Markup, escape

from accounting.money import CENT, ROUND_HALF_EVEN
from eage.dashboard.allocation_months import MonthlyBars
from eage.dashboard.allocation_table import MemberShare
from eage.dashboard.board import Dashboard
from eage.dashboard.budget_months import CumulativeCost
from eage.dashboard.budget_table import OVER_STATUSES, BudgetLineBar
from eage.dashboard.capacity_table import EmployeeBars
from eage.dashboard.figures import MONTH_ABBR
from eage.dashboard.regularisation_table import MemberBar
from eage.filters import _locale, money, number2
from eage.filters import tr as _

PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#8C6D31",
    "#6F4E9C",
    "#8A8A8A",
)
INK = "#1d2b30"
GRID = "#d9e1e4"
WIDTH = 760
FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\""


def _num(value: Any) -> float:
    return float(value or 0)


def _english() -> bool:
    return _locale().startswith("en")


def euros_short(value: float) -> str:
    """Axis labels in the reader's format: 12 500 → '12,5 k€' / '€12.5k', 1 200 000 →
    '1,2 M€' / '€1.2M'."""
    sign = "−" if value < 0 else ""
    v = abs(value)
    scaled, fmt, suffix = (
        (v / 1_000_000, "#,##0.#", "M")
        if v >= 1_000_000
        else (v / 1000, "#,##0.#", "k")
        if v >= 1000
        else (v, "#,##0", "")
    )
    # float-ok: an axis label of a drawing; the exact amounts are in the table beside it
    text = format_decimal(Decimal(f"{scaled:.1f}"), format=fmt, locale=_locale())
    if _english():
        return f"{sign}€{text}{suffix}"
    return f"{sign}{text}\u202f{suffix}€"


def hours_short(value: float) -> str:
    """Axis labels: '1 234 h' / '1,234 h'."""
    text = format_decimal(Decimal(f"{value:.0f}"), format="#,##0", locale=_locale())
    return text + "\u202fh"


def money_text(value: Any) -> str:
    """Exact figure for tooltips: '1 234,50 €' / '€1,234.50'."""
    # Half-even, the decimal context's default these tooltips always used (display only).
    d = Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_EVEN)
    return ("−" if d < 0 else "") + money(abs(d))


def hours_text(value: Any) -> str:
    """Exact hours for tooltips: '1 234,50 h' / '1,234.50 h'."""
    return number2(Decimal(value or 0)) + "\xa0h"


def _flag_width(items: Sequence[dict[str, Any]], flag_key: str | None) -> int:
    """Room on the right for the items' flags, as long as the longest one in the reader's
    language (« ▲ Expense outside the budget » is longer than its French)."""
    if not flag_key:
        return 60
    longest = max((len(str(it.get(flag_key) or "")) for it in items), default=0)
    return max(170, 16 + int(7.6 * longest))


def _said(value: str, *labels: str) -> str:
    """'label — label : value' in French, '…: value' in English, escaped (a tooltip)."""
    return str(escape(_("%(label)s : %(value)s", label=" — ".join(labels), value=value)))


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis ticks covering [low, high] (0 always included)."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks, t = [], first
    while t < high + step * 0.999:
        ticks.append(round(t, 6))  # float-ok: an axis tick in the SVG, not money
        t += step
    return ticks


def _open(chart_id: str, title: str, desc: str, height: int, width: int = WIDTH) -> list[str]:
    cid = escape(chart_id)
    return [
        f'<svg class="chart" id="{cid}" data-chart="{cid}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" {FONT} font-size="12" fill="{INK}">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
    ]


def _legend(items: Sequence[tuple[str, str, str]], y: int, x0: int = 60) -> list[str]:
    """(label, colour, style) swatches in a row (wrapping); style 'solid'|'dash'|'outline'."""
    out = ['<g class="legend">']
    x: float = x0
    for label, colour, style in items:
        width = 34 + 7.5 * len(label)
        if x + width > WIDTH - 10:
            x, y = x0, y + 18
        if style == "dash":
            out.append(
                f'<line x1="{x}" y1="{y - 4}" x2="{x + 18}" y2="{y - 4}" stroke="{colour}" '
                f'stroke-width="3" stroke-dasharray="5 3"/>'
            )
        elif style == "line":
            out.append(
                f'<line x1="{x}" y1="{y - 4}" x2="{x + 18}" y2="{y - 4}" stroke="{colour}" '
                f'stroke-width="3"/>'
            )
        elif style == "outline":
            out.append(
                f'<rect x="{x:.1f}" y="{y - 10}" width="14" height="12" fill="white" '
                f'stroke="{colour}" stroke-width="2"/>'
            )
        else:
            out.append(f'<rect x="{x}" y="{y - 10}" width="14" height="12" fill="{colour}"/>')
        out.append(f'<text x="{x + 22}" y="{y}">{escape(label)}</text>')
        x += width
    out.append("</g>")
    return out


def line_chart(
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[dict[str, Any]],
    *,
    height: int = 300,
) -> Markup:
    """Lines over categories. series: {label, values (None = no point), colour, style}."""
    left, right, top, bottom = 70, 20, 16, 64
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    values = [_num(v) for s in series for v in s["values"] if v is not None]
    ticks = nice_ticks(min(values, default=0), max(values, default=1))
    lo, hi = ticks[0], ticks[-1]
    step_x = plot_w / max(len(categories) - 1, 1)

    def y(v: float) -> float:
        return top + plot_h - (v - lo) / (hi - lo) * plot_h

    out = _open(chart_id, title, desc, height)
    for t in ticks:
        out.append(
            f'<line x1="{left}" y1="{y(t):.1f}" x2="{WIDTH - right}" y2="{y(t):.1f}" '
            f'stroke="{GRID}"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end">'
            f"{escape(euros_short(t))}</text>"
        )
    for i, c in enumerate(categories):
        out.append(
            f'<text x="{left + i * step_x:.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
            f"{escape(c)}</text>"
        )
    for s in series:
        points = [
            (left + i * step_x, y(_num(v)), v, categories[i])
            for i, v in enumerate(s["values"])
            if v is not None
        ]
        if not points:
            continue
        dash = ' stroke-dasharray="6 4"' if s.get("style") == "dash" else ""
        path = " ".join(f"{x:.1f},{yy:.1f}" for x, yy, _, _ in points)
        out.append(
            f'<polyline class="series" data-series="{escape(s["label"])}" points="{path}" '
            f'fill="none" stroke="{s["colour"]}" stroke-width="2.5"{dash}/>'
        )
        for x, yy, v, c in points:
            out.append(
                f'<circle class="point" cx="{x:.1f}" cy="{yy:.1f}" r="3.5" fill="{s["colour"]}">'
                f"<title>{_said(money_text(v), s['label'], c)}</title>"
                "</circle>"
            )
    out += _legend([(s["label"], s["colour"], s.get("style", "line")) for s in series], height - 22)
    out.append("</svg>")
    return Markup("\n".join(out))


def stacked_bars(
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[dict[str, Any]],
    *,
    height: int = 320,
) -> Markup:
    """Vertical bars per category, stacked by series: {label, values}."""
    left, right, top = 70, 20, 16
    legend_rows = 1 + int(sum(34 + 7.5 * len(s["label"]) for s in series) // (WIDTH - 100))
    bottom = 40 + 18 * legend_rows
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    totals = [sum(_num(s["values"][i]) for s in series) for i in range(len(categories))]
    ticks = nice_ticks(0, max(totals, default=1) or 1)
    hi = ticks[-1]
    slot = plot_w / max(len(categories), 1)
    bar_w = min(slot * 0.7, 60)

    def h(v: float) -> float:
        return v / hi * plot_h

    out = _open(chart_id, title, desc, height)
    for t in ticks:
        yy = top + plot_h - h(t)
        out.append(
            f'<line x1="{left}" y1="{yy:.1f}" x2="{WIDTH - right}" y2="{yy:.1f}" stroke="{GRID}"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end">'
            f"{escape(euros_short(t))}</text>"
        )
    for i, c in enumerate(categories):
        x = left + i * slot + (slot - bar_w) / 2
        base: float = top + plot_h
        for k, s in enumerate(series):
            v = _num(s["values"][i])
            if v <= 0:
                continue
            bh = h(v)
            base -= bh
            out.append(
                f'<rect class="bar" data-series="{escape(s["label"])}" x="{x:.1f}" y="{base:.1f}" '
                f'width="{bar_w:.1f}" height="{bh:.1f}" fill="{PALETTE[k % len(PALETTE)]}" '
                f'stroke="white" stroke-width="0.5"><title>'
                f"{_said(money_text(s['values'][i]), c, s['label'])}</title></rect>"
            )
        out.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
            f"{escape(c)}</text>"
        )
    out += _legend(
        [(s["label"], PALETTE[k % len(PALETTE)], "solid") for k, s in enumerate(series)],
        top + plot_h + 36,
    )
    out.append("</svg>")
    return Markup("\n".join(out))


def grouped_hbars(
    chart_id: str,
    title: str,
    desc: str,
    items: Sequence[dict[str, Any]],
    keys: Sequence[tuple[str, str, str]],
    *,
    unit: str = "money",
    flag_key: str | None = None,
) -> Markup:
    """Horizontal groups of bars, one group per item, one bar per key (key, label, colour).
    `flag_key`: the item's text shown after the group (e.g. '▲ Dépassement prévu')."""
    label_w, right, top = 260, _flag_width(items, flag_key), 10
    bar_h, gap = 9, 10
    group_h = bar_h * len(keys) + gap
    legend_y = top + group_h * len(items) + 36
    height = legend_y + 14
    plot_w = WIDTH - label_w - right
    values = [_num(it[k]) for it in items for k, _, _ in keys]
    ticks = nice_ticks(min(values, default=0), max(values, default=1) or 1, 4)
    lo, hi = ticks[0], ticks[-1]
    fmt_axis = euros_short if unit == "money" else hours_short
    fmt_exact = money_text if unit == "money" else hours_text

    def x(v: float) -> float:
        return label_w + (v - lo) / (hi - lo) * plot_w

    out = _open(chart_id, title, desc, height)
    axis_y = top + group_h * len(items)
    for t in ticks:
        out.append(
            f'<line x1="{x(t):.1f}" y1="{top}" x2="{x(t):.1f}" y2="{axis_y}" stroke="{GRID}"/>'
        )
        out.append(
            f'<text x="{x(t):.1f}" y="{axis_y + 14}" text-anchor="middle">'
            f"{escape(fmt_axis(t))}</text>"
        )
    for i, it in enumerate(items):
        y0 = top + i * group_h
        label = it["label"] if len(it["label"]) <= 34 else it["label"][:33] + "…"
        out.append(
            f'<text x="{label_w - 8}" y="{y0 + group_h / 2 + 2:.1f}" text-anchor="end">'
            f"<title>{escape(it['label'])}</title>{escape(label)}</text>"
        )
        for k, (key, key_label, colour) in enumerate(keys):
            v = _num(it[key])
            x1, x2 = sorted((x(0), x(v)))
            out.append(
                f'<rect class="bar" data-series="{escape(key_label)}" x="{x1:.1f}" '
                f'y="{y0 + k * bar_h:.1f}" width="{max(x2 - x1, 0.5):.1f}" height="{bar_h - 1}" '
                f'fill="{colour}"><title>'
                f"{_said(fmt_exact(it[key]), it['label'], key_label)}</title></rect>"
            )
        if flag_key and it.get(flag_key):
            bad = it.get("flag_bad")
            out.append(
                f'<text x="{WIDTH - right + 8}" y="{y0 + group_h / 2 + 2:.1f}" '
                f'font-weight="{"700" if bad else "400"}" fill="{"#b3261e" if bad else INK}">'
                f"{escape(it[flag_key])}</text>"
            )
    out += _legend([(lbl, colour, "solid") for _, lbl, colour in keys], legend_y, label_w)
    out.append("</svg>")
    return Markup("\n".join(out))


def hbars(
    chart_id: str,
    title: str,
    desc: str,
    items: Sequence[dict[str, Any]],
    *,
    value_key: str = "value",
    note_key: str | None = None,
    colour: str = PALETTE[0],
    diverging: bool = False,
    colours: tuple[str, str] = (PALETTE[5], PALETTE[0]),
    width: int = WIDTH,
    label_w: int = 260,
) -> Markup:
    """One horizontal bar per item with its figure written at the bar's end. `diverging`:
    negative bars go left of the zero line in the second colour."""
    right, top, bar_h = 150, 10, 22
    height = top + bar_h * len(items) + 14
    plot_w = width - label_w - right
    max_chars = label_w // 7
    values = [_num(it[value_key]) for it in items]
    lo = min(min(values, default=0), 0) if diverging else 0
    hi = max(max(values, default=0), 0) or 1
    if lo == hi:
        hi = lo + 1

    def x(v: float) -> float:
        return label_w + (v - lo) / (hi - lo) * plot_w

    out = _open(chart_id, title, desc, height, width)
    out.append(
        f'<line x1="{x(0):.1f}" y1="{top - 4}" x2="{x(0):.1f}" y2="{top + bar_h * len(items)}" '
        f'stroke="{INK}"/>'
    )
    for i, it in enumerate(items):
        y0 = top + i * bar_h
        v = values[i]
        x1, x2 = sorted((x(0), x(v)))
        fill = (colours[0] if v > 0 else colours[1]) if diverging else colour
        label = it["label"] if len(it["label"]) <= max_chars else it["label"][: max_chars - 1] + "…"
        text = money_text(it[value_key]) + (
            f" ({it[note_key]})" if note_key and it.get(note_key) else ""
        )
        out.append(
            f'<text x="{label_w - 8}" y="{y0 + bar_h / 2 + 4:.1f}" text-anchor="end">'
            f"<title>{escape(it['label'])}</title>{escape(label)}</text>"
        )
        out.append(
            f'<rect class="bar" x="{x1:.1f}" y="{y0 + 3}" width="{max(x2 - x1, 0.5):.1f}" '
            f'height="{bar_h - 6}" fill="{fill}"><title>{_said(text, it["label"])}</title></rect>'
        )
        tx, anchor = (x2 + 5, "start") if v >= 0 or not diverging else (x1 - 5, "end")
        if diverging and v < 0 and tx - 7 * len(text) < label_w:
            tx, anchor = x(0) + 5, "start"
        out.append(
            f'<text x="{tx:.1f}" y="{y0 + bar_h / 2 + 4:.1f}" text-anchor="{anchor}">'
            f"{escape(text)}</text>"
        )
    out.append("</svg>")
    return Markup("\n".join(out))


def build(dashboard: Dashboard) -> dict[str, Markup]:
    """Every chart of a :class:`~eage.dashboard.board.Dashboard`, by name, its text in the
    reader's language."""
    year, c = dashboard.year, dashboard.charts
    charts = {
        "budget_cumul": budget_cumulative_chart(year, c.budget.cumulative),
        "budget_lignes": budget_lines_chart(year, c.budget.lines),
    }
    if c.allocation.monthly.months:
        charts["repartition_mois"] = allocation_months_chart(year, c.allocation.monthly)
    if c.allocation.shares:
        charts["parts"] = shares_chart(year, c.allocation.shares)
    if c.capacity.employees:
        charts["capacite"] = capacity_chart(year, c.capacity)
    if c.regularisation:
        charts["regularisation"] = regularisation_chart(c.regularisation)
    return charts


def budget_cumulative_chart(year: int, cumulative: CumulativeCost) -> Markup:
    return line_chart(
        "chart-budget-cumul",
        _("Coût net cumulé %(year)s : budget, réalisé et prévision", year=year),
        _(
            "Courbe du budget réparti également sur les mois, courbe du réalisé jusqu'au mois "
            "arrêté, puis prévision linéaire jusqu'en décembre. Chiffres dans le tableau "
            "« Budget et réalisé par ligne »."
        ),
        [_(m) for m in MONTH_ABBR],
        [
            {
                "label": _("Budget cumulé"),
                "values": cumulative.budget,
                "colour": "#8A8A8A",
                "style": "line",
            },
            {
                "label": _("Réalisé cumulé"),
                "values": cumulative.actual,
                "colour": PALETTE[0],
                "style": "line",
            },
            {
                "label": _("Prévision (rythme actuel)"),
                "values": cumulative.forecast,
                "colour": PALETTE[5],
                "style": "dash",
            },
        ],
    )


def budget_lines_chart(year: int, lines: Sequence[BudgetLineBar]) -> Markup:
    items = [
        {
            "label": line.label,
            "budget": line.budget,
            "actual": line.actual,
            "forecast": line.forecast,
            "flag_bad": line.status_code in OVER_STATUSES,
            "flag": _(line.status),
        }
        for line in lines
    ]
    return grouped_hbars(
        "chart-budget-lignes",
        _("Budget %(year)s, réalisé à date et prévision par ligne", year=year),
        _(
            "Pour chaque ligne de budget : le budget de l'année, le réalisé à date et la prévision "
            "de fin d'année ; les lignes en dépassement sont signalées par « ▲ » en toutes lettres."
        ),
        items,
        [
            ("budget", _("Budget"), "#8A8A8A"),
            ("actual", _("Réalisé à date"), PALETTE[0]),
            ("forecast", _("Prévision fin d'année"), PALETTE[5]),
        ],
        flag_key="flag",
    )


def allocation_months_chart(year: int, monthly: MonthlyBars) -> Markup:
    return stacked_bars(
        "chart-repartition-mois",
        _("Coût réparti par adhérent et par mois, %(year)s", year=year),
        _(
            "Une barre par mois, empilée par adhérent (les principaux adhérents un par un, les "
            "autres regroupés) ; chiffres dans le tableau « Coût réparti par adhérent et par "
            "mois »."
        ),
        [_(m) for m in monthly.months],
        [{"label": s.label, "values": s.values} for s in monthly.series],
    )


def shares_chart(year: int, shares: Sequence[MemberShare]) -> Markup:
    return hbars(
        "chart-parts",
        _("Part de chaque adhérent dans le coût de l'année %(year)s", year=year),
        _("Coût total réparti à date par adhérent, avec sa part en pourcentage."),
        [{"label": s.label, "value": s.value, "note": _percent(s.share)} for s in shares],
        note_key="note",
        width=560,
        label_w=210,
    )


def capacity_chart(year: int, bars: EmployeeBars) -> Markup:
    title = _("Capacité par salarié, %(year)s à date", year=year)
    if len(bars.employees) < bars.total:
        title += _(
            " — les %(n)s salariés les plus éloignés de leur disponible, sur %(total)s",
            n=len(bars.employees),
            total=bars.total,
        )
    return grouped_hbars(
        "chart-capacite",
        title,
        _(
            "Pour chaque salarié : heures disponibles à date (ETP × durée annuelle), heures "
            "travaillées et heures facturables."
        ),
        [
            {"label": e.label, "available": e.available, "worked": e.worked, "billable": e.billable}
            for e in bars.employees
        ],
        [
            ("available", _("Disponible à date"), "#8A8A8A"),
            ("worked", _("Travaillé"), PALETTE[0]),
            ("billable", _("Facturable"), PALETTE[2]),
        ],
        unit="hours",
    )


def regularisation_chart(bars: Sequence[MemberBar]) -> Markup:
    return hbars(
        "chart-regularisation",
        _(
            "Régularisation par adhérent si l'exercice se terminait "
            "aujourd'hui (les plus grands écarts un par un)"
        ),
        _(
            "À droite (orange) : coût réel supérieur au facturé, facture complémentaire ; à "
            "gauche (bleu) : trop facturé, avoir."
        ),
        [{"label": b.label, "value": b.value} for b in bars],
        diverging=True,
    )


def _percent(value: Any) -> str:
    if value is None:
        return ""
    return f"{Decimal(value) * 100:.1f}".replace(".", ",") + "\u00a0%"
