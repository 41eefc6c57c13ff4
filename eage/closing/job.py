"""The month close as a job (submitted by the close page to the app's job runner): it closes
the month, reports on its progress file, then announces ``month_closed`` to whoever listens
when the close changed something."""

from __future__ import annotations

import logging
from datetime import date

from flask import current_app

from eage import events, jobs
from eage.closing import services

logger = logging.getLogger(__name__)


def french_summary(result: services.CloseResult) -> str:
    if not result.changed:
        return f"Le mois {result.month} est déjà clôturé : rien n'a changé."
    text = (
        f"Mois {result.month} clôturé : {len(result.payslips)} bulletin(s) de paie, "
        f"{len(result.invoices)} facture(s)"
    )
    if result.credit_notes:
        text += f", {len(result.credit_notes)} avoir(s)"
    return text + f", {result.statements} relevé(s) de mise à disposition."


def run_close(month: date, user_id: int, progress: jobs.Progress) -> str:
    """Close `month` for `user_id`; every outcome ends on the progress file, none escapes.
    Returns the outcome for the job's log line: "done", "refused" or "failed".

    A close that fails or is killed half-way leaves nothing issued: ``close_month`` issues,
    posts, renders and locks in one database transaction inside ``storage.transaction()``
    (the files of a failed block are deleted; those of a killed process are orphans the next
    run replaces), so the month stays open and the close can simply be run again."""
    try:
        result = services.close_month(month, user_id=user_id, progress=progress)
    except services.CloseRefused as exc:
        progress.finish(
            "failed", "clôture refusée", [p.message for p in exc.problems if p.blocking]
        )
        return "refused"
    except Exception as exc:  # reported on the page; the transaction was rolled back
        logger.exception("month close failed")
        progress.finish("failed", f"erreur : {exc}")
        return "failed"
    else:
        lines = result.payslips + result.invoices + result.credit_notes
        progress.finish("done", french_summary(result), lines)
        if result.changed:
            events.month_closed.send(
                current_app._get_current_object(),  # type: ignore[attr-defined]
                year=month.year,
                month=month.month,
            )
        return "done"
