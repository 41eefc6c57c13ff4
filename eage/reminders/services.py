"""Reminders for overdue invoices (relances) and members' security deposits.

The rules live in accounting/reminders.py (levels, penalties, indemnity) and
accounting/deposits.py (the bank entries); this module loads the invoices and what was
already sent, renders and stores the statement of account, e-mails it through eage/mail.py
and records each sending."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from accounting import reminders as domain
from accounting.deposits import deposit_entry
from accounting.documents.account_statement import (
    AccountLine,
    AccountStatement,
    render_account_statement_pdf,
)
from accounting.formats import fr_date, money, percent  # French: e-mail and document
from accounting.money import is_whole_cents, round_cents
from accounting.problems import Problem, ProblemsError
from eage import audit, mail, parties, storage
from eage.books import periods
from eage.books.chart import posting_accounts
from eage.books.posting import persist_entry
from eage.extensions import db
from eage.filters import tr
from eage.invoicing import services as invoicing
from eage.invoicing.documents import current_seller
from eage.locks import take_issuing_lock
from eage.models import Invoice, Member, Organisation, User
from eage.models.reminders import Reminder, ReminderItem, SecurityDeposit

# --------------------------------------------------------------------------- proposals


def level_days() -> tuple[int, ...]:
    """The days late from which each level may be sent (setting REMINDER_LEVEL_DAYS)."""
    days = tuple(current_app.config.get("REMINDER_LEVEL_DAYS") or domain.DEFAULT_LEVEL_DAYS)
    problems = domain.check_level_days(days)
    if problems:
        raise ValueError("; ".join(problems))
    return days


@dataclass(frozen=True)
class MemberReminder:
    """A member's reminder as proposed today: the pure proposal and the rows behind it."""

    member: Member
    proposal: domain.ReminderProposal
    invoices: dict[str, Invoice]
    recipients: tuple[str, ...]

    @property
    def level(self) -> int | None:
        return self.proposal.level


def _last_sent(invoice_ids: list[int]) -> dict[int, domain.SentLevel]:
    """Per invoice, the highest level already sent and the day it was sent."""
    rows = db.session.execute(
        select(ReminderItem.invoice_id, ReminderItem.level, Reminder.sent_on)
        .join(Reminder, ReminderItem.reminder_id == Reminder.id)
        .where(ReminderItem.invoice_id.in_(invoice_ids), ReminderItem.level.is_not(None))
    )
    last: dict[int, domain.SentLevel] = {}
    for invoice_id, level, sent_on in rows:
        if level is None:
            continue
        if invoice_id not in last or level > last[invoice_id].level:
            last[invoice_id] = domain.SentLevel(level, sent_on)
    return last


def recipients(member: Member) -> tuple[str, ...]:
    """The member's billing e-mail, then its active portal users' (each address once)."""
    users = db.session.scalars(
        select(User.email).where(User.member_id == member.id, User.active.is_(True))
    )
    emails = [member.email or "", *users]
    return tuple(dict.fromkeys(e.strip() for e in emails if e and e.strip()))


def _overdue_by_member(today: date) -> dict[int, list[tuple[Invoice, Decimal]]]:
    invoices = db.session.scalars(
        select(Invoice)
        .options(selectinload(Invoice.allocations), selectinload(Invoice.member))
        .where(Invoice.kind == "invoice", Invoice.due_date < today, Invoice.status != "paid")
        .order_by(Invoice.due_date, Invoice.seq)
    )
    out: dict[int, list[tuple[Invoice, Decimal]]] = defaultdict(list)
    for inv in invoices:
        left = invoicing.outstanding(inv)
        if left > 0:
            out[inv.member_id].append((inv, left))
    return out


