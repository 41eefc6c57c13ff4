"""The managers' dashboard page and its exports (issue 5). Back office only (SPEC §2:
managers, the accountant and the admin read everything)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue

from eage.auth.roles import BACK_OFFICE, roles_required
from eage.core.services import parse_month
from eage.dashboard import charts, exports, services
from eage.dashboard.table import TABLES

PAGE_ROWS = 50  # longer tables (a large group's members) show this many rows; exports have all

bp = Blueprint("dashboard", __name__, url_prefix="/tableau-de-bord")


def _params() -> tuple[int, int | None]:
    """`?annee=2026` (default: this year) and `?mois=2026-10` (default: the last month with
    issued payslips). A bad value is a 404, like the budget page's year."""
    year = request.args.get("annee", type=int)
    if year is None:
        year = date.today().year
    if not 2000 <= year <= 2100:
        abort(404)
    raw = request.args.get("mois")
    if not raw:
        return year, None
    month = parse_month(raw)
    if month is None or month.year != year:
        abort(404)
    return year, month.month


@bp.route("/")
@roles_required(*BACK_OFFICE)
def index() -> ResponseReturnValue:
    year, through = _params()
    board = services.dashboard(year, through)
    return render_template(
        "dashboard/index.html",
        board=board,
        charts=charts.build(board),
        tables=board.tables,
        page_rows=None if request.args.get("tout") else PAGE_ROWS,
    )


@bp.route("/export/<name>.<fmt>")
@roles_required(*BACK_OFFICE)
def export(name: str, fmt: str) -> ResponseReturnValue:
    """One route for every table: /tableau-de-bord/export/budget.xlsx?annee=2026."""
    if name not in TABLES or fmt not in ("xlsx", "csv"):
        abort(404)
    year, through = _params()
    table = services.table(year, name, through)
    filename = f"tableau-de-bord-{year}-{name}.{fmt}"
    if fmt == "xlsx":
        body, media_type = exports.to_xlsx(table, year), exports.XLSX_MEDIA_TYPE
    else:
        body, media_type = exports.to_csv(table), "text/csv; charset=utf-8"
    return Response(
        body,
        mimetype=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
