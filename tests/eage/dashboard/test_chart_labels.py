"""The dashboard's charts speak the reader's language (issue 14): axis labels, tooltips and
legends in French formats on a French page (`12,5 k€`, `1 234,50 €`), English ones on an
English page (`€12.5k`, `€1,234.50`), never mixed (CLDR fr_FR / en_GB number formats)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask_babel import refresh

from eage.dashboard import charts

FRENCH = {
    "axis": [
        "0\u202f€",
        "500\u202f€",
        "12,5\u202fk€",
        "125\u202fk€",
        "1,2\u202fM€",
        "−2,5\u202fk€",
    ],
    "hours": "1\u202f234\u202fh",
    "money": "1\u202f234,50\xa0€",
    "hours_text": "1\u202f234,50\xa0h",
}
ENGLISH = {
    "axis": ["€0", "€500", "€12.5k", "€125k", "€1.2M", "−€2.5k"],
    "hours": "1,234\u202fh",
    "money": "€1,234.50",
    "hours_text": "1,234.50\xa0h",
}
VALUES = [0.0, 500.0, 12_500.0, 125_000.0, 1_200_000.0, -2_500.0]


def _labels() -> dict[str, object]:
    return {
        "axis": [charts.euros_short(v) for v in VALUES],
        "hours": charts.hours_short(1234.0),
        "money": charts.money_text(Decimal("1234.50")),
        "hours_text": charts.hours_text(Decimal("1234.5")),
    }


@pytest.mark.parametrize(("language", "expected"), [("fr", FRENCH), ("en", ENGLISH)])
def test_chart_figures_in_the_readers_format(app, language, expected) -> None:
    with app.test_request_context("/tableau-de-bord/", headers={"Cookie": f"lang={language}"}):
        refresh()
        assert _labels() == expected


def test_outside_a_request_the_charts_are_french(app) -> None:
    with app.app_context():
        assert _labels() == FRENCH


def test_a_tooltip_says_label_and_figure_the_readers_way(app) -> None:
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        refresh()
        assert charts._said("€1,234.50", "LEFIL", "Budget") == "LEFIL — Budget: €1,234.50"
    with app.test_request_context("/", headers={"Cookie": "lang=fr"}):
        refresh()
        assert charts._said("1 234,50 €", "LEFIL") == "LEFIL : 1 234,50 €"
