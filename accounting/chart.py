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

from accounting.texts import N_

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
    "VT": N_("Ventes"),
    "HA": N_("Achats"),
    "PA": N_("Paie"),
    "BQ": N_("Banque"),
    "OD": N_("Opérations diverses"),
    "AN": N_("À-nouveaux"),
}

# Purposes the posting rules need; each names exactly one account of the chart.
PURPOSES: dict[str, str] = {
    "receivable": N_("Adhérents (compte collectif, auxiliaire par adhérent)"),
    "accrued_receivable": N_("Adhérents — factures à établir (cut-off)"),
    "accrued_credit": N_("Adhérents — avoirs à établir (cut-off)"),
    "vat_collected": N_("TVA collectée"),
    "vat_pending": N_("TVA collectée à régulariser (exigible à l'encaissement)"),
    "vat_accrued": N_("TVA sur factures à établir"),
    "vat_deductible": N_("TVA déductible sur autres biens et services"),
    "suppliers": N_("Fournisseurs"),
    "subsidy": N_("Subventions d'exploitation"),
    "other_income": N_("Produits divers de gestion courante"),
    "retained_credit": N_("Report à nouveau créditeur"),
    "deposits_received": N_("Dépôts et cautionnements reçus"),
    "late_penalties": N_("Pénalités de retard facturées (revenus des autres créances)"),
    "retained_debit": N_("Report à nouveau débiteur"),
    "result_profit": N_("Résultat de l'exercice (excédent)"),
    "result_loss": N_("Résultat de l'exercice (déficit)"),
    "payroll_tax": N_("Taxe sur les salaires (charge)"),
    "payroll_tax_due": N_("Taxe sur les salaires (dette)"),
    "training_tax": N_("Formation professionnelle continue (charge)"),
    "apprenticeship_tax": N_("Taxe d'apprentissage (charge)"),
    "fee": N_("Cotisations des adhérents"),
    "sales_other": N_("Mises à disposition sans service"),
    "bank": N_("Banque"),
    "salaries": N_("Salaires bruts"),
    "employer_urssaf": N_("Charges sociales URSSAF (nettes des réductions)"),
    "employer_health": N_("Charges mutuelle et prévoyance"),
    "employer_retirement": N_("Charges retraite complémentaire"),
    "net_pay": N_("Rémunérations dues au personnel"),
    "urssaf": N_("URSSAF"),
    "health_bodies": N_("Mutuelle et prévoyance"),
    "retirement_bodies": N_("Retraite complémentaire"),
    "withholding_tax": N_("Prélèvement à la source"),
}

DEFAULT_ACCOUNTS: tuple[ChartAccount, ...] = (
    # Class 1 — fonds associatifs, report à nouveau, résultat (ANC 2018-06 art. 213-1 …).
    ChartAccount("102000", "Fonds associatifs sans droit de reprise"),
    ChartAccount("110000", "Report à nouveau (solde créditeur)", "retained_credit"),
    ChartAccount("119000", "Report à nouveau (solde débiteur)", "retained_debit"),
    ChartAccount("120000", "Résultat de l'exercice (excédent)", "result_profit"),
    ChartAccount("129000", "Résultat de l'exercice (déficit)", "result_loss"),
    # PCG art. 932-1: 165 « Dépôts et cautionnements reçus » (members' security deposits).
    ChartAccount("165000", "Dépôts et cautionnements reçus", "deposits_received"),
    # Class 4 — third parties.
    ChartAccount("401000", "Fournisseurs", "suppliers"),
    ChartAccount("408100", "Fournisseurs — factures non parvenues"),
    ChartAccount("411000", "Adhérents — usagers", "receivable"),
    ChartAccount("418100", "Adhérents — factures à établir", "accrued_receivable"),
    ChartAccount("419100", "Adhérents — avances et acomptes reçus"),
    ChartAccount("419800", "Adhérents — avoirs à établir", "accrued_credit"),
    ChartAccount("421000", "Personnel — rémunérations dues", "net_pay"),
    ChartAccount("428200", "Dettes provisionnées pour congés à payer"),
    ChartAccount("431000", "Sécurité sociale (URSSAF)", "urssaf"),
    ChartAccount("437100", "Caisses de retraite complémentaire (Agirc-Arrco)", "retirement_bodies"),
    ChartAccount("437200", "Mutuelle et prévoyance", "health_bodies"),
    ChartAccount("438200", "Charges sociales sur congés à payer"),
    ChartAccount("441000", "État et collectivités — subventions à recevoir"),
    ChartAccount("442100", "Prélèvement à la source — impôt sur le revenu", "withholding_tax"),
    ChartAccount("445510", "TVA à décaisser"),
    ChartAccount("445660", "TVA déductible sur autres biens et services", "vat_deductible"),
    ChartAccount("445710", "TVA collectée", "vat_collected"),
    ChartAccount("445740", "TVA collectée à régulariser (sur encaissements)", "vat_pending"),
    ChartAccount("445870", "TVA sur factures à établir", "vat_accrued"),
    ChartAccount("447000", "Taxe sur les salaires à payer", "payroll_tax_due"),
    ChartAccount("467000", "Autres comptes débiteurs ou créditeurs"),
    ChartAccount("486000", "Charges constatées d'avance"),
    ChartAccount("487000", "Produits constatés d'avance"),
    # Class 5.
    ChartAccount("512000", "Banque", "bank"),
    ChartAccount("530000", "Caisse"),
    # Class 6 — every account the budget and the payroll use.
    ChartAccount("606100", "Fournitures non stockables (eau, énergie)"),
    ChartAccount("606400", "Fournitures administratives"),
    ChartAccount("613200", "Locations immobilières"),
    ChartAccount("615000", "Entretien et réparations"),
    ChartAccount("616000", "Primes d'assurances"),
    ChartAccount("618100", "Documentation générale"),
    ChartAccount("622600", "Honoraires"),
    ChartAccount("623000", "Publicité, publications, relations publiques"),
    ChartAccount("625100", "Voyages et déplacements"),
    ChartAccount("626000", "Frais postaux et de télécommunications"),
    ChartAccount("627000", "Services bancaires et assimilés"),
    ChartAccount("628100", "Concours divers (cotisations)"),
    ChartAccount("631100", "Taxe sur les salaires", "payroll_tax"),
    ChartAccount("631200", "Taxe d'apprentissage", "apprenticeship_tax"),
    ChartAccount(
        "633300",
        "Participation des employeurs à la formation professionnelle continue",
        "training_tax",
    ),
    ChartAccount("641100", "Salaires, appointements", "salaries"),
    ChartAccount("645100", "Cotisations à l'URSSAF", "employer_urssaf"),
    ChartAccount("645200", "Cotisations aux mutuelles et à la prévoyance", "employer_health"),
    ChartAccount("645300", "Cotisations aux caisses de retraite", "employer_retirement"),
    ChartAccount("647500", "Médecine du travail, pharmacie"),
    ChartAccount("651100", "Redevances pour concessions, brevets, licences, logiciels"),
    ChartAccount("658000", "Charges diverses de gestion courante"),
    # Class 7.
    ChartAccount("706000", "Prestations de services — mises à disposition", "sales_other"),
    ChartAccount("740000", "Subventions d'exploitation", "subsidy"),
    ChartAccount("756000", "Cotisations", "fee"),
    ChartAccount("758000", "Produits divers de gestion courante", "other_income"),
    # Late-payment penalties invoiced to members (art. L441-10 C. com.): interest on a
    # receivable, financial income (PCG 763 « Revenus des autres créances »).
    ChartAccount("763800", "Revenus des autres créances — pénalités de retard", "late_penalties"),
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
