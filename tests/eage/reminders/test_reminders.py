"""Reminders of overdue invoices (issue 16): one e-mail per member with its statement of
account attached (the stored PDF, same SHA-256), the level proposed from the days late, the
penalties at the rate printed on the invoice (art. L441-10 C. com.) and 40 € per invoice
(art. D441-5 C. com.), never the same level twice for the same invoices."""

from __future__ import annotations

import email
import hashlib
from datetime import date
from decimal import Decimal
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import func, select

from accounting.problems import ProblemsError
from eage.extensions import db
from eage.invoicing import services as invoicing
from eage.models import Organisation
from eage.models.reminders import Reminder, ReminderItem
from eage.reminders import services
from eage.storage import read
from tests.eage.test_lettering import member, monthly, pay


def _outbox(app) -> list[email.message.EmailMessage]:
    folder = Path(app.config["OUTBOX_PATH"])
    return [
        email.message_from_bytes(p.read_bytes(), policy=policy.default)  # type: ignore[misc]
        for p in sorted(folder.glob("*.eml"))
    ]


def _two_invoices() -> tuple[str, str]:
    """LEFIL (VAT 20 %): September 1 200.00 HT = 1 440.00 TTC and October 600.00 HT =
    720.00 TTC, issued 02/10 and 02/11, due 30 days later (01/11 and 02/12)."""
    a = monthly("LEFIL", 9, "1200.00")
    b = monthly("LEFIL", 10, "600.00")
    return a.number, b.number


def test_level_1_email_with_the_statement_pdf_and_amounts_to_the_cent(app, demo) -> None:
    sept, octo = _two_invoices()
    inv = db.session.scalar(select(Organisation))
    assert inv.late_penalty_rate == Decimal("12.15")
    today = date(2026, 11, 11)  # September's invoice 10 days late, October's not due
    proposal = services.proposal_for(member("LEFIL"), today)
    assert proposal is not None and proposal.level == 1
    [line] = proposal.proposal.lines
    assert (line.invoice.number, line.days_late) == (sept, 10)
    # L441-10 on the TTC owed: 1 440.00 × 12.15 % × 10 / 365 = 4.7934… → 4.79; D441-5: 40.00.
    assert (line.penalty, line.indemnity) == (Decimal("4.79"), Decimal("40.00"))

    [sent] = services.send_reminders(["LEFIL"], today=today)

    assert (sent.level, sent.outstanding, sent.penalties, sent.indemnities) == (
        1,
        Decimal("1440.00"),
        Decimal("4.79"),
        Decimal("40.00"),
    )
    [msg] = _outbox(app)
    assert msg["Message-ID"] == sent.message_id
    assert "lefil" in msg["To"].lower()
    body = msg.get_body(preferencelist=("plain",)).get_content()
    assert sept in body and octo not in body
    assert "4,79" in body and "40,00" in body and "L441-10" in body and "D441-5" in body
    [attachment] = list(msg.iter_attachments())
    data = attachment.get_content()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == sent.document.sha256
    assert read(sent.document) == data


def test_no_same_level_twice_then_level_2_after_its_delay(app, demo) -> None:
    _two_invoices()
    services.send_reminders(["LEFIL"], today=date(2026, 11, 2))
    # A week later: level 1 already sent, level 2 not yet (15 days late, 14 days after).
    later = date(2026, 11, 9)
    assert services.proposal_for(member("LEFIL"), later).level is None
    with pytest.raises(ProblemsError) as refused:
        services.send_reminders(["LEFIL"], today=later)
    assert "déjà relancé" in str(refused.value)
    assert db.session.scalar(select(func.count(Reminder.id))) == 1

    second = date(2026, 11, 16)  # 15 days late, 14 days after level 1
    [r2] = services.send_reminders(["LEFIL"], today=second)
    assert r2.level == 2
    levels = db.session.execute(select(ReminderItem.level).order_by(ReminderItem.id)).scalars()
    assert list(levels) == [1, 2]
    # 1 440.00 × 12.15 % × 15 / 365 = 7.1901… → 7.19
    assert r2.penalties == Decimal("7.19")


def test_penalty_follows_the_rate_printed_on_the_invoice(app, demo) -> None:
    """The group changes its rate after issuing: the invoice's printed 12.15 % still applies."""
    _two_invoices()
    db.session.scalar(select(Organisation)).late_penalty_rate = Decimal("20.00")
    db.session.commit()
    p = services.proposal_for(member("LEFIL"), date(2026, 11, 11))
    assert p.proposal.lines[0].invoice.penalty_rate == Decimal("12.15")
    assert p.proposal.lines[0].penalty == Decimal("4.79")
    # The overdue page computes the same, at the printed rate.
    [row] = invoicing.overdue_invoices(today=date(2026, 11, 11))
    assert (row.penalty, row.indemnity) == (Decimal("4.79"), Decimal("40.00"))


def test_partial_payment_penalty_on_what_is_still_owed(app, demo) -> None:
    _two_invoices()
    pay("LEFIL", "700.00", date(2026, 11, 3))
    p = services.proposal_for(member("LEFIL"), date(2026, 11, 11))
    [line] = p.proposal.lines
    # 740.00 × 12.15 % × 10 / 365 = 2.4632… → 2.46
    assert (line.invoice.outstanding, line.penalty) == (Decimal("740.00"), Decimal("2.46"))


def test_a_paid_member_is_not_proposed_and_refused(app, demo) -> None:
    _two_invoices()
    pay("LEFIL", "2160.00", date(2026, 11, 3))
    assert services.proposal_for(member("LEFIL"), date(2026, 11, 11)) is None
    with pytest.raises(ProblemsError) as refused:
        services.send_reminders(["LEFIL", "NOPE"], today=date(2026, 11, 11))
    assert len(refused.value.problems) == 2
    assert not _outbox(app)
