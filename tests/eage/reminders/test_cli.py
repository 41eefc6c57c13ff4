"""`eage send-reminders`: --dry-run prints the level and amounts and sends nothing; a run
sends the reminders once; a second run the same day has nothing new to send."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from eage.extensions import db
from eage.models.reminders import Reminder
from tests.eage.test_lettering import monthly


def test_dry_run_then_send_once(app, demo, runner) -> None:
    monthly("LEFIL", 9, "1200.00")  # 1 440.00 TTC due 01/11/2026
    dry = runner.invoke(args=["send-reminders", "--dry-run", "--date", "2026-11-11"])
    assert dry.exit_code == 0, dry.output
    # L441-10: 1 440.00 × 12.15 % × 10 / 365 = 4.79; D441-5: 40.00.
    assert "LEFIL level 1" in dry.output and "penalties 4.79 indemnities 40.00" in dry.output
    assert db.session.scalar(select(func.count(Reminder.id))) == 0

    sent = runner.invoke(args=["send-reminders", "--date", "2026-11-11"])
    assert sent.exit_code == 0, sent.output
    assert "sent 1 reminder(s)" in sent.output
    assert len(list(Path(app.config["OUTBOX_PATH"]).glob("*.eml"))) == 1

    again = runner.invoke(args=["send-reminders", "--date", "2026-11-12"])
    assert "LEFIL wait" in again.output and "nothing to send" in again.output
    assert db.session.scalar(select(func.count(Reminder.id))) == 1


def test_bad_date_is_refused(app, runner) -> None:
    result = runner.invoke(args=["send-reminders", "--date", "11/11/2026"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output
