"""The books: chart of accounts, journal entries, inalterability chain, FEC, ledgers."""
