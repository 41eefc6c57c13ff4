"""Pure payroll domain: French payslip computation from yearly rate tables. No Flask here."""
