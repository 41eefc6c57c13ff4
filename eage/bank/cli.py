"""`eage import-bank FILE [--dry-run]` (SPEC §7): a CAMT.053, OFX or mapped CSV statement;
prints what was matched and what waits for review; the same statement twice changes
nothing (exit 0, it says so); a bad file is refused with every bad line (exit 1)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from accounting.problems import ProblemsError
from eage.bank.services import import_statement
from eage.models.bank import BankLine

MAX_BYTES = 20 * 1024 * 1024


def _describe(line: BankLine) -> str:
    ref = line.end_to_end_id or line.remittance or line.bank_reference or ""
    return f"{line.booking_date:%Y-%m-%d} {line.amount:>12} {ref[:50]}"


@click.command("import-bank")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and show the matching; write nothing.")
@click.option("--bank", default=None, help="The bank whose CSV format reads FILE (CSV only).")
@with_appcontext
def import_bank_command(file: Path, dry_run: bool, bank: str | None) -> None:
    """Import a bank statement and match its lines with the books."""
    try:
        with file.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise click.ClickException(f"{file}: {exc.strerror or exc}") from exc
    if len(data) > MAX_BYTES:
        raise click.ClickException(f"{file}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        result = import_statement(data, file.name, bank=bank, dry_run=dry_run)
    except ProblemsError as exc:
        for p in exc.problems:
            click.echo(p.message, err=True)
        click.echo(f"{file}: refused, nothing imported", err=True)
        raise SystemExit(1) from None
    assert result.statement is not None
    if result.already:
        click.echo(
            f"{file}: statement {result.statement.statement_ref} already imported: nothing changed"
        )
        return
    for line in result.matched:
        click.echo(f"matched  {_describe(line)}")
    for line in result.review:
        label = (line.proposal or {}).get("label", "no proposal")
        click.echo(f"review   {_describe(line)}  → {label}")
    click.echo(
        f"{len(result.matched)} line(s) matched and posted, {len(result.review)} waiting for "
        f"review, {result.skipped} already read from another statement"
        + (" (dry run: nothing written)" if dry_run else "")
    )
