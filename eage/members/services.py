"""Member structures: validation (every problem at once), creation, changes, planned hours.

Identifiers follow INSEE / DGFiP rules, checked with python-stdnum: the SIRET is the SIREN
plus a 5-digit establishment number (NIC), both Luhn-checked; the French intra-community VAT
number is `FR` + a 2-digit key + the SIREN."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from stdnum import iban as iban_mod
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError
from stdnum.fr import siren as siren_mod
from stdnum.fr import siret as siret_mod
from stdnum.fr import tva as tva_mod

from accounting.money import D, round_cents
from accounting.problems import Problem
from accounting.texts import N_
from eage import audit
from eage.extensions import db
from eage.filters import tr
from eage.models import INTERNAL, FiscalYear, Member, PlannedHours, Service

VAT_REGIME_LABELS = {
    "exempt_261B": N_("Exonéré (art. 261 B du CGI)"),
    "vat_20": N_("TVA 20 %"),
}
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,19}$")
MEMBER_FIELDS = (
    "code",
    "name",
    "legal_form",
    "siren",
    "siret",
    "vat_number",
    "address",
    "postcode",
    "city",
    "email",
    "joined_on",
    "left_on",
    "vat_regime",
    "payment_terms_days",
    "previous_year_gross_payroll",
    "iban",  # the account it pays from: the bank reconciliation matches on it (issue 16)
)


def _digits_message(kind: str, length: int, exc: ValidationError) -> str:
    if isinstance(exc, InvalidLength):
        return tr("%(kind)s invalide : %(n)s chiffres attendus.", kind=kind, n=length)
    if isinstance(exc, InvalidChecksum | InvalidComponent):
        return tr("%(kind)s invalide : la clé de contrôle ne correspond pas.", kind=kind)
    return tr(
        "%(kind)s invalide : seuls des chiffres sont attendus (%(n)s chiffres).",
        kind=kind,
        n=length,
    )


def normalise_identifiers(data: dict[str, Any]) -> dict[str, Any]:
    """Spaces and dots removed, code and VAT number upper-cased, SIREN taken from the SIRET
    when only the SIRET is given."""
    out = dict(data)
    if out.get("code"):
        out["code"] = out["code"].strip().upper()
    for key, compact in (("siren", siren_mod.compact), ("siret", siret_mod.compact)):
        if out.get(key):
            out[key] = compact(out[key]) or None
    if out.get("vat_number"):
        vat = re.sub(r"[\s.\-\u00a0\u202f]", "", out["vat_number"]).upper()
        out["vat_number"] = vat
    if out.get("email"):
        out["email"] = out["email"].strip().lower()
    if out.get("iban"):
        out["iban"] = iban_mod.compact(out["iban"]) or None
    if not out.get("siren") and out.get("siret") and siret_mod.is_valid(out["siret"]):
        out["siren"] = out["siret"][:9]
    return out


def check_member(data: dict[str, Any], member_id: int | None = None) -> list[Problem]:
    """Every problem of `data` (already normalised), each against its field."""
    siren, siret, vat = data.get("siren"), data.get("siret"), data.get("vat_number")
    problems = _code_problems(data.get("code"), member_id)
    registration, siren_ok = _registration_problems(siren, siret)
    problems += registration
    problems += _vat_problems(vat, siren if siren_ok else None)
    if data.get("vat_regime") == "vat_20" and not vat:
        problems.append(
            Problem(
                "vat_number",
                tr("Le numéro de TVA est obligatoire pour un adhérent assujetti à la TVA."),
            )
        )
    problems += _iban_problems(data.get("iban"), member_id)
    joined, left = data.get("joined_on"), data.get("left_on")
    if joined and left and left < joined:
        problems.append(
            Problem(
                "left_on",
                tr("La date de sortie doit être postérieure ou égale à la date d'adhésion."),
            )
        )
    return problems


def _iban_problems(iban: str | None, member_id: int | None) -> list[Problem]:
    """A valid IBAN (ISO 13616 check digits), one member's only: a bank line from it is the
    member's payment."""
    if not iban:
        return []
    if not iban_mod.is_valid(iban):
        return [Problem("iban", tr("IBAN invalide : vérifiez sa saisie (clé de contrôle)."))]
    clash = db.session.scalar(select(Member.id).where(Member.iban == iban))
    if clash is not None and clash != member_id:
        return [Problem("iban", tr("Cet IBAN est déjà celui d'un autre adhérent."))]
    return []


def _code_problems(code: str | None, member_id: int | None) -> list[Problem]:
    if not code:
        return []
    if not CODE_PATTERN.match(code):
        return [
            Problem(
                "code", tr("Code invalide : 2 à 20 lettres majuscules, chiffres, « - » ou « _ ».")
            )
        ]
    if code == INTERNAL:
        message = tr("Le code « %(code)s » est réservé au temps interne.", code=INTERNAL)
        return [Problem("code", message)]
    clash = db.session.scalar(select(Member.id).where(func.upper(Member.code) == code))
    if clash is not None and clash != member_id:
        message = tr("Le code « %(code)s » est déjà utilisé par un autre adhérent.", code=code)
        return [Problem("code", message)]
    return []


