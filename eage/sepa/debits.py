"""SEPA direct debits (pain.008) of the members' invoices due by a collection date.

A treasurer's rules, as the banks' own tools apply them:
- the collection date is a TARGET2 business day after today;
- every invoice (kind invoice, outstanding > 0, due by that date) of a member with an
  active mandate is collected for what is still owed on it, its EndToEndId its number;
  invoices already in a batch that was not rejected are left out;
- a member with an invoice due but no active mandate is skipped and listed (a warning);
- an invalid IBAN/BIC, an incomplete or expired mandate, a member without an e-mail address
  for the pre-notification, or the group's own ICS/IBAN/BIC missing refuse the whole batch,
  every problem listed, nothing written.
The batch is stored (document store), the mandates move FRST → RCUR, and each member is
sent a pre-notification e-mail (amount, date, mandate reference, creditor identifier).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from accounting.formats import fr_date, money
from accounting.money import ZERO
from accounting.problems import Problem, ProblemsError
from eage import audit, mail, storage
from eage.extensions import db
from eage.filters import tr
from eage.invoicing.services import open_invoices, outstanding, unapplied_credit
from eage.locks import take_issuing_lock
from eage.models import Invoice, Member, Organisation, User
from eage.models.base import utcnow
from eage.models.sepa import SepaBatch, SepaMandate, SepaTransaction
from eage.sepa import files, rules
from eage.sepa.batches import store_batch
from eage.sepa.mandates import creditor_problems, settings

# SEPA Core rulebook (PT-03.02): the debtor is pre-notified at least 14 calendar days before
# the collection unless creditor and debtor agreed on another delay.
PRENOTIFICATION_DAYS = 14


@dataclass(frozen=True)
class DebitLine:
    invoice: Invoice
    mandate: SepaMandate
    amount: Decimal
    sequence_type: str

    @property
    def end_to_end_id(self) -> str:
        return self.invoice.number

    @property
    def remittance(self) -> str:
        return f"Facture {self.invoice.number} du {fr_date(self.invoice.issue_date)}"


@dataclass
class DebitPlan:
    collection_date: date
    lines: list[DebitLine] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # warnings: members without a mandate
    notices: list[str] = field(default_factory=list)  # what the treasurer should know
    problems: list[Problem] = field(default_factory=list)  # blocking

    @property
    def count(self) -> int:
        return len(self.lines)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    def by_member(self) -> dict[Member, list[DebitLine]]:
        out: dict[Member, list[DebitLine]] = defaultdict(list)
        for line in self.lines:
            out[line.invoice.member].append(line)
        return dict(out)


def date_problem(collection_date: date, today: date) -> str | None:
    if collection_date <= today:
        return tr(
            "la date de prélèvement %(day)s n'est pas dans le futur", day=fr_date(collection_date)
        )
    if not rules.is_business_day(collection_date):
        following = fr_date(rules.next_business_day(collection_date))
        return tr(
            "le %(day)s n'est pas un jour ouvré TARGET2 (week-end ou "
            "jour férié bancaire) : prochain jour ouvré %(following)s",
            day=fr_date(collection_date),
            following=following,
        )
    return None


def _already_collected() -> set[int]:
    return set(
        db.session.scalars(
            select(SepaTransaction.invoice_id).where(
                SepaTransaction.invoice_id.is_not(None), SepaTransaction.status != "rejected"
            )
        )
    )


def _active_mandate(member_id: int, day: date) -> SepaMandate | None:
    mandates = db.session.scalars(
        select(SepaMandate)
        .where(SepaMandate.member_id == member_id)
        .order_by(SepaMandate.signed_on.desc(), SepaMandate.id.desc())
    )
    return next((m for m in mandates if m.is_active_on(day)), None)


def _mandate_problems(mandate: SepaMandate, day: date) -> list[str]:
    who = tr(
        "%(code)s (mandat %(reference)s)", code=mandate.member.code, reference=mandate.reference
    )
    problems = []
    if why := rules.iban_problem(mandate.iban):
        problems.append(tr("%(who)s : %(why)s", who=who, why=why))
    if why := rules.bic_problem(mandate.bic):
        problems.append(tr("%(who)s : %(why)s", who=who, why=why))
    if not mandate.debtor_name.strip() or not rules.MANDATE_REFERENCE.match(mandate.reference):
        problems.append(tr("%(who)s : mandat incomplet (nom du débiteur ou référence)", who=who))
    last_use = mandate.last_collected_on or mandate.signed_on
    if rules.months_between(last_use, day) >= rules.MANDATE_EXPIRY_MONTHS:
        problems.append(
            tr(
                "%(who)s : mandat caduc, inutilisé depuis 36 mois (faire signer un nouveau)",
                who=who,
            )
        )
    return problems


def _credit_held(member_id: int) -> Decimal:
    notes = db.session.scalars(
        select(Invoice).where(Invoice.member_id == member_id, Invoice.kind == "credit_note")
    )
    return sum((unapplied_credit(n) for n in notes), ZERO)


def _notify_address(member: Member) -> str | None:
    if member.email:
        return member.email
    users = db.session.scalars(
        select(User.email).where(User.member_id == member.id).order_by(User.id)
    )
    return next(iter(users), None)


def _skip_reason(
    invoice: Invoice, left: Decimal, mandate: SepaMandate | None, plan: DebitPlan
) -> str | None:
    """Why an invoice due stays out of the batch (listed, the batch goes on), or None."""
    member = invoice.member
    if mandate is None:
        return tr(
            "%(code)s (%(name)s) : pas de mandat actif — facture %(number)s "
            "(%(left)s) non prélevée",
            code=member.code,
            name=member.name,
            number=invoice.number,
            left=money(left),
        )
    if mandate.kind == "one_off" and any(li.mandate.id == mandate.id for li in plan.lines):
        return tr(
            "%(code)s : mandat ponctuel %(reference)s déjà utilisé pour une "
            "autre facture — facture %(number)s non prélevée",
            code=member.code,
            reference=mandate.reference,
            number=invoice.number,
        )
    return None


def _check_member(plan: DebitPlan, member: Member, mandate: SepaMandate) -> None:
    """Once per member of the batch: its mandate, its pre-notification address, and a
    credit note it holds (a notice: collecting in full would take too much)."""
    if (credit := _credit_held(member.id)) > 0:
        plan.notices.append(
            tr(
                "%(code)s détient un avoir non imputé de %(credit)s : "
                "l'imputer sur ses factures avant de prélever évite de trop prélever",
                code=member.code,
                credit=money(credit),
            )
        )
    plan.problems.extend(Problem(None, p) for p in _mandate_problems(mandate, plan.collection_date))
    if _notify_address(member) is None:
        plan.problems.append(
            Problem(
                None,
                tr("%(code)s : aucune adresse e-mail pour la pré-notification", code=member.code),
            )
        )


def _due_invoices(collection_date: date) -> list[Invoice]:
    taken = _already_collected()
    invoices = db.session.scalars(
        select(Invoice)
        .where(
            Invoice.kind == "invoice",
            Invoice.status != "paid",
            Invoice.due_date <= collection_date,
        )
        .order_by(Invoice.member_id, Invoice.issue_date, Invoice.seq)
    )
    return [i for i in invoices if i.id not in taken]


def plan_debits(collection_date: date, *, today: date) -> DebitPlan:
    """What a batch at ``collection_date`` would hold, and what stops it."""
    plan = DebitPlan(collection_date)
    if why := date_problem(collection_date, today):
        plan.problems.append(Problem("collection_date", why))
    org = db.session.scalar(select(Organisation).limit(1))
    for why in creditor_problems(org, settings().creditor_identifier, debits=True):
        plan.problems.append(Problem(None, why))
    checked: set[int] = set()
    for invoice in _due_invoices(collection_date):
        left = outstanding(invoice)
        if left <= 0:
            continue
        mandate = _active_mandate(invoice.member_id, collection_date)
        if (why := _skip_reason(invoice, left, mandate, plan)) is not None or mandate is None:
            plan.skipped.append(why or "")
            continue
        if invoice.member_id not in checked:
            checked.add(invoice.member_id)
            _check_member(plan, invoice.member, mandate)
        plan.lines.append(DebitLine(invoice, mandate, left, mandate.sequence_type))
    if not plan.lines and not plan.problems:
        plan.problems.append(
            Problem(None, tr("aucune facture à prélever au %(day)s", day=fr_date(collection_date)))
        )
    if plan.lines and (days := (collection_date - today).days) < PRENOTIFICATION_DAYS:
        plan.notices.append(
            tr(
                "pré-notification envoyée aujourd'hui, %(days)s jour(s) avant le prélèvement : "
                "moins que les %(minimum)s jours du règlement SEPA, ce délai plus court doit être "
                "convenu avec les adhérents (mandat ou contrat)",
                days=days,
                minimum=PRENOTIFICATION_DAYS,
            )
        )
    return plan


def create_debit_batch(
    collection_date: date, *, today: date, user_id: int | None = None
) -> tuple[SepaBatch, DebitPlan]:
    """Write the pain.008, store it, record the batch; then send the pre-notifications.
    Raises ProblemsError (nothing written) when the plan has a blocking problem."""
    take_issuing_lock()
    plan = plan_debits(collection_date, today=today)
    if plan.problems:
        db.session.rollback()
        raise ProblemsError(plan.problems)
    org = db.session.scalar(select(Organisation).limit(1))
    assert org is not None and org.iban and org.bic  # creditor_problems checked them
    creditor = files.Account(
        org.name,
        rules.compact(org.iban),
        rules.compact(org.bic),
        settings().creditor_identifier or "",
    )
    written = files.debits_file(creditor, [_debit(line) for line in plan.lines], collection_date)
    with storage.transaction():
        batch = store_batch(
            written,
            kind="debit",
            due_date=collection_date,
            count=plan.count,
            total=plan.total,
            user_id=user_id,
        )
        for line in plan.lines:
            batch.transactions.append(_transaction(line, written.payment_info_ids))
            line.mandate.first_collected_on = line.mandate.first_collected_on or collection_date
            line.mandate.last_collected_on = collection_date
        db.session.flush()
        audit.record(
            "create",
            "sepa_batch",
            batch.id,
            summary=f"pain.008 {batch.msg_id}: {batch.count} debits, {batch.total} € on "
            f"{collection_date.isoformat()}",
            user_id=user_id,
        )
        db.session.commit()
    _send_prenotifications(batch, plan, org.name, creditor.creditor_identifier)
    return batch, plan


def _debit(line: DebitLine) -> files.Debit:
    m = line.mandate
    return files.Debit(
        end_to_end_id=line.end_to_end_id,
        amount=line.amount,
        sequence_type=line.sequence_type,
        mandate_reference=m.reference,
        mandate_signed_on=m.signed_on,
        debtor_name=m.debtor_name,
        iban=rules.compact(m.iban),
        bic=rules.compact(m.bic) or None,
        remittance=line.remittance,
    )


def _transaction(line: DebitLine, info_ids: dict[str, str]) -> SepaTransaction:
    m = line.mandate
    return SepaTransaction(
        payment_info_id=info_ids[line.end_to_end_id],
        end_to_end_id=line.end_to_end_id,
        sequence_type=line.sequence_type,
        amount=line.amount,
        name=m.debtor_name,
        iban=rules.compact(m.iban),
        bic=rules.compact(m.bic) or None,
        remittance=line.remittance,
        invoice_id=line.invoice.id,
        mandate_id=m.id,
        status="pending",
    )


def _send_prenotifications(batch: SepaBatch, plan: DebitPlan, creditor_name: str, ics: str) -> None:
    """One e-mail per member: what will be debited, when, under which mandate (SEPA Core
    rulebook PT-03.02: the creditor notifies the debtor of amount and date beforehand)."""
    for member, lines in plan.by_member().items():
        to = _notify_address(member)
        if to is None:  # refused by the plan; kept for the type checker
            continue
        total = sum((li.amount for li in lines), ZERO)
        mandate = lines[0].mandate
        msg = mail.new_message(f"Pré-notification de prélèvement SEPA — {creditor_name}", to)
        listed = "\n".join(f"  - facture {li.invoice.number} : {money(li.amount)}" for li in lines)
        msg.set_content(
            f"Bonjour,\n\nNous prélèverons {money(total)} sur votre compte "
            f"{_masked_iban(mandate.iban)} le {fr_date(plan.collection_date)}, au titre du "
            f"mandat SEPA {mandate.reference} (identifiant créancier SEPA {ics}) :\n"
            f"{listed}\n\nCordialement,\n{creditor_name}\n"
        )
        mail.deliver(msg, f"prenotification-{member.code}")
    batch.notified_at = utcnow()
    db.session.commit()


def _masked_iban(iban: str) -> str:
    compact = rules.compact(iban)
    return f"{compact[:4]} •••• {compact[-4:]}"


def next_debit(member: Member, today: date) -> tuple[date, Decimal] | None:
    """The member's next direct debit, for its portal: the collection date and amount of a
    batch already prepared for it, else the next due date of its open invoices with what a
    batch on that day would collect (what is overdue and not yet collected, plus what falls
    due then). None without an active mandate or with nothing left to collect."""
    if _active_mandate(member.id, today) is None:
        return None
    pending = db.session.execute(
        select(SepaBatch.due_date, SepaTransaction.amount)
        .join(SepaTransaction.batch)
        .join(Invoice, SepaTransaction.invoice_id == Invoice.id)
        .where(
            Invoice.member_id == member.id,
            SepaBatch.kind == "debit",
            SepaTransaction.status == "pending",
            SepaBatch.due_date >= today,
        )
    ).all()
    if pending:
        day = min(d for d, _ in pending)
        return day, sum((a for d, a in pending if d == day), ZERO)
    collected = _already_collected()
    due = [i for i in open_invoices(member) if i.id not in collected and i.due_date is not None]
    upcoming = sorted(i.due_date for i in due if i.due_date >= today)
    if not upcoming:
        return None
    day = upcoming[0]
    return day, sum((outstanding(i) for i in due if i.due_date <= day), ZERO)
