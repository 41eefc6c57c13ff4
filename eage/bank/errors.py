"""The one error of the bank area: every reason at once, in French."""

from __future__ import annotations


class BankError(ValueError):
    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))
