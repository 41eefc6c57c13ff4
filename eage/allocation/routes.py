"""The cost allocation page: member × service table of a period (SPEC §5), back office."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from accounting.allocation import AllocationError
from accounting.months import Month
from eage.allocation import services
from eage.auth.roles import BACK_OFFICE, roles_required
from eage.extensions import db
from eage.filters import tr
from eage.models import Member, Service

bp = Blueprint("allocation", __name__, url_prefix="/repartition")


def _default_period(today: date) -> tuple[Month, Month]:
    """The current year up to the current month."""
    return Month(today.year, 1), Month.of(today)


@bp.route("/")
@roles_required(*BACK_OFFICE)
def index() -> ResponseReturnValue:
    """`?de=YYYY-MM&a=YYYY-MM`; without them, January to the current month."""
    first_default, last_default = _default_period(date.today())
    raw_from, raw_to = request.args.get("de"), request.args.get("a")
    first = Month.parse_or_none(raw_from) if raw_from else first_default
    last = Month.parse_or_none(raw_to) if raw_to else last_default
    errors = []
    if first is None:
        errors.append(
            tr(
                "Mois de début invalide « %(raw_from)s » : attendu AAAA-MM (ex. 2026-01).",
                raw_from=raw_from,
            )
        )
    if last is None:
        errors.append(
            tr(
                "Mois de fin invalide « %(raw_to)s » : attendu AAAA-MM (ex. 2026-12).",
                raw_to=raw_to,
            )
        )
    if first is not None and last is not None and last < first:
        errors.append(tr("La période se termine avant de commencer."))
    period = None
    if not errors:
        assert first is not None and last is not None
        try:
            period = services.compute(first, last)
        except AllocationError as exc:  # pragma: no cover - inconsistent stored data
            errors.append(tr("Répartition impossible : %(exc)s", exc=exc))
    names = dict(db.session.execute(select(Member.code, Member.name)).all())
    labels = dict(db.session.execute(select(Service.code, Service.label)).all())
    table = services.member_pivot(period) if period else []
    return render_template(
        "allocation/index.html",
        period=period,
        table=table,
        errors=errors,
        first=raw_from if first is None else first.key,
        last=raw_to if last is None else last.key,
        names=names,
        labels=labels,
    ), (400 if errors else 200)