def proposals(today: date | None = None) -> list[MemberReminder]:
    """Every member with overdue invoices, by member code: the level it may be reminded at
    today (None: every invoice already reminded at its level, wait), the invoices, the
    penalties at the rate printed on each and the 40 € indemnity per invoice."""
    today = today or date.today()
    org = db.session.scalar(select(Organisation))
    fallback = org.late_penalty_rate if org else Decimal("0")
    by_member = _overdue_by_member(today)
    last = _last_sent([inv.id for rows in by_member.values() for inv, _left in rows])
    days = level_days()
    out = []
    for rows in by_member.values():
        member = rows[0][0].member
        overdue = [
            domain.OverdueInvoice(
                inv.number,
                inv.issue_date,
                inv.due_date,
                inv.total_incl_tax,
                left,
                invoicing.printed_penalty_rate(inv, fallback),
            )
            for inv, left in rows
        ]
        sent = {inv.number: last[inv.id] for inv, _left in rows if inv.id in last}
        proposal = domain.propose(overdue, today, sent, days)
        invoices = {inv.number: inv for inv, _left in rows}
        out.append(MemberReminder(member, proposal, invoices, recipients(member)))
    return sorted(out, key=lambda r: r.member.code)


def proposal_for(member: Member, today: date | None = None) -> MemberReminder | None:
    return next((r for r in proposals(today) if r.member.id == member.id), None)


# --------------------------------------------------------------------------- the e-mail


def email_subject(reminder: MemberReminder, seller_name: str) -> str:
    level = reminder.level or 1
    return f"{domain.LEVEL_NAMES[level]} — factures impayées — {seller_name}"


def email_body(reminder: MemberReminder, seller_name: str, today: date) -> str:
    """The French text of the reminder: the overdue invoices, then the penalties and the
    indemnity as the conditions printed on the invoices say."""
    p = reminder.proposal
    level = reminder.level or 1
    opening = {
        1: "Sauf erreur de notre part, les factures suivantes restent impayées à ce jour :",
        2: ("Malgré notre précédente relance, les factures suivantes restent impayées à ce jour :"),
        3: (
            "Malgré nos relances, les factures suivantes restent impayées. Par la présente, "
            "nous vous mettons en demeure de régler sous huit jours les sommes ci-dessous :"
        ),
    }[level]
    lines = [
        f"- {ln.invoice.number} du {fr_date(ln.invoice.issue_date)}, échue le "
        f"{fr_date(ln.invoice.due_date)} ({ln.days_late} jours de retard) : reste dû "
        f"{money(ln.invoice.outstanding)} ; pénalités au taux annuel de "
        f"{percent(ln.invoice.penalty_rate)} : {money(ln.penalty)} ; indemnité forfaitaire : "
        f"{money(ln.indemnity)}"
        for ln in p.lines
    ]
    return (
        f"Bonjour,\n\n{opening}\n\n"
        + "\n".join(lines)
        + f"\n\nTotal restant dû : {money(p.outstanding)}.\n"
        f"Pénalités de retard : {money(p.penalties)} ; indemnités forfaitaires pour frais de "
        f"recouvrement : {money(p.indemnities)}.\n\n"
        "Comme l'indiquent les conditions de paiement portées sur chaque facture, les "
        "pénalités de retard sont exigibles de plein droit dès le lendemain de la date "
        "d'échéance, au taux annuel indiqué sur la facture, sur le montant TTC restant dû "
        "(art. L441-10 du Code de commerce), et une indemnité forfaitaire pour frais de "
        "recouvrement de 40 € est due pour chaque facture payée en retard (art. D441-5 du "
        "Code de commerce). Pénalités et indemnités sont hors du champ de la TVA.\n\n"
        f"Vous trouverez ci-joint votre relevé de compte au {fr_date(today)}. Si votre "
        "règlement est en cours, merci de ne pas tenir compte de ce message.\n\n"
        f"Cordialement,\n{seller_name}\n"
    )


def deposit_held(member_id: int) -> Decimal:
    """The security deposits received from the member and not refunded (compte 165)."""
    held = db.session.scalar(
        select(func.coalesce(func.sum(SecurityDeposit.amount), 0)).where(
            SecurityDeposit.member_id == member_id,
            SecurityDeposit.received_on.is_not(None),
            SecurityDeposit.refunded_on.is_(None),
        )
    )
    return round_cents(Decimal(str(held or 0)))


