"""Time pages: the weekly grid, month views per employee and per member, the file import."""

from __future__ import annotations

import io
import json
import secrets
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accounting.months import Month
from accounting.problems import ProblemsError
from eage import errors, filters
from eage.auth.roles import ACCOUNTANT, BACK_OFFICE, OPERATIONS, roles_required
from eage.extensions import db
from eage.models import ABSENCE_CODES, INTERNAL, Employee, Member, Service
from eage.tables import ROW_CONVENTION
from eage.timesheets import services
from eage.timesheets.forms import ConfirmForm, UploadForm
from eage.timesheets.importer import UPLOAD_SUFFIXES, model_file, read_file

bp = Blueprint("timesheets", __name__)

UPLOAD_MAX_AGE = 24 * 3600
# The grid just saved (employee code, week): its page tells the browser to forget the draft.
GRID_SAVED = "_grid_saved"


def _employees() -> list[Employee]:
    return list(
        db.session.scalars(
            select(Employee).options(selectinload(Employee.contracts)).order_by(Employee.code)
        )
    )


def _choices() -> dict[str, object]:
    """Member and service/absence options for the grid's selects."""
    members = list(db.session.scalars(select(Member).order_by(Member.code)))
    service_list = list(db.session.scalars(select(Service).order_by(Service.code)))
    return {
        "members": members,
        "services": service_list,
        "absences": ABSENCE_CODES,
        "internal": INTERNAL,
    }


def _pick_employee(code: str | None, employees: list[Employee]) -> Employee | None:
    if code:
        wanted = code.strip().upper()
        return next((e for e in employees if e.code.upper() == wanted), None)
    today = date.today()
    return next((e for e in employees if e.contract_on(today)), employees[0] if employees else None)


def _render_week(
    grid: services.WeekGrid | None, employees: list[Employee], monday: date, status: int = 200
) -> ResponseReturnValue:
    editable = current_user.role == ACCOUNTANT
    week = services.week_param(monday)
    just_saved = grid is not None and session.pop(GRID_SAVED, None) == [grid.employee.code, week]
    messages = grid.messages() if grid else []
    return render_template(
        "timesheets/week.html",
        grid=grid,
        messages=messages,
        marks=services.marks(messages),
        employees=employees,
        monday=monday,
        week=week,
        prev_week=services.week_param(monday - timedelta(days=7)),
        next_week=services.week_param(monday + timedelta(days=7)),
        editable=editable,
        day_label=services.day_label,
        just_saved=just_saved,
        # Computed here, not in the template: Jinja folds a filter of a literal at compile
        # time, so '0'|number2 would keep the first reader's language for everyone.
        zero=filters.number2(0),
        decimal=filters.number2("1.5")[1],
        time_warnings=[] if grid is None or grid.problems else services.grid_warnings(grid),
        **_choices(),
    ), status


@bp.route("/temps/semaine")
@roles_required(*BACK_OFFICE)
def week() -> ResponseReturnValue:
    employees = _employees()
    monday = services.parse_week(request.args.get("semaine"))
    if monday is None:
        if request.args.get("semaine"):
            flash(
                _(
                    "Semaine invalide (attendu AAAA-Wnn, par ex. 2026-W48) :"
                    " semaine en cours affichée."
                ),
                "warning",
            )
        today = date.today()
        monday = today - timedelta(days=today.weekday())
    employee = _pick_employee(request.args.get("employe"), employees)
    if employee is None and request.args.get("employe"):
        flash(_("Salarié inconnu : %(code)s", code=request.args.get("employe")), "error")
    grid = services.load_week(employee, monday) if employee else None
    return _render_week(grid, employees, monday)


def _back_to_grid(values: dict[str, str]) -> ResponseReturnValue:
    """The grid of the employee and week a form names (303: the browser GETs it)."""
    employe = (values.get("employe") or "").strip() or None
    semaine = (values.get("semaine") or "").strip() or None
    return redirect(url_for("timesheets.week", employe=employe, semaine=semaine), 303)


