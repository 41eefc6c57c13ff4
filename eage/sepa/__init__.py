"""SEPA files out: members' direct debits (pain.008) and the payroll's credit transfers
(pain.001), with the mandates and batches behind them (issue 16)."""
