"""The portal's chart of the year: the member's hours per month, stacked by service, drawn
on the server as inline SVG like the dashboard's (eage/dashboard/charts.py: its palette,
axis ticks and accessible title/desc). A month not closed is drawn hatched: its hours are
provisional. Minutes become pixel positions here only (geometry, not money)."""

from __future__ import annotations

from babel.dates import format_date
from markupsafe import Markup, escape

from accounting.months import Month
from eage.dashboard.charts import FONT, GRID, INK, PALETTE, nice_ticks
from eage.filters import _locale, hours
from eage.filters import tr as _
from eage.portal.services import Consumption

WIDTH, HEIGHT = 480, 210
LEFT, RIGHT, TOP, BOTTOM = 40, 6, 12, 26


def _open(title: str, desc: str) -> list[str]:
    return [
        f'<svg class="chart img-fluid" id="consumption-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" preserveAspectRatio="xMinYMin meet" role="img" '
        'aria-labelledby="consumption-chart-title" aria-describedby="consumption-chart-desc" '
        f'{FONT} font-size="13" fill="{INK}">',
        f'<title id="consumption-chart-title">{escape(title)}</title>',
        f'<desc id="consumption-chart-desc">{escape(desc)}</desc>',
        '<defs><pattern id="provisional-hatch" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="white"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{INK}" stroke-width="2" opacity="0.35"/>'
        "</pattern></defs>",
    ]


def _tick(value: float, locale: str) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if locale.startswith("fr") else text


def consumption_chart(data: Consumption) -> Markup:
    """Hours per month of `data.year`, one colour per service; provisional months hatched."""
    totals = data.minutes_by_month
    ticks = nice_ticks(0, max(totals, default=0) / 60 or 1, 4)
    top_tick = ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / 12
    bar_w = slot * 0.66
    loc = _locale()
    out = _open(
        _("Heures de mise à disposition %(year)s", year=data.year),
        _("Heures de mise à disposition par mois et par service ; mois non clôturés hachurés."),
    )
    for t in ticks:
        y = TOP + plot_h - t / top_tick * plot_h
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        out.append(
            f'<text x="{LEFT - 5}" y="{y + 4:.1f}" text-anchor="end">{_tick(t, loc)}\u202fh</text>'
        )
    for i in range(12):
        month = Month(data.year, i + 1)
        name = format_date(month.start, "MMM", locale=loc).rstrip(".")
        x = LEFT + i * slot + (slot - bar_w) / 2
        base: float = TOP + plot_h
        provisional = (i + 1) not in data.closed and totals[i] > 0
        for k, service in enumerate(data.services):
            minutes = service.minutes_by_month[i]
            if minutes <= 0:
                continue
            height = minutes / 60 / top_tick * plot_h
            base -= height
            out.append(
                f'<rect class="bar" x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" '
                f'height="{height:.1f}" fill="{PALETTE[k % len(PALETTE)]}" stroke="white" '
                f'stroke-width="0.5"><title>{escape(name)} — {escape(service.label)} : '
                f"{escape(hours(minutes))} h</title></rect>"
            )
        if provisional:
            out.append(
                f'<rect class="provisional" x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" '
                f'height="{TOP + plot_h - base:.1f}" fill="url(#provisional-hatch)" '
                f'opacity="0.6"><title>{escape(_("provisoire"))}</title></rect>'
            )
        out.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">'
            f"{escape(name)}</text>"
        )
    out.append("</svg>")
    return Markup("\n".join(out))


def legend(data: Consumption) -> list[tuple[str, str]]:
    """(label, colour) of each service, drawn under the chart in the page (HTML text stays
    readable on a phone, where the chart is scaled down)."""
    return [(s.label, PALETTE[k % len(PALETTE)]) for k, s in enumerate(data.services)]
