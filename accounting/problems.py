"""What is wrong with an input, and the one error that carries it (ARCHITECTURE §5).

Checks return *every* :class:`Problem` at once (``check_x(...) -> list[Problem]``), so the
accountant fixes a whole form or file in one pass; code that must refuse raises
:class:`ProblemsError` with that list. Pure: the forms, the imports, the close and the ledger
all speak this shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

Where = int | str


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem, in French for the reader.

    ``field`` is the form field or file column it belongs to (None: the whole input);
    ``row`` where it was found: a file's line (the header being line 1), an entry's line, an
    item of a posted list, a grid cell's name; ``rows`` every row concerned when the rule is
    about a total (a day, a week); ``blocking`` False for a warning that does not refuse.
    """

    field: str | None
    message: str
    row: Where | None = None
    rows: tuple[Where, ...] = ()
    blocking: bool = True

    def __str__(self) -> str:
        return self.message


class ProblemsError(ValueError):
    """Refused, with every problem found; ``str()`` joins the blocking messages."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(p.message for p in self.problems if p.blocking))

    @classmethod
    def single(cls, message: str, field: str | None = None) -> ProblemsError:
        """The error of one problem: ``raise ProblemsError.single("date manquante")``."""
        return cls([Problem(field, message)])
