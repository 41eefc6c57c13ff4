"""A table of the dashboard: its columns, its typed rows, and the catalogue of every table.

The page renders a :class:`Table`, the .xlsx and CSV exports write it cell for cell: both
read a row's cells by column key through :meth:`TableRow.cell`, so each table's row class
has one explicit field per column (or per family of columns: months, services).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic, TypeVar

from eage.dashboard.figures import MONTH_ABBR, MONTHS, N_
from eage.filters import tr

Cell = str | Decimal | None

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

    def shown(self, value: Cell, total: bool = False) -> Cell:
        """A cell as shown: text msgids (this column's, or any text of a totals row)
        translated, everything else as it is."""
        if isinstance(value, str) and value and (self.translated or total) and self.kind == "text":
            return tr(value)
        return value


MEMBER_COLUMNS = (Column("member", N_("Adhérent")), Column("name", N_("Nom")))


@dataclass(frozen=True, slots=True, kw_only=True)
class TableRow:
    """A row of a table. `status_code` is not shown: the page colours the row by it
    ("" when the row has no status)."""

    status_code: str = ""

    def cell(self, key: str) -> Cell:
        """The value of column `key` in this row."""
        value: Cell = getattr(self, key)
        return value


MONTH_KEYS = tuple(f"m{m:02d}" for m in MONTHS)
_MONTH_INDEX = {key: index for index, key in enumerate(MONTH_KEYS)}


@dataclass(frozen=True, slots=True, kw_only=True)
class MonthsRow(TableRow):
    """A row with one money column per month of the period (keys m01, m02…)."""

    months: tuple[Decimal, ...]

    def cell(self, key: str) -> Cell:
        index = _MONTH_INDEX.get(key)
        if index is None:
            return TableRow.cell(self, key)
        return self.months[index] if index < len(self.months) else None


def month_columns(through: int) -> tuple[Column, ...]:
    """One money column per month, January to the reporting month."""
    return tuple(
        Column(MONTH_KEYS[m - 1], MONTH_ABBR[m - 1], "money") for m in range(1, through + 1)
    )


RowT = TypeVar("RowT", bound=TableRow)


@dataclass(frozen=True)
class Table(Generic[RowT]):
    """One table of the dashboard: the page renders it, the exports write it."""

    name: str  # a key of TABLES
    columns: tuple[Column, ...]
    rows: list[RowT]
    totals: list[RowT] = field(default_factory=list)  # footer rows

    @property
    def title(self) -> str:
        return TABLES[self.name]

    @property
    def heading(self) -> str:
        return tr(self.title)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def all_rows(self) -> list[RowT]:
        return [*self.rows, *self.totals]
