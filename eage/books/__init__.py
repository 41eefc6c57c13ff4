"""The books: chart of accounts, journal entries, inalterability chain, FEC, ledgers.

One job per module: ``chart`` (the chart of accounts), ``posting`` (the documents' entries),
``entries`` (typed OD entries and the journals), ``chain`` (sealing at commit), ``integrity``
(re-walking the chain), ``fec`` (the year's FEC), ``ledgers`` (balance, ledgers,
cross-checks), ``xlsx`` (their workbooks); ``errors`` holds the refusal they share."""
