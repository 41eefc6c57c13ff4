from __future__ import annotations

from flask import Blueprint, render_template

from eage.auth.roles import BACK_OFFICE, OPERATIONS, roles_required

bp = Blueprint("timesheets", __name__)


@bp.route("/temps/semaine")
@roles_required(*BACK_OFFICE)
def week() -> str:
    return render_template("base.html")


@bp.route("/temps/import")
@roles_required(*OPERATIONS)
def import_upload() -> str:
    return render_template("base.html")
