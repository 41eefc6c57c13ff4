"""The default chart of accounts: what an employer group uses of the plan comptable associatif
(règlement ANC n° 2018-06, built on the PCG, règlement ANC n° 2014-03), and the rules that
map the group's documents to it.

Accounts are six-digit sub-accounts so that the first three digits stay the PCG account
(A47 A-1 LPF: « les trois premiers caractères … correspondent … aux numéros de comptes
du PCG »). Members are *auxiliary* accounts of the collective 411 account: ``411`` + member
code (``411LEFIL``), filled in the FEC's CompAuxNum / CompAuxLib columns.

Pure: no database. The services seed these rows once; the accountant edits them afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DEFAULT_ACCOUNTS",
    "DEFAULT_SERVICE_ACCOUNTS",
    "JOURNALS",
    "PURPOSES",
    "ChartAccount",
    "contribution_body",
    "member_aux_number",
    "service_account",
]


@dataclass(frozen=True)
class ChartAccount:
    number: str
    label: str
    purpose: str | None = None  # the role the posting rules look the account up by


# Journals (FEC JournalCode / JournalLib). Only OD is typed by hand.
JOURNALS: dict[str, str] = {
    "VT": "Ventes",
    "PA": "Paie",
    "BQ": "Banque",
    "OD": "Opérations diverses",
}

# Purposes the posting rules need; each names exactly one account of the chart.
PURPOSES: dict[str, str] = {
    "receivable": "Adhérents (compte collectif, auxiliaire par adhérent)",
    "vat_collected": "TVA collectée",
    "fee": "Cotisations des adhérents",
    "sales_other": "Mises à disposition sans service",
    "bank": "Banque",
    "salaries": "Salaires bruts",
    "employer_urssaf": "Charges sociales URSSAF (nettes des réductions)",
    "employer_health": "Charges mutuelle et prévoyance",
    "employer_retirement": "Charges retraite complémentaire",
    "net_pay": "Rémunérations dues au personnel",
    "urssaf": "URSSAF",
    "health_bodies": "Mutuelle et prévoyance",
    "retirement_bodies": "Retraite complémentaire",
    "withholding_tax": "Prélèvement à la source",
}

DEFAULT_ACCOUNTS: tuple[ChartAccount, ...] = (
    ChartAccount("411000", "Adhérents — usagers", "receivable"),
    ChartAccount("421000", "Personnel — rémunérations dues", "net_pay"),
    ChartAccount("431000", "Sécurité sociale (URSSAF)", "urssaf"),
    ChartAccount("437100", "Caisses de retraite complémentaire (Agirc-Arrco)", "retirement_bodies"),
    ChartAccount("437200", "Mutuelle et prévoyance", "health_bodies"),
    ChartAccount("442100", "Prélèvement à la source — impôt sur le revenu", "withholding_tax"),
    ChartAccount("445710", "TVA collectée", "vat_collected"),
    ChartAccount("512000", "Banque", "bank"),
    ChartAccount("641100", "Salaires, appointements", "salaries"),
    ChartAccount("645100", "Cotisations à l'URSSAF", "employer_urssaf"),
    ChartAccount("645200", "Cotisations aux mutuelles et à la prévoyance", "employer_health"),
    ChartAccount("645300", "Cotisations aux caisses de retraite", "employer_retirement"),
    ChartAccount("706000", "Prestations de services — mises à disposition", "sales_other"),
    ChartAccount("756000", "Cotisations", "fee"),
)

# SPEC §1: the three services, one 706 sub-account each (analytic per service on top).
DEFAULT_SERVICE_ACCOUNTS: dict[str, str] = {
    "GESTION": "706100",
    "PAIE": "706200",
    "RESEAU": "706300",
}


def service_account(code: str, index: int) -> str:
    """The default 706 sub-account of a service: the known ones, else 7064xx, 7065xx… by the
    service's rank among the unknown ones (``index`` from 0)."""
    return DEFAULT_SERVICE_ACCOUNTS.get(code.upper(), f"706{index + 4}00")


def member_aux_number(member_code: str) -> str:
    """Auxiliary account of a member: ``411`` + its code."""
    return f"411{member_code.upper()}"


# Payslip lines whose contributions are paid to a body other than the URSSAF, by line code
# (bulletin clarifié headings RETRAITE and SANTÉ mix both): Agirc-Arrco (complementary
# retirement, CEG, CET, and the APEC contribution it collects for executives) and the
# health-insurance / prévoyance contracts. Everything else (health, family, AT/MP,
# unemployment since 2011, CSG/CRDS, FNAL, training since 2022, the general reduction) is
# declared in the DSN and paid to the URSSAF.
_RETIREMENT_PREFIXES = ("agirc_arrco", "ceg", "cet", "apec")
_HEALTH_PREFIXES = ("complementaire_sante", "prevoyance")


def contribution_body(code: str, heading: str) -> str:
    """``"retirement"``, ``"health"`` or ``"urssaf"`` for a payslip line (code, heading)."""
    if heading.upper().startswith(("RETRAITE", "ASSURANCE CH")) and code.startswith(
        _RETIREMENT_PREFIXES
    ):
        return "retirement"
    if code.startswith(_HEALTH_PREFIXES):
        return "health"
    return "urssaf"
