"""Home pages: the back-office overview and the member portal; language switch."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from eage.auth.redirects import safe_next, same_site_path
from eage.auth.roles import BACK_OFFICE, PORTAL, public, roles_required
from eage.core import services
from eage.dashboard import key_figures
from eage.portal.routes import home_page

bp = Blueprint("core", __name__)


@bp.route("/")
@public
def index() -> Response:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for("core.portal" if current_user.role == "member" else "core.home"))


@bp.route("/accueil")
@roles_required(*BACK_OFFICE)
def home() -> str:
    """The back-office home: the group at a glance and what the reader's role can do (issue
    14: the manager is offered the dashboard and the budget, not the time entry it cannot
    save); the closed months of the year of the last close, in words."""
    overview = services.overview(date.today())
    year = int(overview.closed_months[0][:4]) if overview.closed_months else date.today().year
    closed = key_figures.closed_label(year, key_figures.closed_months(year))
    return render_template("core/home.html", overview=overview, closed=closed)


@bp.route("/portail")
@roles_required(*PORTAL)
def portal() -> str:
    """The member portal (issue 18): its first screen lives in eage/portal."""
    member = current_user.member
    if member is None:
        abort(403)
    return home_page(member)


@bp.route("/langue/<lang>", methods=["POST"])
@public
def set_language(lang: str) -> Response:
    """Back to the page the switch was pressed on (the footer's hidden `next`, else the
    Referer), only if it is a page of this site."""
    if lang not in ("fr", "en"):
        abort(404)
    target = safe_next(request.form.get("next")) or same_site_path(
        request.referrer, request.host_url
    )
    response = redirect(target or url_for("core.index"))
    response.set_cookie(
        "lang",
        lang,
        max_age=3600 * 24 * 365,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
    )
    return response
