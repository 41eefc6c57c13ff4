"""`eage simulate-payslip` (SPEC §7): a hiring-cost simulation printed as JSON."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation

import click
from flask.cli import with_appcontext

import payroll
from eage.books.errors import BooksError
from eage.core.services import parse_month
from eage.payslips import salary_tax, services, settlements

# The simulation prints the payslip API's totals (employer contributions after reductions,
# SPEC §7) and lines, plus the RGDU it applied.
LINE_FIELDS = services.API_LINE_FIELDS


def _decimal(
    name: str, text: str | None, *, minimum: Decimal | None = None, maximum: Decimal | None = None
) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise click.BadParameter(f"a number is expected, got {text!r}", param_hint=name) from None
    if not value.is_finite():
        raise click.BadParameter(f"a finite number is expected, got {text!r}", param_hint=name)
    if minimum is not None and value < minimum:
        raise click.BadParameter(f"must be at least {minimum}, got {text}", param_hint=name)
    if maximum is not None and value > maximum:
        raise click.BadParameter(f"must be at most {maximum}, got {text}", param_hint=name)
    return value


@click.command("simulate-payslip")
@click.option("--gross", required=True, help="Monthly gross salary in euros, e.g. 2400.")
@click.option("--month", required=True, help="Month as YYYY-MM (its year's rates apply).")
@click.option(
    "--hours-per-week",
    default="35",
    show_default=True,
    help="Contract hours per week (below 35 = part-time).",
)
@click.option("--cadre", is_flag=True, help="Cadre (executive) status.")
@click.option("--atmp-rate", default=None, help="AT/MP rate in percent (default: fiscal year's).")
@click.option(
    "--health-insurance",
    default=None,
    help="Health insurance (mutuelle) in euros per month (default: fiscal year's).",
)
@click.option(
    "--health-employer-share",
    default=None,
    help="Employer share of the health insurance, percent (default: fiscal year's).",
)
@with_appcontext
def simulate_payslip_command(
    *,
    gross: str,
    month: str,
    hours_per_week: str,
    cadre: bool,
    atmp_rate: str | None,
    health_insurance: str | None,
    health_employer_share: str | None,
) -> None:
    """Print a payslip computation as JSON (hiring-cost simulation)."""
    first = parse_month(month)
    if first is None:
        raise click.BadParameter(f"month must be YYYY-MM, got {month!r}", param_hint="--month")
    try:
        payroll.load_params(first.year)
    except payroll.ParamsError as exc:
        raise click.ClickException(f"no payroll rates for {first.year}: {exc}") from None
    gross_value = _decimal("--gross", gross, minimum=Decimal("0.01"))
    hours = _decimal(
        "--hours-per-week", hours_per_week, minimum=Decimal("0.01"), maximum=Decimal("35")
    )
    assert gross_value is not None and hours is not None
    try:
        result = services.simulate(
            gross_value,
            first,
            weekly_hours=hours,
            cadre=cadre,
            atmp_percent=_decimal(
                "--atmp-rate", atmp_rate, minimum=Decimal(0), maximum=Decimal(100)
            ),
            health_insurance_monthly=_decimal(
                "--health-insurance", health_insurance, minimum=Decimal(0)
            ),
            health_employer_share_percent=_decimal(
                "--health-employer-share",
                health_employer_share,
                minimum=Decimal(0),
                maximum=Decimal(100),
            ),
        )
    except services.PayslipError as exc:
        raise click.ClickException(str(exc)) from None
    data = result.payslip.to_json_dict()
    out: dict[str, object] = {**services.exposed_totals(data), "rgdu": data["rgdu"]}
    out["month"] = data["month"]
    out["hours_per_week"] = f"{result.weekly_hours:f}"
    out["cadre"] = cadre
    out["hourly_cost"] = f"{result.hourly_cost:f}"
    out["lines"] = [{k: line[k] for k in LINE_FIELDS} for line in data["lines"]]
    click.echo(json.dumps(out, ensure_ascii=False, indent=2))


@click.command("settle-payroll")
@click.argument("month")
@click.option("--date", "day", required=True, help="Payment date as YYYY-MM-DD.")
@click.option(
    "--kind",
    type=click.Choice(settlements.KINDS),
    default=None,
    help="One debt only (default: every debt of the month still owed).",
)
@with_appcontext
def settle_payroll_command(month: str, day: str, kind: str | None) -> None:
    """Record the payment of a closed month's payroll (421/431/437/4421 → 512, journal BQ)."""
    first = parse_month(month)
    if first is None:
        raise click.BadParameter(f"month must be YYYY-MM, got {month!r}", param_hint="MONTH")
    try:
        paid_on = date.fromisoformat(day)
    except ValueError:
        raise click.BadParameter(
            f"date must be YYYY-MM-DD, got {day!r}", param_hint="--date"
        ) from None
    done, problems = settlements.settle_month(f"{first:%Y-%m}", paid_on, (kind,) if kind else None)
    for row in done:
        click.echo(f"{row.month} {row.kind}: {row.amount} € paid on {row.date.isoformat()}")
    for message in problems:
        click.echo(f"error: {message}", err=True)
    if problems:
        raise click.ClickException("some payments were not recorded: see the errors above")
    if not done:
        click.echo(f"{first:%Y-%m}: nothing left to settle")


@click.command("salary-tax")
@click.argument("year", type=int)
@click.option("--post", "do_post", is_flag=True, help="Post the tax due at 31/12 (OD).")
@with_appcontext
def salary_tax_command(year: int, do_post: bool) -> None:
    """Print the year's taxe sur les salaires (art. 231 CGI) and optionally post it."""
    computed = salary_tax.compute(year)
    r = computed.result
    click.echo(f"ratio {r.ratio} % (receipts of {computed.ratio_year}: {r.receipts.total} €)")
    for e in r.employees:
        click.echo(f"{e.code}: gross {e.gross} € base {e.base} € tax {e.tax} €")
    click.echo(f"tax before allowance {r.tax_before_allowance} €, allowance {r.allowance} €")
    click.echo(f"franchise or décote {r.decote} €, due {r.due} €")
    if computed.entry is not None:
        click.echo(f"posted: {computed.entry.number}")
    if do_post:
        try:
            row = salary_tax.post(year)
        except BooksError as exc:
            raise click.ClickException("; ".join(exc.messages())) from None
        click.echo(f"posted: {row.number}")
