from __future__ import annotations

from flask import Blueprint, render_template

from eage.auth.roles import BACK_OFFICE, roles_required

bp = Blueprint("members", __name__)


@bp.route("/members/")
@roles_required(*BACK_OFFICE)
def index() -> str:
    return render_template("base.html")