def _registration_problems(siren: str | None, siret: str | None) -> tuple[list[Problem], bool]:
    """The SIRET and SIREN problems, and whether the SIREN is valid."""
    problems: list[Problem] = []
    siren_ok = siret_ok = False
    if siret:
        try:
            siret_mod.validate(siret)
            siret_ok = True
        except ValidationError as exc:
            problems.append(Problem("siret", _digits_message("SIRET", 14, exc)))
    if siren:
        try:
            siren_mod.validate(siren)
            siren_ok = True
        except ValidationError as exc:
            problems.append(Problem("siren", _digits_message("SIREN", 9, exc)))
    elif not siret:
        problems.append(
            Problem(
                "siren",
                tr("Le SIREN (ou le SIRET) est obligatoire : il figure sur chaque facture."),
            )
        )
    if siren_ok and siret_ok and siret is not None and siret[:9] != siren:
        problems.append(
            Problem(
                "siren",
                tr(
                    "Le SIREN doit être égal aux 9 premiers chiffres du SIRET (%(siren)s).",
                    siren=siret[:9],
                ),
            )
        )
    return problems, siren_ok


def _vat_problems(vat: str | None, valid_siren: str | None) -> list[Problem]:
    """A French VAT number: FR, a key, the SIREN (when the SIREN is valid, it must match)."""
    if not vat:
        return []
    if not vat.startswith("FR"):
        message = tr("Numéro de TVA invalide : un numéro français commence par FR.")
    else:
        try:
            tva_mod.validate(vat)
        except InvalidLength:
            message = tr("Numéro de TVA invalide : FR suivi de 11 caractères attendu.")
        except ValidationError:
            message = tr("Numéro de TVA invalide : la clé ne correspond pas au numéro.")
        else:
            if valid_siren is None or vat[4:] == valid_siren:
                return []
            message = tr(
                "Le numéro de TVA ne correspond pas au SIREN %(siren)s.", siren=valid_siren
            )
    return [Problem("vat_number", message)]


def _apply(member: Member, data: dict[str, Any]) -> None:
    for key in MEMBER_FIELDS:
        if key in data:
            setattr(member, key, data[key])
    if member.previous_year_gross_payroll is None:
        member.previous_year_gross_payroll = Decimal("0.00")
    if member.payment_terms_days is None:
        member.payment_terms_days = 30


def create_member(data: dict[str, Any]) -> Member:
    member = Member()
    _apply(member, data)
    db.session.add(member)
    db.session.flush()
    audit.record("create", "member", member.id, after=audit.snapshot(member), summary=member.code)
    db.session.commit()
    return member


def update_member(member: Member, data: dict[str, Any]) -> Member:
    before = audit.snapshot(member)
    _apply(member, data)
    db.session.flush()
    after = audit.snapshot(member)
    if before != after:
        audit.record("update", "member", member.id, before=before, after=after, summary=member.code)
    db.session.commit()
    return member


# --- read models -------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    member: Member
    planned_hours: Decimal
    active: bool


def member_list(status: str, year: int, today: date) -> list[MemberRow]:
    """Members with their planned hours of `year` (summed in the database)."""
    hours = (
        select(PlannedHours.member_id, func.sum(PlannedHours.hours).label("hours"))
        .where(PlannedHours.year == year)
        .group_by(PlannedHours.member_id)
        .subquery()
    )
    query = select(Member, hours.c.hours).outerjoin(hours, hours.c.member_id == Member.id)
    is_active = (Member.left_on.is_(None)) | (Member.left_on >= today)
    if status == "actifs":
        query = query.where(is_active)
    elif status == "sortis":
        query = query.where(~is_active)
    rows = db.session.execute(query.order_by(Member.code)).all()
    return [
        MemberRow(
            m, D(h) if h is not None else Decimal("0"), m.left_on is None or m.left_on >= today
        )
        for m, h in rows
    ]


def planned_hours_table(
    member: Member,
) -> tuple[list[Service], list[tuple[int, dict[int, Decimal], Decimal]]]:
    """Services, and per year (latest first) the hours per service id and the year's total."""
    services = list(db.session.scalars(select(Service).order_by(Service.code)))
    by_year: dict[int, dict[int, Decimal]] = {}
    for p in member.planned_hours:
        by_year.setdefault(p.year, {})[p.service_id] = p.hours
    rows = [(y, h, sum(h.values(), Decimal("0"))) for y, h in sorted(by_year.items(), reverse=True)]
    return services, rows


def membership_fee(member: Member, year: int) -> Decimal | None:
    """SPEC §5: min(round_half_up(rate × previous-year gross payroll), cap) with the year's
    settings; None when the fiscal year has no settings."""
    fy = db.session.get(FiscalYear, year)
    if fy is None:
        return None
    fee = round_cents(D(member.previous_year_gross_payroll) * D(fy.fee_rate) / 100)
    return min(fee, D(fy.fee_cap))


def services_for_hours() -> list[Service]:
    return list(db.session.scalars(select(Service).order_by(Service.code)))


def set_planned_hours(member: Member, year: int, hours: dict[int, Decimal | None]) -> None:
    """Replace the member's planned hours of `year`: one value per service id; None or 0
    removes the row. One audit line with the hours per service code before and after."""
    services = {s.id: s.code for s in services_for_hours()}
    existing = {p.service_id: p for p in member.planned_hours if p.year == year}

    def state() -> dict[str, str | None]:
        current = {p.service_id: p.hours for p in member.planned_hours if p.year == year}
        return {
            code: (str(round_cents(D(current[sid]))) if sid in current else None)
            for sid, code in services.items()
        }

    before = state()
    for service_id, value in hours.items():
        row = existing.get(service_id)
        if value is None or value == 0:
            if row is not None:
                member.planned_hours.remove(row)
        elif row is None:
            member.planned_hours.append(PlannedHours(year=year, service_id=service_id, hours=value))
        else:
            row.hours = value
    db.session.flush()
    after = state()
    if before != after:
        audit.record(
            "update",
            "planned_hours",
            member.id,
            before=before,
            after=after,
            summary=f"{member.code} {year}",
        )
    db.session.commit()
