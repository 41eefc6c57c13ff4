"""The books' pages: journals and entries, OD entries typed by the accountant, the chart of
accounts, the trial balance and ledgers (with .xlsx exports), the integrity check and the
FEC download. Readable by the back office; only the accountant writes."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from accounting.aging import BUCKETS, bucket_of
from accounting.chart import JOURNALS, PURPOSES
from accounting.money import ZERO
from accounting.months import Month
from eage.auth.roles import ACCOUNTANT, ADMIN, BACK_OFFICE, OPERATIONS, roles_required
from eage.books import entries, ledgers, periods, prints, vat, xlsx, yearend
from eage.books.chart import active_accounts, chart_of_accounts, save_account
from eage.books.errors import BooksError
from eage.books.fec import download_fec
from eage.books.forms import OD_ROWS, AccountForm, ConfirmForm, LockDateForm, ManualEntryForm
from eage.books.integrity import verify_integrity
from eage.core.services import parse_month
from eage.extensions import db
from eage.filters import money
from eage.filters import tr as _
from eage.forms_fr import parse_fr_decimal
from eage.models import FiscalYear
from eage.models.books import JournalEntry, LedgerAccount
from eage.params import valid_year

bp = Blueprint("books", __name__, url_prefix="/comptabilite")

# Locking periods and closing years: the accountant, or the admin who runs the instance.
BOOKKEEPERS = (ACCOUNTANT, ADMIN)

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


def _filter() -> ledgers.LedgerFilter:
    year = _year()
    journal = request.args.get("journal") or None
    return ledgers.ledger_filter(
        _day("du", date(year, 1, 1)),
        _day("au", date(year, 12, 31)),
        journal=journal if journal in JOURNALS else None,
        account=(request.args.get("compte") or "").strip().upper() or None,
        member_code=(request.args.get("adherent") or "").upper(),
        service_code=(request.args.get("service") or "").upper(),
        include_drafts=request.args.get("brouillons") == "1",
    )


def _filter_context() -> dict[str, object]:
    members, services = ledgers.filter_choices()
    return {
        "members": members,
        "services_list": services,
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
    rows = entries.search(
        journal=journal if journal in JOURNALS else None,
        year=year,
        month=month.strftime("%Y-%m") if month else None,
        status=status,
    )
    return render_template(
        "books/index.html",
        rows=rows,
        totals=entries.totals(rows),
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


_OD_FIELDS = ("account", "debit", "credit", "label", "member", "service")


def _typed_row(n: int) -> dict[str, str]:
    return {k: (request.form.get(f"line-{n}-{k}") or "").strip() for k in _OD_FIELDS}


def _manual_lines() -> tuple[list[entries.ManualLine], dict[int, str]]:
    """The typed rows (empty ones skipped), numbered as the user sees them, and the rows'
    unreadable amounts."""
    lines: list[entries.ManualLine] = []
    errors: dict[int, str] = {}
    for n in range(1, OD_ROWS + 1):
        row = _typed_row(n)
        if not any(row[k] for k in ("account", "debit", "credit", "label")):
            continue
        amounts: list[Decimal] = []
        for k in ("debit", "credit"):
            try:
                amounts.append(parse_fr_decimal(row[k]) if row[k] else ZERO)
            except ValueError:
                errors[len(lines) + 1] = f"montant illisible : {row[k]}"
                amounts.append(ZERO)
        lines.append(
            entries.ManualLine(
                account=row["account"],
                debit=amounts[0],
                credit=amounts[1],
                label=row["label"],
                member_id=int(row["member"]) if row["member"].isdigit() else None,
                service_id=int(row["service"]) if row["service"].isdigit() else None,
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
                row = entries.create_manual_entry(
                    day=form.day.data,
                    label=form.label.data or "",
                    piece_ref=form.piece_ref.data or "",
                    lines=lines,
                    user_id=current_user.id,
                )
            except BooksError as exc:
                problems = exc.messages()
            else:
                flash(
                    _("Écriture enregistrée en brouillon : vérifiez-la puis validez-la."), "success"
                )
                return redirect(url_for("books.entry", entry_id=row.id))
    return render_template(
        "books/entry_form.html",
        form=form,
        problems=problems,
        rows=OD_ROWS,
        accounts=active_accounts(),
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
            entries.validate_entry(row, user_id=current_user.id)
        except BooksError as exc:
            flash(str(exc), "danger")
        else:
            flash(
                _(
                    "Écriture %(number)s validée : elle ne peut plus être modifiée.",
                    number=row.number,
                ),
                "success",
            )
    return redirect(url_for("books.entry", entry_id=entry_id))


@bp.route("/ecritures/<int:entry_id>/supprimer", methods=["POST"])
@roles_required(*OPERATIONS)
def delete(entry_id: int) -> Response:
    row = db.session.get(JournalEntry, entry_id)
    if row is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            entries.delete_draft(row, user_id=current_user.id)
        except BooksError as exc:
            flash(str(exc), "danger")
            return redirect(url_for("books.entry", entry_id=entry_id))
        flash(_("Brouillon supprimé."), "success")
    return redirect(url_for("books.index"))


# --------------------------------------------------------------------------- chart


@bp.route("/plan")
@roles_required(*BACK_OFFICE)
def chart() -> str:
    return render_template("books/chart.html", accounts=chart_of_accounts(), purposes=PURPOSES)


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
            save_account(
                row,
                number=form.number.data or "",
                label=form.label.data or "",
                active=bool(form.active.data),
                user_id=current_user.id,
            )
        except BooksError as exc:
            form.form_errors.extend(p.message for p in exc.problems)
        else:
            flash(_("Compte enregistré."), "success")
            return redirect(url_for("books.chart"))
    return render_template("books/account_form.html", form=form, account=row)


# --------------------------------------------------------------------------- ledgers


@bp.route("/balance")
@roles_required(*BACK_OFFICE)
def trial_balance() -> str | Response:
    flt = _filter()
    if request.args.get("format") == "xlsx":
        return _xlsx(
            xlsx.trial_balance_xlsx(flt), f"balance-{flt.start:%Y%m%d}-{flt.end:%Y%m%d}.xlsx"
        )
    rows = ledgers.trial_balance(flt)
    return render_template(
        "books/balance.html",
        rows=rows,
        totals=ledgers.balance_totals(rows),
        flt=flt,
        **_filter_context(),
    )


@bp.route("/grand-livre")
@roles_required(*BACK_OFFICE)
def general_ledger() -> str | Response:
    flt = _filter()
    if request.args.get("format") == "xlsx":
        return _xlsx(
            xlsx.general_ledger_xlsx(flt),
            f"grand-livre-{flt.start:%Y%m%d}-{flt.end:%Y%m%d}.xlsx",
        )
    return render_template(
        "books/ledger.html",
        sections=ledgers.general_ledger(flt),
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
            xlsx.member_ledger_xlsx(flt),
            f"grand-livre-adherents-{flt.start:%Y%m%d}-{flt.end:%Y%m%d}.xlsx",
        )
    return render_template(
        "books/ledger.html",
        sections=ledgers.member_ledger(flt),
        flt=flt,
        title="Grand livre des adhérents (411)",
        endpoint="books.member_ledger",
        **_filter_context(),
    )


# --------------------------------------------------------------------------- integrity, FEC


@bp.route("/integrite")
@roles_required(*BACK_OFFICE)
def integrity() -> str:
    report = verify_integrity(check_files=request.args.get("fichiers") != "0")
    return render_template("books/integrity.html", report=report)


@bp.route("/fec/<int:year>")
@roles_required(*BACK_OFFICE)
def fec(year: int) -> Response:
    valid_year(year)
    try:
        out = download_fec(year)
    except BooksError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("books.index"))
    return send_file(
        io.BytesIO(out.data),
        mimetype="text/plain; charset=iso-8859-15",
        as_attachment=True,
        download_name=out.filename,
    )


# --------------------------------------------------------------------------- prints (PDF)

PDF = "application/pdf"


def _pdf(data: bytes, name: str) -> Response:
    return send_file(io.BytesIO(data), mimetype=PDF, as_attachment=False, download_name=name)


def _period_name(flt: ledgers.LedgerFilter) -> str:
    return f"{flt.start:%Y%m%d}-{flt.end:%Y%m%d}"


def _journal_filter() -> ledgers.LedgerFilter:
    """The journals' filter: a month (?mois=) as on the journals page, else the period."""
    flt = _filter()
    month = Month.parse_or_none(request.args.get("mois"))
    drafts = flt.include_drafts or request.args.get("statut") == "draft"
    if month is not None:
        return replace(flt, start=month.start, end=month.last_day, include_drafts=drafts)
    return replace(flt, include_drafts=drafts)


