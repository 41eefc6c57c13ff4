from __future__ import annotations

from flask import Blueprint, render_template

from eage.auth.roles import ADMINISTRATION, roles_required

bp = Blueprint("admin", __name__)


@bp.route("/admin/utilisateurs")
@roles_required(*ADMINISTRATION)
def users() -> str:
    return render_template("base.html")
