"""Pure accounting domain: money, allocation, invoicing rules, ledger, FEC. No Flask here."""