@bp.route("/journaux.pdf")
@roles_required(*BACK_OFFICE)
def journals_pdf() -> Response:
    flt = _journal_filter()
    books = prints.journals(flt)
    head = prints.header(_("Journaux"), flt.start, flt.end, prints.criteria_of(flt))
    data = prints.render_pdf(
        "books/print_journals.html",
        identifier=f"journaux-{_period_name(flt)}",
        head=head,
        books=books,
        total_debit=sum((j.debit for j in books), ZERO),
        total_credit=sum((j.credit for j in books), ZERO),
    )
    return _pdf(data, f"journaux-{_period_name(flt)}.pdf")


@bp.route("/balance.pdf")
@roles_required(*BACK_OFFICE)
def trial_balance_pdf() -> Response:
    flt = _filter()
    classes, total = prints.printed_balance(flt)
    head = prints.header(_("Balance générale"), flt.start, flt.end, prints.criteria_of(flt))
    data = prints.render_pdf(
        "books/print_balance.html",
        identifier=f"balance-{_period_name(flt)}",
        head=head,
        classes=classes,
        total=total,
    )
    return _pdf(data, f"balance-{_period_name(flt)}.pdf")


def _ledger_pdf(
    title: str, sections: list[ledgers.LedgerSection], flt: ledgers.LedgerFilter, name: str
) -> Response:
    data = prints.render_pdf(
        "books/print_ledger.html",
        identifier=f"{name}-{_period_name(flt)}",
        head=prints.header(title, flt.start, flt.end, prints.criteria_of(flt)),
        sections=sections,
        lettering=name == "grand-livre-adherents",
        total_debit=sum((s.debit for s in sections), ZERO),
        total_credit=sum((s.credit for s in sections), ZERO),
    )
    return _pdf(data, f"{name}-{_period_name(flt)}.pdf")