@bp.route("/temps/semaine/enregistrer", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def week_save() -> ResponseReturnValue:
    if request.method == "GET":
        # Signing in again after the session ended mid-entry comes back here (`next` is the
        # address the form was posted to): back to that grid, where the browser restores the
        # values it kept.
        return _back_to_grid(request.args.to_dict())
    employees = _employees()
    monday = services.parse_week(request.form.get("semaine"))
    employee = _pick_employee(request.form.get("employe") or "-", employees)
    if monday is None or employee is None:
        flash(_("Salarié ou semaine manquant : rien n'a été enregistré."), "error")
        return redirect(url_for("timesheets.week"))
    result = services.save_week(employee, monday, request.form)
    if not result.ok:
        # The page's error list says it all (what, which row, which day): no flash on top.
        return _render_week(result.grid, employees, monday, status=422)
    if result.changes:
        flash(
            _(
                "Semaine enregistrée : %(created)s saisie(s) créée(s), %(updated)s modifiée(s),"
                " %(deleted)s supprimée(s).",
                created=result.created,
                updated=result.updated,
                deleted=result.deleted,
            ),
            "success",
        )
    else:
        flash(_("Aucun changement : la semaine était déjà à jour."), "info")
    week_key = services.week_param(monday)
    session[GRID_SAVED] = [employee.code, week_key]
    return redirect(url_for("timesheets.week", employe=employee.code, semaine=week_key))


@bp.errorhandler(CSRFError)
def csrf_expired(exc: CSRFError) -> ResponseReturnValue:
    """The grid posted with a token the session no longer knows (the session expired, or
    ended in another tab): back to the grid — through the sign-in page if need be — where
    the browser restores what was typed, instead of an error page. Other forms of the
    area get the app's error page."""
    if request.endpoint != "timesheets.week_save":
        return errors.error_page(exc)
    flash(
        _(
            "La page avait expiré : rien n'a été enregistré. Les heures tapées sont gardées"
            " dans ce navigateur ; vérifiez-les puis enregistrez à nouveau."
        ),
        "warning",
    )
    return _back_to_grid(request.form.to_dict())


def _month_arg(name: str) -> Month:
    month = Month.parse_or_none(request.args.get(name))
    if month is None:
        if request.args.get(name):
            flash(_("Mois invalide (attendu AAAA-MM) : mois en cours affiché."), "warning")
        month = Month.of(date.today())
    return month


@bp.route("/temps/mois")
@roles_required(*BACK_OFFICE)
def month_employee() -> ResponseReturnValue:
    employees = _employees()
    month = _month_arg("mois")
    employee = _pick_employee(request.args.get("employe"), employees)
    if employee is None and request.args.get("employe"):
        flash(_("Salarié inconnu : %(code)s", code=request.args.get("employe")), "error")
    matrix = services.employee_month(employee, month) if employee else None
    return render_template(
        "timesheets/month_employee.html",
        employees=employees,
        employee=employee,
        month=month.start,
        matrix=matrix,
        prev=month.previous().key,
        next=month.next().key,
        week_param=services.week_param,
    )


@bp.route("/temps/adherent")
@roles_required(*BACK_OFFICE)
def month_member() -> ResponseReturnValue:
    members = list(db.session.scalars(select(Member).order_by(Member.code)))
    month = _month_arg("mois")
    code = (request.args.get("adherent") or "").strip().upper()
    member = (
        next((m for m in members if m.code.upper() == code), None)
        if code
        else (members[0] if members else None)
    )
    if member is None and code:
        flash(_("Adhérent inconnu : %(code)s", code=code), "error")
    matrix = services.member_month(member, month) if member else None
    return render_template(
        "timesheets/month_member.html",
        members=members,
        member=member,
        month=month.start,
        matrix=matrix,
        prev=month.previous().key,
        next=month.next().key,
        by_service=services.member_month_by_service(matrix) if matrix else [],
    )


# ---------------------------------------------------------------------------------------
# File import: upload → preview (every bad row, or a summary) → confirm. Nothing is written
# before the confirmation; the file waits in instance/uploads under a random token.


def _upload_dir() -> Path:
    folder = Path(current_app.instance_path) / "uploads" / "timesheets"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _purge_old_uploads(folder: Path) -> None:
    limit = time.time() - UPLOAD_MAX_AGE
    for p in folder.iterdir():
        try:
            if p.stat().st_mtime < limit:
                p.unlink()
        except OSError:
            pass


def _stored(token: str) -> tuple[Path, dict[str, Any]] | None:
    """The waiting file of this token and what was noted at upload (name, user, hash)."""
    folder = _upload_dir()
    meta = folder / f"{token}.json"
    if not meta.exists():
        return None
    info = json.loads(meta.read_text())
    data = folder / f"{token}{info.get('suffix', '.data')}"
    if not data.exists():
        return None
    return data, info


def _forget(token: str, data_path: Path) -> None:
    data_path.unlink(missing_ok=True)
    (_upload_dir() / f"{token}.json").unlink(missing_ok=True)


def _import_page(status: int = 200, **context: Any) -> ResponseReturnValue:
    """The import page, with the column help and the import log (« Derniers imports »)."""
    context.setdefault("form", UploadForm())
    headers = context.pop("headers", {})
    return render_template(
        "timesheets/import.html",
        convention=_(ROW_CONVENTION),
        recent=services.recent_imports(),
        column=lambda name: headers.get(name, name),
        warning_texts=services.warning_texts,
        **context,
    ), status


@bp.route("/temps/import", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def import_upload() -> ResponseReturnValue:
    form = UploadForm()
    if not form.validate_on_submit():
        return _import_page(form=form)
    upload = form.file.data
    name = Path(upload.filename or "fichier.csv").name
    # The stored copy keeps the file's extension: the reader picks CSV or XLSX by it.
    suffix = Path(name).suffix.lower() if Path(name).suffix.lower() in UPLOAD_SUFFIXES else ""
    folder = _upload_dir()
    _purge_old_uploads(folder)
    token = secrets.token_hex(16)
    data_path = folder / f"{token}{suffix or '.csv'}"
    upload.save(data_path)
    digest = services.sha256_of(data_path.read_bytes())
    (folder / f"{token}.json").write_text(
        json.dumps(
            {"name": name, "user": current_user.id, "suffix": data_path.suffix, "hash": digest}
        )
    )
    started = time.perf_counter()
    try:
        headers, raws = read_file(data_path, filename=data_path.name)
    except ProblemsError as exc:
        _forget(token, data_path)
        form.file.errors = [*form.file.errors, str(exc)]
        return _import_page(422, form=form)
    result = services.import_entries(
        raws, source=name, dry_run=True, file_hash=digest, policy=services.DuplicatePolicy()
    )
    elapsed = time.perf_counter() - started
    if result.problems:
        _forget(token, data_path)
    return _import_page(
        422 if result.problems else 200,
        form=form,
        headers=headers,
        name=name,
        rows=len(raws),
        result=result,
        elapsed=elapsed,
        bad_rows=len({p.row for p in result.problems}),
        confirm=ConfirmForm(token=token)
        if result.ok and result.summary and (result.summary.count or result.duplicates)
        else None,
    )


def _confirmed_policy() -> services.DuplicatePolicy:
    """What the accountant ticked under the preview: the file again, duplicate rows."""
    rows = frozenset(int(v) for v in request.form.getlist("dup") if v.isdigit())
    return services.DuplicatePolicy(
        allow_file=request.form.get("file_again") == "1", allowed_rows=rows
    )


@bp.route("/temps/import/confirmer", methods=["POST"])
@roles_required(*OPERATIONS)
def import_confirm() -> ResponseReturnValue:
    form = ConfirmForm()
    stored = _stored(form.token.data) if form.validate_on_submit() else None
    if stored is None:
        flash(_("Fichier d'import introuvable ou expiré : déposez-le à nouveau."), "error")
        return redirect(url_for("timesheets.import_upload"))
    path, info = stored
    name = str(info["name"])
    try:
        headers, raws = read_file(path, filename=path.name)
        result = services.import_entries(
            raws,
            source=name,
            channel="web",
            user_id=current_user.id,
            file_hash=str(info.get("hash") or services.sha256_of(path.read_bytes())),
            user_label=current_user.email,
            policy=_confirmed_policy(),
        )
    except ProblemsError as exc:
        flash(str(exc), "error")
        return redirect(url_for("timesheets.import_upload"))
    finally:
        _forget(form.token.data, path)
    page: dict[str, Any] = {"headers": headers, "name": name, "rows": len(raws), "result": result}
    if result.problems:
        # The data changed since the preview (a month closed, time entered meanwhile).
        return _import_page(422, bad_rows=len({p.row for p in result.problems}), **page)
    assert result.summary is not None
    if result.blocked:
        flash(
            _(
                "Fichier déjà importé : rien n'a été importé. Pour l'importer à nouveau,"
                " déposez-le et cochez « Importer ce fichier à nouveau »."
            ),
            "error",
        )
        return _import_page(409, **page)
    if not result.written:
        flash(_("Rien à importer : les doublons non cochés ont été écartés."), "warning")
        return _import_page(**page)
    flash(
        _(
            "Import terminé : %(count)s saisie(s) importée(s) depuis %(name)s.",
            count=result.summary.count,
            name=name,
        ),
        "success",
    )
    return _import_page(done=True, **page)


@bp.route("/temps/import/modele.<fmt>")
@roles_required(*OPERATIONS)
def import_model(fmt: str) -> ResponseReturnValue:
    """A model file to fill in, CSV or XLSX: the French header and two example rows."""
    if fmt not in {"csv", "xlsx"}:
        abort(404)
    data, mimetype = model_file(fmt)
    return send_file(
        io.BytesIO(data),
        mimetype=mimetype,
        as_attachment=True,
        download_name=f"modele-temps.{fmt}",
    )