def account_statement(
    member: Member, today: date, reference: str, proposal: domain.ReminderProposal | None
) -> AccountStatement:
    """The statement of account as a document: always in French (an issued document)."""
    with force_locale("fr"):
        rows = invoicing.statement_of_account(member.id)
    lines = tuple(AccountLine(r.day, r.label, r.debit, r.credit, r.balance) for r in rows)
    return AccountStatement(
        seller=parties.seller_party(current_seller()),
        member=parties.party(parties.buyer_snapshot(member)),
        issue_date=today,
        reference=reference,
        lines=lines,
        deposit_held=deposit_held(member.id),
        reminder=proposal,
    )


def _message(reminder: MemberReminder, pdf: bytes, filename: str, today: date) -> EmailMessage:
    seller = current_seller()
    msg = mail.new_message(
        email_subject(reminder, seller["name"]),
        ", ".join(reminder.recipients),
        sender=seller.get("email"),
    )
    msg.set_content(email_body(reminder, seller["name"], today))
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    return msg


# --------------------------------------------------------------------------- sending


def check_sendable(reminders: list[MemberReminder], asked: list[str]) -> list[Problem]:
    """Every reason not to send at once: a member with nothing overdue or nothing new to
    remind, or without an e-mail address."""
    found = {r.member.code: r for r in reminders}
    problems = []
    for code in asked:
        r = found.get(code)
        if r is None:
            problems.append(
                Problem("members", tr("%(code)s : aucune facture échue impayée", code=code))
            )
        elif r.level is None:
            problems.append(
                Problem(
                    "members",
                    tr("%(code)s : déjà relancé à ce niveau, délai non écoulé", code=code),
                )
            )
        elif not r.recipients:
            problems.append(Problem("members", tr("%(code)s : aucune adresse e-mail", code=code)))
    return problems


def _record(
    r: MemberReminder, today: date, msg: EmailMessage, where: str, user_id: int | None
) -> Reminder:
    assert r.level is not None
    row = Reminder(
        member_id=r.member.id,
        level=r.level,
        sent_on=today,
        email_to=str(msg["To"])[:400],
        message_id=str(msg["Message-ID"])[:200],
        delivered_to=where[:400],
        outstanding=r.proposal.outstanding,
        penalties=r.proposal.penalties,
        indemnities=r.proposal.indemnities,
        created_by_id=user_id,
    )
    for ln in r.proposal.lines:
        row.items.append(
            ReminderItem(
                invoice_id=r.invoices[ln.invoice.number].id,
                level=ln.level,
                days_late=ln.days_late,
                outstanding=ln.invoice.outstanding,
                penalty_rate=ln.invoice.penalty_rate,
                penalty=ln.penalty,
                indemnity=ln.indemnity,
            )
        )
    db.session.add(row)
    return row


def send_one(r: MemberReminder, today: date, user_id: int | None) -> Reminder:
    """Store the statement of account, e-mail it, record the sending; one commit."""
    take_issuing_lock()
    seq = 1 + int(db.session.scalar(select(func.count(Reminder.id))) or 0)
    reference = f"RL-{today:%Y%m%d}-{r.member.code}-{seq}"
    pdf = render_account_statement_pdf(account_statement(r.member, today, reference, r.proposal))
    with storage.transaction():
        doc = storage.store(
            pdf,
            f"reminders/{today.year}/{reference}.pdf",
            "account_statement_pdf",
            replace_orphan=True,
            member_id=r.member.id,
        )
        msg = _message(r, pdf, doc.filename, today)
        row = _record(r, today, msg, "", user_id)
        db.session.flush()  # the unique invoice × level refuses a level sent twice
        where = mail.deliver(msg, reference)
        row.delivered_to = where[:400]
        row.document = doc
        audit.record(
            "send",
            "reminder",
            reference,
            user_id=user_id,
            summary=f"level {r.level} to {msg['To']} via {where}",
        )
        db.session.commit()
    return row


