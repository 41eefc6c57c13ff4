"""The month close as a job (submitted by the close page to the app's job runner): it closes
the month, reports on its progress file, then announces ``month_closed`` to whoever listens
when the close changed something."""

from __future__ import annotations

import logging
from datetime import date

from flask import current_app

from eage import events, jobs
from eage.closing import services
from eage.closing.progress import N_

REFUSED = N_("Clôture refusée : rien n'a été émis.")
FAILED = N_("Erreur : %(error)s. Rien n'a été émis ; la clôture peut être relancée.")

logger = logging.getLogger(__name__)


def summary_message(result: services.CloseResult) -> tuple[str, dict[str, object]]:
    """The outcome as a msgid and its values, translated where it is read."""
    if not result.changed:
        return N_("Le mois %(month)s est déjà clôturé : rien n'a changé."), {"month": result.month}
    values: dict[str, object] = {
        "month": result.month,
        "payslips": len(result.payslips),
        "invoices": len(result.invoices),
        "credit_notes": len(result.credit_notes),
        "statements": result.statements,
    }
    if result.credit_notes:
        return N_(
            "Mois %(month)s clôturé : %(payslips)s bulletin(s) de paie, %(invoices)s "
            "facture(s), %(credit_notes)s avoir(s), %(statements)s relevé(s) de mise à "
            "disposition."
        ), values
    return N_(
        "Mois %(month)s clôturé : %(payslips)s bulletin(s) de paie, %(invoices)s facture(s), "
        "%(statements)s relevé(s) de mise à disposition."
    ), values


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
        progress.finish("failed", REFUSED, [p.message for p in exc.problems if p.blocking])
        return "refused"
    except Exception as exc:  # reported on the page; the transaction was rolled back
        logger.exception("month close failed")
        progress.finish("failed", FAILED, error=str(exc))
        return "failed"
    else:
        lines = result.payslips + result.invoices + result.credit_notes
        message, values = summary_message(result)
        outcome = {
            "month": result.month,
            "changed": result.changed,
            "payslips": result.payslips,
            "invoices": result.invoices,
            "credit_notes": result.credit_notes,
            "statements": result.statements,
        }
        progress.finish("done", message, lines, outcome, **values)
        if result.changed:
            events.month_closed.send(
                current_app._get_current_object(),  # type: ignore[attr-defined]
                year=month.year,
                month=month.month,
            )
        return "done"