@bp.route("/grand-livre.pdf")
@roles_required(*BACK_OFFICE)
def general_ledger_pdf() -> Response:
    flt = _filter()
    return _ledger_pdf(_("Grand livre"), ledgers.general_ledger(flt), flt, "grand-livre")


@bp.route("/adherents.pdf")
@roles_required(*BACK_OFFICE)
def member_ledger_pdf() -> Response:
    flt = _filter()
    title = _("Grand livre des adhérents (411)")
    return _ledger_pdf(title, ledgers.member_ledger(flt), flt, "grand-livre-adherents")


# --------------------------------------------------------------------------- aged receivables


def _aged_context() -> dict[str, Any]:
    """The aged balance at ?date= (default today), and what its table needs."""
    at = _day("date", date.today())
    return {
        "aged": prints.aged_receivables(at),
        "buckets": BUCKETS,
        "bucket_of": bucket_of,
        "at": at,
    }


@bp.route("/balance-agee")
@roles_required(*BACK_OFFICE)
def aged_receivables() -> str | Response:
    context = _aged_context()
    aged: prints.AgedReceivables = context["aged"]
    if request.args.get("format") == "xlsx":
        data = xlsx.aged_receivables_xlsx(aged.balance, aged.names)
        return _xlsx(data, f"balance-agee-{aged.balance.at:%Y%m%d}.xlsx")
    return render_template("books/aged.html", table_class="table table-sm bg-white", **context)


@bp.route("/balance-agee.pdf")
@roles_required(*BACK_OFFICE)
def aged_receivables_pdf() -> Response:
    context = _aged_context()
    at: date = context["at"]
    data = prints.render_pdf(
        "books/print_aged.html",
        identifier=f"balance-agee-{at:%Y%m%d}",
        head=prints.header(_("Balance âgée des créances adhérents"), None, at),
        table_class="",
        **context,
    )
    return _pdf(data, f"balance-agee-{at:%Y%m%d}.pdf")


# --------------------------------------------------------------------------- VAT (CA3)


@bp.route("/tva")
@roles_required(*BACK_OFFICE)
def vat_page() -> str:
    """The year's CA3 figures per month, reconciled with 44571 / 44566 / 44574."""
    year = _year()
    month_starts = {m: date(year, m, 1) for m in range(1, 13)}
    return render_template(
        "books/vat.html", report=vat.vat_year(year), year=year, month_starts=month_starts
    )


@bp.route("/tva.csv")
@roles_required(*BACK_OFFICE)
def vat_csv() -> Response:
    year = _year()
    return send_file(
        io.BytesIO(vat.vat_csv(vat.vat_year(year))),
        mimetype="text/csv",
        as_attachment=True,
        download_name=f"tva-ca3-{year}.csv",
    )


# --------------------------------------------------------------------------- years, locks


@bp.route("/exercices")
@roles_required(*BACK_OFFICE)
def years() -> str:
    rows = list(db.session.scalars(select(FiscalYear).order_by(FiscalYear.year.desc())))
    return render_template(
        "books/years.html", years=rows, lock_date=periods.lock_date(), form=LockDateForm()
    )


@bp.route("/exercices/verrou", methods=["POST"])
@roles_required(*BOOKKEEPERS)
def lock() -> Response:
    form = LockDateForm()
    if not form.validate_on_submit() or form.day.data is None:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
        return redirect(url_for("books.years"))
    try:
        periods.set_lock_date(form.day.data, user_id=current_user.id)
    except BooksError as exc:
        flash(str(exc), "danger")
    else:
        flash(
            _("Période verrouillée jusqu'au %(day)s.", day=f"{form.day.data:%d/%m/%Y}"), "success"
        )
    return redirect(url_for("books.years"))


@bp.route("/exercices/<int:year>/cloture", methods=["GET", "POST"])
@roles_required(*BOOKKEEPERS)
def close_year(year: int) -> str | Response:
    if db.session.get(FiscalYear, year) is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            end = yearend.close_year(year, user_id=current_user.id)
        except BooksError as exc:
            for message in exc.messages():
                flash(message, "danger")
        else:
            flash(
                _(
                    "Exercice %(year)s clôturé : résultat %(result)s.",
                    year=year,
                    result=money(end.result),
                ),
                "success",
            )
            return redirect(url_for("books.years"))
    return render_template(
        "books/year_close.html", preview=yearend.preview(year), form=form, year=year
    )
