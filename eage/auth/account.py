"""« Mon compte »: changing one's own password, two-factor sign-in (admin and accountant)."""

from __future__ import annotations

from typing import Any

import pyotp
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eage.auth import services, sessions, throttle
from eage.auth.forms import ChangePasswordForm, CodeForm
from eage.auth.roles import roles_required
from eage.auth.routes import new_password_problems, too_many_attempts
from eage.models import ROLES

bp = Blueprint("account", __name__, url_prefix="/mon-compte")

PENDING_SECRET = "_totp_secret_to_confirm"


@bp.route("/")
@roles_required(*ROLES)
def index() -> str:
    return render_template(
        "auth/account.html", user=current_user, totp_allowed=services.totp_allowed(current_user)
    )


@bp.route("/mot-de-passe", methods=["GET", "POST"])
@roles_required(*ROLES)
def change_password() -> Any:
    """The current password, then the new one twice; every other session of the user ends."""
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        wait = throttle.wait_seconds("login", user.email, request.remote_addr)
        if wait:
            return too_many_attempts(wait)
        problems = new_password_problems(form, user)
        if not user.check_password(form.current.data or ""):
            throttle.count("login", user.email, request.remote_addr)
            services.record_failure(user.email, request.remote_addr, "wrong password", user)
            form.current.errors = [_("Mot de passe actuel incorrect.")]
        elif not problems:
            services.set_password(user, form.password.data or "", summary="mot de passe changé")
            sessions.stamp(session, user)  # this session goes on with the new version
            flash(_("Mot de passe changé. Vos autres sessions sont fermées."), "success")
            return redirect(url_for("account.index"))
        form.password.errors = list(form.password.errors) + problems
    return render_template("auth/change_password.html", form=form)


@bp.route("/double-authentification", methods=["GET", "POST"])
@roles_required("admin", "accountant")
def totp() -> Any:
    """Shows a new secret and its otpauth:// URI; a right code from the app turns it on."""
    user = current_user._get_current_object()
    if user.totp_secret:
        return render_template("auth/totp.html", form=CodeForm(), enabled=True)
    form = CodeForm()
    secret = session.get(PENDING_SECRET)
    if request.method == "GET" or not secret:
        secret = session[PENDING_SECRET] = pyotp.random_base32()
    elif form.validate_on_submit():
        if services.code_is_right(secret, form.code.data or ""):
            services.enable_totp(user, secret)
            session.pop(PENDING_SECRET, None)
            flash(_("Double authentification activée."), "success")
            return redirect(url_for("account.index"))
        form.code.errors = [_("Code incorrect.")]
    return render_template(
        "auth/totp.html",
        form=form,
        enabled=False,
        secret=secret,
        uri=services.totp_uri(user, secret),
    )


@bp.route("/double-authentification/desactiver", methods=["POST"])
@roles_required("admin", "accountant")
def totp_disable() -> Any:
    """Turning it off takes a right code, like signing in."""
    user = current_user._get_current_object()
    form = CodeForm()
    address = request.remote_addr
    wait = throttle.wait_seconds("login", user.email, address)
    if wait:
        return too_many_attempts(wait)
    if form.validate_on_submit() and services.code_is_right(user.totp_secret, form.code.data or ""):
        services.disable_totp(user)
        flash(_("Double authentification désactivée."), "success")
        return redirect(url_for("account.index"))
    if user.totp_secret:
        throttle.count("login", user.email, address)
    flash(_("Code incorrect."), "danger")
    return redirect(url_for("account.totp"))
