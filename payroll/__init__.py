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
    Contract,
    EarningLine,
    EmployerSettings,
    Payslip,
    PayslipLine,
    RgduYtd,
    WorkedTime,
)
from .params import ParamsError, YearParams, load_params, load_params_file

__all__ = [
    "HEADINGS",
    "Contract",
    "EarningLine",
    "EmployerSettings",
    "ParamsError",
    "Payslip",
    "PayslipLine",
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
