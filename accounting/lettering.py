"""Lettrage of the members' receivable accounts (FEC EcritureLet / DateLet, art. A47 A-1 LPF).

Pure: the 411 lines of one auxiliary account, each naming the document it comes from (an
invoice, a credit note, a payment), and the links the software keeps between documents (a
payment allocated to an invoice, a credit note applied to an invoice). Documents joined by
links form a group; a group whose lines net to zero (debits = credits, to the cent) is
*lettered*: its lines share a code, and DateLet is the latest date in the group (the day the
last line that completes it was booked). A partly settled group gets no code.

Codes are given per auxiliary account in a deterministic order — by the group's completion
date, then its smallest entry number — as ``AA``, ``AB`` … ``ZZ``, ``AAA`` …: the same books
always give the same codes, and a new group can only come after the ones completed before it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from accounting.money import ZERO

__all__ = [
    "Letter",
    "LetteringLine",
    "letter_account",
    "lettering_code",
]

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class LetteringLine:
    """One line of a receivable account: ``line_id`` is the caller's handle (returned with
    the code), ``document`` the document it comes from (``("invoice", 12)``…)."""

    line_id: Hashable
    document: Hashable
    entry_number: str
    day: date
    debit: Decimal
    credit: Decimal


@dataclass(frozen=True)
class Letter:
    """The code of a lettered group, its DateLet (the latest date) and its first date."""

    code: str
    day: date
    first_day: date


def lettering_code(index: int) -> str:
    """The code of the ``index``-th group (from 0): AA, AB … AZ, BA … ZZ, then AAA …"""
    if index < 0:
        raise ValueError("a lettering index is >= 0")
    width, size = 2, 26**2
    while index >= size:
        index -= size
        width += 1
        size = 26**width
    letters = []
    for _ in range(width):
        index, rest = divmod(index, 26)
        letters.append(_ALPHABET[rest])
    return "".join(reversed(letters))


class _Groups:
    """Union-find over document keys."""

    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}

    def find(self, key: Hashable) -> Hashable:
        self.parent.setdefault(key, key)
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:  # path compression
            self.parent[key], key = root, self.parent[key]
        return root

    def join(self, a: Hashable, b: Hashable) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[root_b] = root_a


def letter_account(
    lines: Sequence[LetteringLine], links: Iterable[tuple[Hashable, Hashable]]
) -> dict[Hashable, Letter]:
    """The code of every lettered line of one auxiliary account, by ``line_id``.

    A group is lettered when it holds at least two lines and they net to zero; lines of a
    partly settled group, and lines no link reaches, are left out of the result."""
    groups = _Groups()
    for line in lines:
        groups.find(line.document)
    for a, b in links:
        groups.join(a, b)
    members: dict[Hashable, list[LetteringLine]] = defaultdict(list)
    for line in lines:
        members[groups.find(line.document)].append(line)
    complete = [
        group
        for group in members.values()
        if len(group) >= 2 and sum((ln.debit - ln.credit for ln in group), ZERO) == ZERO
    ]
    complete.sort(
        key=lambda group: (max(ln.day for ln in group), min(ln.entry_number for ln in group))
    )
    out: dict[Hashable, Letter] = {}
    for index, group in enumerate(complete):
        letter = Letter(
            lettering_code(index), max(ln.day for ln in group), min(ln.day for ln in group)
        )
        for ln in group:
            out[ln.line_id] = letter
    return out
