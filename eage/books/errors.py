"""The books' refusal: every problem of a request at once, in French, shown as it is."""

from __future__ import annotations

from accounting import ledger


class BooksError(ValueError):
    """A request the rules refuse; the messages are French and shown as they are."""

    def __init__(self, problems: list[ledger.Problem] | list[str] | str) -> None:
        if isinstance(problems, str):
            problems = [problems]
        self.problems = [
            p if isinstance(p, ledger.Problem) else ledger.Problem(None, p) for p in problems
        ]
        super().__init__("; ".join(self.messages()))

    def messages(self) -> list[str]:
        """Each problem as the user reads it: ``ligne 3 : …`` when it has a line."""
        return [
            p.message if p.line is None else f"ligne {p.line} : {p.message}" for p in self.problems
        ]
