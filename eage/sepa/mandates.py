"""The creditor settings and the members' mandates: checked (every problem at once), saved
with an audit line, one commit."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from accounting.problems import Problem
from eage import audit
from eage.extensions import db
from eage.filters import tr
from eage.models import Member, Organisation
from eage.models.sepa import MANDATE_KINDS, SepaMandate, SepaSettings
from eage.sepa import rules

# The payroll debts a transfer can pay besides the net salaries, with their EndToEndId
# prefix (the bank reconciliation matches on it). Net pay is per employee (SAL-…).
PAYEE_KINDS = {
    "urssaf": "URSSAF",
    "retirement": "RETRAITE",
    "withholding_tax": "PAS",
    "health": "MUTUELLE",
}


def settings() -> SepaSettings:
    """The settings row (created, not committed, when missing)."""
    row = db.session.scalar(select(SepaSettings).order_by(SepaSettings.id).limit(1))
    if row is None:
        row = SepaSettings(creditor_identifier=None, payees={})
        db.session.add(row)
        db.session.flush()
    return row


def check_settings(data: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    if data.get("creditor_identifier"):
        why = rules.ics_problem(data["creditor_identifier"])
        if why:
            problems.append(Problem("creditor_identifier", why[0].upper() + why[1:] + "."))
    for kind in PAYEE_KINDS:
        iban, bic = data.get(f"{kind}_iban"), data.get(f"{kind}_bic")
        if iban and (why := rules.iban_problem(iban)):
            problems.append(Problem(f"{kind}_iban", why + "."))
        if bic and (why := rules.bic_problem(bic)):
            problems.append(Problem(f"{kind}_bic", why + "."))
        if (iban or bic) and not data.get(f"{kind}_name"):
            problems.append(Problem(f"{kind}_name", tr("Le nom du bénéficiaire est obligatoire.")))
    return problems


def save_settings(data: dict[str, Any], *, user_id: int | None) -> SepaSettings:
    row = settings()
    before = {"creditor_identifier": row.creditor_identifier, "payees": dict(row.payees or {})}
    row.creditor_identifier = rules.compact(data.get("creditor_identifier")) or None
    payees: dict[str, dict[str, str]] = {}
    for kind in PAYEE_KINDS:
        iban = rules.compact(data.get(f"{kind}_iban"))
        if iban:
            payees[kind] = {
                "name": (data.get(f"{kind}_name") or "").strip(),
                "iban": iban,
                "bic": rules.compact(data.get(f"{kind}_bic")),
            }
    row.payees = payees
    after = {"creditor_identifier": row.creditor_identifier, "payees": payees}
    audit.record("update", "sepa_settings", row.id, before=before, after=after, user_id=user_id)
    db.session.commit()
    return row


def creditor_problems(org: Organisation | None, ics: str | None, *, debits: bool) -> list[str]:
    """What the group's own side of a file lacks (its name, IBAN, BIC; the ICS for debits)."""
    if org is None:
        return [tr("le groupement n'est pas paramétré")]
    problems = []
    if why := rules.iban_problem(org.iban):
        problems.append(tr("compte du groupement : %(why)s", why=why))
    if why := rules.bic_problem(org.bic, required=True):
        problems.append(tr("compte du groupement : %(why)s", why=why))
    if debits and (why := rules.ics_problem(ics)):
        problems.append(why)
    return problems


def mandates_of(member_id: int | None = None) -> list[SepaMandate]:
    query = select(SepaMandate).order_by(SepaMandate.member_id, SepaMandate.signed_on.desc())
    if member_id is not None:
        query = query.where(SepaMandate.member_id == member_id)
    return list(db.session.scalars(query))


def suggested_reference(member: Member) -> str:
    """RUM-<member code>-<n>: unique, readable on the member's bank statement."""
    count = db.session.scalar(
        select(func.count(SepaMandate.id)).where(SepaMandate.member_id == member.id)
    )
    return f"RUM-{member.code}-{(count or 0) + 1}"


def check_mandate(data: dict[str, Any], today: date) -> list[Problem]:
    problems: list[Problem] = []
    reference = (data.get("reference") or "").strip()
    if not reference:
        problems.append(Problem("reference", tr("La référence unique du mandat est obligatoire.")))
    elif not rules.MANDATE_REFERENCE.match(reference):
        problems.append(
            Problem(
                "reference",
                tr(
                    "Référence invalide : 35 caractères au plus, lettres, chiffres et "
                    "/ - ? : ( ) . , ' + sans espace."
                ),
            )
        )
    elif db.session.scalar(select(SepaMandate.id).where(SepaMandate.reference == reference)):
        problems.append(
            Problem(
                "reference",
                tr("La référence « %(reference)s » est déjà utilisée.", reference=reference),
            )
        )
    signed = data.get("signed_on")
    if signed is None:
        problems.append(Problem("signed_on", tr("La date de signature est obligatoire.")))
    elif signed > today:
        problems.append(Problem("signed_on", tr("La date de signature ne peut pas être future.")))
    if not (data.get("debtor_name") or "").strip():
        problems.append(Problem("debtor_name", tr("Le nom du débiteur est obligatoire.")))
    if why := rules.iban_problem(data.get("iban")):
        problems.append(Problem("iban", why + "."))
    if why := rules.bic_problem(data.get("bic")):
        problems.append(Problem("bic", why + "."))
    if data.get("kind") not in MANDATE_KINDS:
        problems.append(Problem("kind", tr("Type de mandat inconnu.")))
    return problems


def create_mandate(member: Member, data: dict[str, Any], *, user_id: int | None) -> SepaMandate:
    mandate = SepaMandate(
        member_id=member.id,
        reference=data["reference"].strip(),
        signed_on=data["signed_on"],
        debtor_name=data["debtor_name"].strip(),
        iban=rules.compact(data["iban"]),
        bic=rules.compact(data.get("bic")) or None,
        kind=data["kind"],
        created_by_id=user_id,
    )
    db.session.add(mandate)
    db.session.flush()
    audit.record(
        "create",
        "sepa_mandate",
        mandate.id,
        summary=f"{member.code} {mandate.reference} ({mandate.kind})",
        user_id=user_id,
    )
    db.session.commit()
    return mandate


def revoke_mandate(mandate: SepaMandate, day: date, *, user_id: int | None) -> None:
    """A revoked mandate is kept (its reference stays taken) and collects nothing after."""
    if mandate.revoked_on is not None:
        return
    mandate.revoked_on = max(day, mandate.signed_on)
    audit.record(
        "update",
        "sepa_mandate",
        mandate.id,
        summary=f"{mandate.reference} revoked on {mandate.revoked_on.isoformat()}",
        user_id=user_id,
    )
    db.session.commit()
