"""Login and logout."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from eage.auth.forms import LoginForm
from eage.auth.redirects import safe_next
from eage.auth.roles import public, roles_required
from eage.extensions import db, login_manager
from eage.models import ROLES, User

bp = Blueprint("auth", __name__)


def register_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Connectez-vous pour accéder à cette page."
    login_manager.login_message_category = "info"

    @login_manager.user_loader  # type: ignore[untyped-decorator]  # Flask-Login has no types
    def load_user(user_id: str) -> User | None:
        return db.session.get(User, int(user_id))


def home_for(user: User) -> str:
    return url_for("core.portal") if user.role == "member" else url_for("core.home")


@bp.route("/connexion", methods=["GET", "POST"])
@public
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        email = (form.email.data or "").strip().lower()
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user is None or not user.active or not user.check_password(form.password.data or ""):
            flash("Adresse e-mail ou mot de passe incorrect.", "danger")
        else:
            login_user(user)
            return redirect(safe_next(request.args.get("next")) or home_for(user))
    return render_template("auth/login.html", form=form)


@bp.route("/deconnexion", methods=["POST"])
@roles_required(*ROLES)
def logout() -> Response:
    logout_user()
    flash("Vous êtes déconnecté.", "info")
    return redirect(url_for("auth.login"))
