"""`eage sepa-debits --date YYYY-MM-DD --output DIR` and `eage sepa-salaries YYYY-MM --output
DIR` (SPEC §7): write the file, print its path, count and total; on problems, print every one
(`error: …`), exit 1 and write nothing."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext

from accounting.formats import fr_date
from accounting.problems import ProblemsError
from eage import storage
from eage.core.services import parse_month
from eage.models.sepa import SepaBatch
from eage.sepa import debits, transfers


def _fail(exc: ProblemsError) -> None:
    for p in exc.problems:
        click.echo(f"error: {p.message}", err=True)
    raise click.ClickException("nothing generated: see the errors above")


def _write(batch: SepaBatch, output: str) -> Path:
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / batch.document.filename
    shutil.copyfile(storage.storage_root() / batch.document.path, target)
    return target


@click.command("sepa-debits")
@click.option("--date", "day", required=True, help="Collection date as YYYY-MM-DD.")
@click.option("--output", required=True, type=click.Path(file_okay=False), help="Folder.")
@with_appcontext
def sepa_debits_command(day: str, output: str) -> None:
    """pain.008 of the invoices due by DATE from members with a mandate."""
    try:
        collection = date.fromisoformat(day)
    except ValueError:
        raise click.BadParameter(
            f"date must be YYYY-MM-DD, got {day!r}", param_hint="--date"
        ) from None
    try:
        batch, plan = debits.create_debit_batch(collection, today=date.today())
    except ProblemsError as exc:
        _fail(exc)
        return
    for warning in plan.skipped:
        click.echo(f"skipped: {warning}")
    for notice in plan.notices:
        click.echo(f"note: {notice}")
    click.echo(str(_write(batch, output)))
    click.echo(f"{batch.count} debits, total {batch.total} EUR, collection {collection}")
    if batch.notified_at:
        click.echo(f"pre-notifications e-mailed on {fr_date(batch.notified_at.date())}")


@click.command("sepa-salaries")
@click.argument("month")
@click.option("--output", required=True, type=click.Path(file_okay=False), help="Folder.")
@click.option("--date", "day", default=None, help="Execution date (default: the 5th next month).")
@click.option("--with-charges", is_flag=True, help="Also URSSAF, retirement, PAS, health.")
@click.option(
    "--with-suppliers",
    is_flag=True,
    help="Also the posted supplier invoices up to the month's end, not paid yet.",
)
@with_appcontext
def sepa_salaries_command(
    month: str, output: str, day: str | None, with_charges: bool, with_suppliers: bool
) -> None:
    """pain.001 of a closed month's net salaries (and, if asked, charges and suppliers)."""
    first = parse_month(month)
    if first is None:
        raise click.BadParameter(f"month must be YYYY-MM, got {month!r}", param_hint="MONTH")
    key = f"{first:%Y-%m}"
    today = date.today()
    try:
        execution = date.fromisoformat(day) if day else transfers.default_execution_date(key, today)
    except ValueError:
        raise click.BadParameter(
            f"date must be YYYY-MM-DD, got {day!r}", param_hint="--date"
        ) from None
    try:
        batch, _plan = transfers.create_transfer_batch(
            key, execution, today=today, with_charges=with_charges, with_suppliers=with_suppliers
        )
    except ProblemsError as exc:
        _fail(exc)
        return
    click.echo(str(_write(batch, output)))
    click.echo(f"{batch.count} transfers, total {batch.total} EUR, execution {execution}")
