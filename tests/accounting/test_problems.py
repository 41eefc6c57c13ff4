"""The one problem shape and the error carrying them (accounting/problems.py)."""

from __future__ import annotations

import pytest

from accounting.problems import Problem, ProblemsError


def test_a_problem_reads_as_its_message() -> None:
    problem = Problem("hours", "durée manquante", row=3)
    assert str(problem) == "durée manquante"
    assert (problem.field, problem.row, problem.rows, problem.blocking) == ("hours", 3, (), True)


def test_the_error_carries_every_problem_and_says_the_blocking_ones() -> None:
    problems = [
        Problem(None, "pas de taux horaire"),
        Problem(None, "un avertissement", blocking=False),
        Problem("siret", "SIRET manquant"),
    ]
    error = ProblemsError(problems)
    assert error.problems == problems
    assert str(error) == "pas de taux horaire; SIRET manquant"
    assert isinstance(error, ValueError)


def test_single() -> None:
    with pytest.raises(ProblemsError, match=r"^date manquante$") as caught:
        raise ProblemsError.single("date manquante", "date")
    assert caught.value.problems == [Problem("date", "date manquante")]
