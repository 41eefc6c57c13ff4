"""How the general employer reduction is imputed on the bodies that collect the contributions
it covers (what the DSN declares): the Agirc-Arrco share and the URSSAF share.

urssaf.fr « Réduction générale — Étape 3 : règles d'imputation du montant de la réduction » (art.
L241-13 VIII CSS): the reduction is charged on the URSSAF contributions in proportion to their
rates in the coefficient, and the rest on the complementary-retirement contributions:
``reduction × 0.0601 ÷ T`` (T = 0.3194 under 50 staff in 2025; the RGDU of 2026 takes its
maximum Tmin + Tdelta, 0.3981 / 0.4021). 0.0601 is the Agirc-Arrco employer rate the
coefficient takes in (T1 4.72 % + CEG 1.29 %), ``reduction.retirement_share_rate`` in the yearly
TOML. The amounts themselves are rounded by the posting rule (accounting.ledger.reduction_split).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .params import YearParams

__all__ = ["reduction_max_coefficient", "reduction_retirement_ratio"]


def reduction_max_coefficient(params: YearParams, day: date, *, large_employer: bool) -> Decimal:
    """T, the coefficient's maximum on ``day``: Tmin + Tdelta (RGDU) or T (« Fillon »), for
    an employer under 50 staff or from 50 (FNAL at 0.50 %)."""
    reduction = params.reduction
    if reduction.kind == "rgdu":
        tdelta = reduction.value("tdelta_large" if large_employer else "tdelta_small", day)
        return reduction.value("tmin", day) + tdelta
    return reduction.value("t_large" if large_employer else "t_small", day)


def reduction_retirement_ratio(params: YearParams, day: date, *, large_employer: bool) -> Decimal:
    """The share of the reduction charged on the Agirc-Arrco contributions: the Agirc-Arrco
    employer rate taken into the coefficient ÷ the coefficient's maximum (unrounded; the
    amount is rounded half-up to the cent)."""
    rate = params.reduction.value("retirement_share_rate", day)
    return rate / reduction_max_coefficient(params, day, large_employer=large_employer)
