"""Pure payroll domain: French payslip computation from yearly rate tables. No Flask here."""

from .compute import (
    PayrollError,
    compute_payslip,
    fillon_coefficient,
    prorated_ceiling,
    rgdu_coefficient,
    simulate,
    split_extra_hours,
)
from .model import (
    HEADINGS,
    ContractTerms,
    EarningLine,
    EmployerSettings,
    PayslipLine,
    PayslipResult,
    RgduYtd,
    WorkedTime,
)
from .params import ParamsError, YearParams, load_params, load_params_file

__all__ = [
    "HEADINGS",
    "ContractTerms",
    "EarningLine",
    "EmployerSettings",
    "ParamsError",
    "PayslipLine",
    "PayslipResult",
    "PayrollError",
    "RgduYtd",
    "WorkedTime",
    "YearParams",
    "compute_payslip",
    "fillon_coefficient",
    "load_params",
    "load_params_file",
    "prorated_ceiling",
    "rgdu_coefficient",
    "simulate",
    "split_extra_hours",
]
