"""Administration: users, roles, API tokens; the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from eage.admin import services
from eage.admin.forms import ConfirmForm, UserForm, VatOptionForm
from eage.auth.roles import ACCOUNTANT, ADMIN, ADMINISTRATION, roles_required
from eage.extensions import db
from eage.forms_fr import attach_problems, choices
from eage.models import ApiToken, Member, User
from eage.params import query_id, query_page
from eage.parties import organisation

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _member_choices(form: UserForm) -> None:
    members = db.session.scalars(select(Member).order_by(Member.code)).all()
    form.member_id.choices = choices(
        [("", _("— aucune —"))] + [(m.id, f"{m.code} — {m.name}") for m in members]
    )


@bp.route("/utilisateurs")
@roles_required(*ADMINISTRATION)
def users() -> str:
    rows = db.session.scalars(select(User).order_by(User.role, User.email)).all()
    return render_template(
        "admin/users.html",
        users=rows,
        roles=services.ROLE_LABELS,
        token_last_used=services.tokens_last_used(),
    )


@bp.route("/utilisateurs/nouveau", methods=["GET", "POST"])
@roles_required(*ADMINISTRATION)
def create_user() -> str | Response:
    form = UserForm()
    _member_choices(form)
    if form.is_submitted():
        ok = form.validate()
        data = form.data_for_service()
        problems = services.check_user(data, None, current_user)
        attach_problems(form, problems)
        if ok and not problems:
            user = services.create_user(data)
            flash(_("Utilisateur %(email)s créé.", email=user.email), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=None, roles=services.ROLE_LABELS)


@bp.route("/utilisateurs/<int:user_id>/modifier", methods=["GET", "POST"])
@roles_required(*ADMINISTRATION)
def edit_user(user_id: int) -> str | Response:
    user = _user_or_404(user_id)
    form = UserForm(obj=user)
    _member_choices(form)
    if form.is_submitted():
        ok = form.validate()
        data = form.data_for_service()
        problems = services.check_user(data, user, current_user)
        attach_problems(form, problems)
        if ok and not problems:
            services.update_user(user, data)
            flash(_("Utilisateur %(email)s enregistré.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        roles=services.ROLE_LABELS,
        tokens=services.tokens_of(user),
        confirm=ConfirmForm(),
    )


@bp.route("/utilisateurs/<int:user_id>/jetons", methods=["POST"])
@roles_required(*ADMINISTRATION)
def create_token(user_id: int) -> str | Response:
    user = _user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    token = services.create_token(user)
    # Shown once, in this response only: never stored, never redirected through a URL.
    response = render_template("admin/token.html", user=user, token=token)
    return response


@bp.route("/jetons/<int:token_id>/revoquer", methods=["POST"])
@roles_required(*ADMINISTRATION)
def revoke_token(token_id: int) -> Response:
    token = db.session.get(ApiToken, token_id)
    if token is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.revoke_token(token)
    flash(_("Jeton %(prefix)s… révoqué.", prefix=token.prefix), "success")
    return redirect(url_for("admin.edit_user", user_id=token.user_id))


@bp.route("/journal")
@roles_required(ADMIN, ACCOUNTANT)
def journal() -> str:
    entity = request.args.get("entite") or None
    user_id = query_id("utilisateur")
    page = query_page()
    lines, has_next = services.journal(entity, user_id, page)
    entities, users = services.journal_filters()
    return render_template(
        "admin/journal.html",
        lines=lines,
        has_next=has_next,
        page=page,
        entity=entity,
        user_id=user_id,
        entities=entities,
        users=users,
    )


@bp.route("/parametres", methods=["GET", "POST"])
@roles_required(*ADMINISTRATION)
def settings() -> str | Response:
    """The group's settings: the option for VAT on debits (audit-logged; later invoices only)."""
    org = organisation()
    # On a POST the form reads only what was posted: an unticked box posts nothing.
    form = VatOptionForm(obj=org if request.method == "GET" else None)
    if org is not None and form.validate_on_submit():
        changed = services.set_vat_on_debits(
            org, bool(form.vat_on_debits.data), user_id=current_user.id
        )
        if changed:
            flash(
                _("Option TVA enregistrée : elle vaut pour les factures émises désormais."),
                "success",
            )
        return redirect(url_for("admin.settings"))
    return render_template("admin/settings.html", form=form, org=org)
