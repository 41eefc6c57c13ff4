"""Signing in and out, the second factor, the password forgotten; « mon compte »."""

from __future__ import annotations

import time
from typing import Any

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from eage.auth import services, sessions, throttle
from eage.auth.emails import normalise_email
from eage.auth.forms import CodeForm, ForgotPasswordForm, LoginForm, NewPasswordForm
from eage.auth.passwords import password_problems
from eage.auth.redirects import safe_next
from eage.auth.roles import public, roles_required
from eage.extensions import db, login_manager
from eage.models import ROLES, User

bp = Blueprint("auth", __name__)

PENDING = "_pending_second_factor"  # the user who gave the right password, until the code
PENDING_SECONDS = 300


def register_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Connectez-vous pour accéder à cette page."
    login_manager.login_message_category = "info"

    @login_manager.user_loader  # type: ignore[untyped-decorator]  # Flask-Login has no types
    def load_user(user_id: str) -> User | None:
        return db.session.get(User, int(user_id))

    app.before_request(sessions.check_request)


def home_for(user: User) -> str:
    return url_for("core.portal") if user.role == "member" else url_for("core.home")


def _safe_next(target: str | None, user: User) -> str:
    """Where to go after signing in: `next` if it is a path on this site, else home."""
    return safe_next(target) or home_for(user)


def too_many_attempts(seconds: int) -> tuple[str, int]:
    minutes = throttle.minutes(seconds)
    return render_template("auth/throttled.html", minutes=minutes), 429


@bp.route("/connexion", methods=["GET", "POST"])
@public
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        email, address = normalise_email(form.email.data or ""), request.remote_addr
        wait = throttle.wait_seconds("login", email, address)
        if wait:
            return too_many_attempts(wait)
        user, reason = services.authenticate(email, form.password.data or "")
        if user is None:
            throttle.count("login", email, address)
            services.record_failure(email, address, reason, services.find_user(email))
            flash(_("Adresse e-mail ou mot de passe incorrect."), "danger")
        elif user.totp_secret:
            session.clear()
            session[PENDING] = {
                "user": user.id,
                "version": user.session_version,
                "at": time.time(),
                "next": request.args.get("next", ""),
            }
            return redirect(url_for("auth.login_code"))
        else:
            sessions.start(user)
            return redirect(_safe_next(request.args.get("next"), user))
    return render_template("auth/login.html", form=form)


def _pending_user() -> User | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("user"))
    if user is None or not user.active or user.session_version != pending.get("version"):
        return None
    return user


@bp.route("/connexion/code", methods=["GET", "POST"])
@public
def login_code() -> Any:
    """The second step for a user with two-factor sign-in: the 6-digit code."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    user = _pending_user()
    if user is None:
        session.pop(PENDING, None)
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        address = request.remote_addr
        wait = throttle.wait_seconds("login", user.email, address)
        if wait:
            return too_many_attempts(wait)
        if services.code_is_right(user.totp_secret, form.code.data or ""):
            target = _safe_next(session[PENDING].get("next"), user)
            sessions.start(user)
            return redirect(target)
        throttle.count("login", user.email, address)
        services.record_failure(user.email, address, "wrong code", user)
        flash(_("Code incorrect."), "danger")
    return render_template("auth/login_code.html", form=form)


@bp.route("/deconnexion", methods=["POST"])
@roles_required(*ROLES)
def logout() -> Response:
    services.log_out(current_user)
    sessions.end()
    flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@public
def forgot_password() -> Any:
    """Always the same answer, whether the address is known or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        email, address = normalise_email(form.email.data or ""), request.remote_addr
        wait = throttle.wait_seconds("reset", email, address)
        if wait:
            return too_many_attempts(wait)
        throttle.count("reset", email, address)
        services.send_reset_link(email, address)
        minutes = current_app.config["PASSWORD_RESET_MINUTES"]
        flash(
            _(
                "Si l'adresse existe, un lien a été envoyé : il est valable %(n)s minutes.",
                n=minutes,
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/mot-de-passe-oublie/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str) -> Any:
    user = services.user_for_reset(token)
    if user is None:
        flash(_("Ce lien n'est plus valable : demandez-en un nouveau."), "danger")
        return redirect(url_for("auth.forgot_password"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        problems = new_password_problems(form, user)
        if not problems:
            services.set_password(
                user, form.password.data or "", summary="mot de passe réinitialisé par lien"
            )
            sessions.end()
            flash(_("Mot de passe changé : connectez-vous."), "success")
            return redirect(url_for("auth.login"))
        form.password.errors = list(form.password.errors) + problems
    return render_template("auth/reset_password.html", form=form)


def new_password_problems(form: NewPasswordForm, user: User) -> list[str]:
    """The policy's reasons, and the confirmation typed alike (every reason at once)."""
    password = form.password.data or ""
    problems = password_problems(password, email=user.email)
    if password != form.password_confirm.data:
        problems.append(_("Les deux mots de passe ne sont pas identiques."))
    return problems
