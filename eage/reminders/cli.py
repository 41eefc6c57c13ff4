"""`eage send-reminders [--dry-run] [--date YYYY-MM-DD] [--member CODE]…`: the reminders of
the overdue invoices, at the level each member has reached (not in SPEC §7: an operator's
convenience for a daily cron; the page « Relances » does the same by hand)."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from accounting.problems import ProblemsError
from eage.reminders import services


def _parse_day(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise click.ClickException(f"--date must be YYYY-MM-DD, got {text!r}") from None


@click.command("send-reminders")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send nothing.")
@click.option("--date", "day_text", default=None, help="Day of the reminders (default: today).")
@click.option("--member", "members", multiple=True, help="Only this member code (repeatable).")
@with_appcontext
def send_reminders_command(dry_run: bool, day_text: str | None, members: tuple[str, ...]) -> None:
    """E-mail each member its reminder with its statement of account: members with nothing
    new to remind, or without an e-mail address, are listed and skipped."""
    day = _parse_day(day_text)
    found = [r for r in services.proposals(day) if not members or r.member.code in members]
    ready = []
    for r in found:
        p = r.proposal
        figures = f"due {p.outstanding} penalties {p.penalties} indemnities {p.indemnities}"
        if r.level is None:
            click.echo(f"{r.member.code} wait: already reminded at its level ({figures})")
        elif not r.recipients:
            click.echo(f"{r.member.code} skipped: no e-mail address ({figures})")
        else:
            click.echo(f"{r.member.code} level {r.level} to {', '.join(r.recipients)} ({figures})")
            ready.append(r.member.code)
    if dry_run or not ready:
        click.echo(f"dry run: {len(ready)} reminder(s) to send" if dry_run else "nothing to send")
        return
    try:
        sent = services.send_reminders(ready, today=day)
    except ProblemsError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"sent {len(sent)} reminder(s)")
