"""The books' pages: journals and entries, OD entries typed by the accountant, the chart of
accounts, the trial balance and ledgers (with .xlsx exports), the integrity check and the
FEC download. Readable by the back office; only the accountant writes."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from accounting.chart import JOURNALS
from accounting.money import ZERO
from eage.auth.roles import BACK_OFFICE, OPERATIONS, roles_required
from eage.books import services
from eage.books.forms import OD_ROWS, AccountForm, ConfirmForm, ManualEntryForm
from eage.core.services import parse_month
from eage.extensions import db
from eage.forms_fr import parse_fr_decimal
from eage.models import Member, Service
from eage.models.books import JournalEntry, LedgerAccount

bp = Blueprint("books", __name__, url_prefix="/comptabilite")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year() -> int:
    raw = request.args.get("annee") or ""
    return int(raw) if raw.isdigit() and len(raw) == 4 else date.today().year


def _day(name: str, default: date) -> date:
    raw = request.args.get(name) or ""
    try:
        return date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


def _filter() -> services.LedgerFilter:
    year = _year()
    member_code = (request.args.get("adherent") or "").upper()
    service_code = (request.args.get("service") or "").upper()
    member_id = (
        db.session.scalar(select(Member.id).where(Member.code == member_code))
        if member_code
        else None
    )
    service_id = (
        db.session.scalar(select(Service.id).where(Service.code == service_code))
        if service_code
        else None
    )
    journal = request.args.get("journal") or None
    return services.LedgerFilter(
        start=_day("du", date(year, 1, 1)),
        end=_day("au", date(year, 12, 31)),
        journal=journal if journal in JOURNALS else None,
        account=(request.args.get("compte") or "").strip().upper() or None,
        member_id=member_id,
        service_id=service_id,
        include_drafts=request.args.get("brouillons") == "1",
    )


def _filter_context() -> dict[str, object]:
    return {
        "members": db.session.scalars(select(Member).order_by(Member.code)).all(),
        "services_list": db.session.scalars(select(Service).order_by(Service.code)).all(),
        "journals": JOURNALS,
        "args": request.args,
    }


def _xlsx(data: bytes, name: str) -> Response:
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)


# --------------------------------------------------------------------------- journals


@bp.route("/")
@roles_required(*BACK_OFFICE)
def index() -> str:
    month = parse_month(request.args.get("mois"))
    journal = request.args.get("journal") or None
    status = request.args.get("statut") or None
    year = None if month else _year()
    rows = services.entries(
        journal=journal if journal in JOURNALS else None,
        year=year,
        month=month.strftime("%Y-%m") if month else None,
        status=status,
    )
    totals = (sum((e.total_debit for e in rows), ZERO), sum((e.total_credit for e in rows), ZERO))
    return render_template(
        "books/index.html",
        rows=rows,
        totals=totals,
        journals=JOURNALS,
        journal=journal,
        month=month,
        status=status,
        year=year,
    )


@bp.route("/ecritures/<int:entry_id>")
@roles_required(*BACK_OFFICE)
def entry(entry_id: int) -> str:
    row = db.session.get(JournalEntry, entry_id)
    if row is None:
        abort(404)
    return render_template("books/entry.html", entry=row, journals=JOURNALS, form=ConfirmForm())


def _manual_lines() -> tuple[list[services.ManualLine], dict[int, str]]:
    """The typed rows (empty ones skipped), numbered as the user sees them, and the rows'
    unreadable amounts."""
    lines: list[services.ManualLine] = []
    errors: dict[int, str] = {}
    for n in range(1, OD_ROWS + 1):
        get = lambda k, n=n: (request.form.get(f"line-{n}-{k}") or "").strip()  # noqa: E731
        if not any(get(k) for k in ("account", "debit", "credit", "label")):
            continue
        amounts: list[Decimal] = []
        for k in ("debit", "credit"):
            try:
                amounts.append(parse_fr_decimal(get(k)) if get(k) else ZERO)
            except ValueError:
                errors[len(lines) + 1] = f"montant illisible : {get(k)}"
                amounts.append(ZERO)
        member = get("member")
        service = get("service")
        lines.append(
            services.ManualLine(
                account=get("account"),
                debit=amounts[0],
                credit=amounts[1],
                label=get("label"),
                member_id=int(member) if member.isdigit() else None,
                service_id=int(service) if service.isdigit() else None,
            )
        )
    return lines, errors


@bp.route("/ecritures/nouvelle", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def new_entry() -> str | Response:
    form = ManualEntryForm()
    problems: list[str] = []
    if form.validate_on_submit():
        lines, unreadable = _manual_lines()
        if unreadable:
            problems = [f"ligne {n} : {msg}" for n, msg in unreadable.items()]
        else:
            try:
                row = services.create_manual_entry(
                    day=form.day.data,
                    label=form.label.data or "",
                    piece_ref=form.piece_ref.data or "",
                    lines=lines,
                    user_id=current_user.id,
                )
            except services.BooksError as exc:
                problems = [
                    p.message if p.line is None else f"ligne {p.line} : {p.message}"
                    for p in exc.problems
                ]
            else:
                flash("Écriture enregistrée en brouillon : vérifiez-la puis validez-la.", "success")
                return redirect(url_for("books.entry", entry_id=row.id))
    services.ensure_chart()
    accounts = db.session.scalars(
        select(LedgerAccount).where(LedgerAccount.active.is_(True)).order_by(LedgerAccount.number)
    ).all()
    db.session.commit()
    return render_template(
        "books/entry_form.html",
        form=form,
        problems=problems,
        rows=OD_ROWS,
        accounts=accounts,
        values=request.form,
        **_filter_context(),
    )


@bp.route("/ecritures/<int:entry_id>/valider", methods=["POST"])
@roles_required(*OPERATIONS)
def validate(entry_id: int) -> Response:
    row = db.session.get(JournalEntry, entry_id)
    if row is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            services.validate_entry(row, user_id=current_user.id)
        except services.BooksError as exc:
            flash(str(exc), "danger")
        else:
            flash(f"Écriture {row.number} validée : elle ne peut plus être modifiée.", "success")
    return redirect(url_for("books.entry", entry_id=entry_id))


@bp.route("/ecritures/<int:entry_id>/supprimer", methods=["POST"])
@roles_required(*OPERATIONS)
def delete(entry_id: int) -> Response:
    row = db.session.get(JournalEntry, entry_id)
    if row is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            services.delete_draft(row, user_id=current_user.id)
        except services.BooksError as exc:
            flash(str(exc), "danger")
            return redirect(url_for("books.entry", entry_id=entry_id))
        flash("Brouillon supprimé.", "success")
    return redirect(url_for("books.index"))


# --------------------------------------------------------------------------- chart


@bp.route("/plan")
@roles_required(*BACK_OFFICE)
def chart() -> str:
    from accounting.chart import PURPOSES

    return render_template(
        "books/chart.html", accounts=services.chart_of_accounts(), purposes=PURPOSES
    )


@bp.route("/plan/nouveau", methods=["GET", "POST"])
@bp.route("/plan/<int:account_id>", methods=["GET", "POST"])
@roles_required(*OPERATIONS)
def account(account_id: int | None = None) -> str | Response:
    row = db.session.get(LedgerAccount, account_id) if account_id is not None else None
    if account_id is not None and row is None:
        abort(404)
    form = AccountForm(obj=row)
    if form.validate_on_submit():
        try:
            services.save_account(
                row,
                number=form.number.data or "",
                label=form.label.data or "",
                active=bool(form.active.data),
                user_id=current_user.id,
            )
        except services.BooksError as exc:
            for p in exc.problems:
                form.form_errors.append(p.message)
        else:
            flash("Compte enregistré.", "success")
            return redirect(url_for("books.chart"))
    return render_template("books/account_form.html", form=form, account=row)


# --------------------------------------------------------------------------- ledgers


@bp.route("/balance")
@roles_required(*BACK_OFFICE)
def trial_balance() -> str | Response:
    flt = _filter()
    if request.args.get("format") == "xlsx":
        return _xlsx(
            services.trial_balance_xlsx(flt), f"balance-{flt.start:%Y%m%d}-{flt.end:%Y%m%d}.xlsx"
        )
    rows = services.trial_balance(flt)
    totals = {
        k: sum((getattr(r, k) for r in rows), ZERO)
        for k in ("debit", "credit", "debit_balance", "credit_balance")
    }
    return render_template(
        "books/balance.html", rows=rows, totals=totals, flt=flt, **_filter_context()
    )


@bp.route("/grand-livre")
@roles_required(*BACK_OFFICE)
def general_ledger() -> str | Response:
    flt = _filter()
    if request.args.get("format") == "xlsx":
        return _xlsx(
            services.general_ledger_xlsx(flt),
            f"grand-livre-{flt.start:%Y%m%d}-{flt.end:%Y%m%d}.xlsx",
        )
    return render_template(
        "books/ledger.html",
        sections=services.general_ledger(flt),
        flt=flt,
        title="Grand livre",
        endpoint="books.general_ledger",
        **_filter_context(),
    )


@bp.route("/adherents")
@roles_required(*BACK_OFFICE)
def member_ledger() -> str | Response:
    flt = _filter()
    if request.args.get("format") == "xlsx":
        return _xlsx(
            services.member_ledger_xlsx(flt),
            f"grand-livre-adherents-{flt.start:%Y%m%d}-{flt.end:%Y%m%d}.xlsx",
        )
    return render_template(
        "books/ledger.html",
        sections=services.member_ledger(flt),
        flt=flt,
        title="Grand livre des adhérents (411)",
        endpoint="books.member_ledger",
        **_filter_context(),
    )


# --------------------------------------------------------------------------- integrity, FEC


@bp.route("/integrite")
@roles_required(*BACK_OFFICE)
def integrity() -> str:
    report = services.verify_integrity(check_files=request.args.get("fichiers") != "0")
    return render_template("books/integrity.html", report=report)


@bp.route("/fec/<int:year>")
@roles_required(*BACK_OFFICE)
def fec(year: int) -> Response:
    try:
        out = services.fec(year)
    except services.BooksError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("books.index"))
    from eage import audit

    audit.record("export", "fec", year, summary=f"{out.filename}: {out.entries} entries")
    db.session.commit()
    return send_file(
        io.BytesIO(out.data),
        mimetype="text/plain; charset=iso-8859-15",
        as_attachment=True,
        download_name=out.filename,
    )
