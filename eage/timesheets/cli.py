"""`eage import-timesheets FILE [--dry-run]` (SPEC §7)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("import-timesheets")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file, write nothing.")
@with_appcontext
def import_timesheets_command(file: str, dry_run: bool) -> None:
    """Import timesheet entries from CSV or XLSX, all or nothing."""
    raise click.ClickException("not implemented yet")