def send_reminders(
    member_codes: list[str], *, today: date | None = None, user_id: int | None = None
) -> list[Reminder]:
    """Send the reminders of the members asked (their level proposed today). Every problem
    at once (ProblemsError) and nothing sent when one is refused."""
    today = today or date.today()
    if not member_codes:
        raise ProblemsError.single(tr("choisissez au moins un adhérent"), "members")
    found = proposals(today)
    problems = check_sendable(found, member_codes)
    if problems:
        raise ProblemsError(problems)
    chosen = [r for r in found if r.member.code in set(member_codes)]
    return [send_one(r, today, user_id) for r in chosen]


def history(limit: int = 200) -> list[Reminder]:
    return list(
        db.session.scalars(
            select(Reminder)
            .options(selectinload(Reminder.member), selectinload(Reminder.items))
            .order_by(Reminder.sent_on.desc(), Reminder.id.desc())
            .limit(limit)
        )
    )


# --------------------------------------------------------------------------- deposits


def deposits(member_id: int | None = None) -> list[SecurityDeposit]:
    query = select(SecurityDeposit).options(selectinload(SecurityDeposit.member))
    if member_id is not None:
        query = query.where(SecurityDeposit.member_id == member_id)
    return list(db.session.scalars(query.order_by(SecurityDeposit.asked_on.desc())))


def ask_deposit(
    member: Member, amount: Decimal | None, asked_on: date | None, *, user_id: int | None = None
) -> SecurityDeposit:
    problems = []
    if amount is None or amount <= 0:
        problems.append(Problem("amount", tr("le montant du dépôt doit être positif")))
    elif not is_whole_cents(amount):
        problems.append(Problem("amount", tr("au plus deux décimales")))
    if asked_on is None:
        problems.append(Problem("day", tr("date manquante")))
    if problems:
        raise ProblemsError(problems)
    assert amount is not None and asked_on is not None
    dep = SecurityDeposit(
        member_id=member.id, amount=amount, asked_on=asked_on, created_by_id=user_id
    )
    db.session.add(dep)
    db.session.flush()
    audit.record(
        "create", "security_deposit", dep.id, user_id=user_id, summary=f"{member.code} {amount}"
    )
    db.session.commit()
    return dep


def _deposit_day_problems(dep: SecurityDeposit, day: date | None, refund: bool) -> list[Problem]:
    problems = []
    if day is None:
        return [Problem("day", tr("date manquante"))]
    if refund and dep.received_on is None:
        problems.append(Problem(None, tr("dépôt non encore reçu : rien à rembourser")))
    elif refund and dep.refunded_on is not None:
        problems.append(Problem(None, tr("dépôt déjà remboursé")))
    elif not refund and dep.received_on is not None:
        problems.append(Problem(None, tr("dépôt déjà reçu")))
    earliest = dep.received_on if refund else dep.asked_on
    if earliest and day < earliest:
        problems.append(Problem("day", tr("date antérieure au %(day)s", day=fr_date(earliest))))
    problems += [Problem("day", m) for m in periods.posting_problems([day])]
    return problems


def book_deposit(
    dep: SecurityDeposit, day: date | None, *, refund: bool = False, user_id: int | None = None
) -> SecurityDeposit:
    """A deposit received (D 512 / C 165) or refunded (D 165 / C 512), posted validated in
    the BQ journal; not revenue, no VAT (accounting/deposits.py)."""
    problems = _deposit_day_problems(dep, day, refund)
    if problems:
        raise ProblemsError(problems)
    assert day is not None
    take_issuing_lock()
    entry = deposit_entry(
        day=day,
        reference=f"DG-{dep.id}",
        member_code=dep.member.code,
        amount=dep.amount,
        accounts=posting_accounts(),
        refund=refund,
    )
    row = persist_entry(entry, origin="deposit", user_id=user_id, validated=True)
    if refund:
        dep.refunded_on, dep.refunded_entry_id = day, row.id
    else:
        dep.received_on, dep.received_entry_id = day, row.id
    audit.record(
        "refund" if refund else "receive",
        "security_deposit",
        dep.id,
        user_id=user_id,
        summary=f"{dep.member.code} {dep.amount} {row.number}",
    )
    db.session.commit()
    return dep
