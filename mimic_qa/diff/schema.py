"""Pair the columns of a table in two copies and say how the headers differ.

Columns pair up, in this order, by: the same name; the same name up to case, spaces and underscores
(re-spelled); the same place in headers of equal length, when neither name has a partner (renamed). What is
left is removed (only in A) or added (only in B). Paired columns that moved relative to each other are the
columns outside the longest run kept in the same order (reordered).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from mimic_qa.diff.model import Header, Pair
from mimic_qa.diff.sides import StoredColumn


@dataclass(frozen=True)
class Paired:
    """One column of the comparison: its name in each copy (None where it is absent)."""

    name: str  # A's name, else B's
    a: StoredColumn | None
    b: StoredColumn | None


def _norm(name: str) -> str:
    return re.sub(r"[\s_\"']+", "", name).lower()


def pair_columns(a: list[StoredColumn], b: list[StoredColumn]) -> tuple[list[Paired], Header]:
    """The columns of both headers paired (A's order, then columns only in B), and the header differences."""
    partner: dict[int, int] = {}  # index in a -> index in b
    how: dict[int, str] = {}
    b_names = {c.name: j for j, c in enumerate(b)}
    for i, c in enumerate(a):
        if c.name in b_names:
            partner[i], how[i] = b_names[c.name], "same"
    free_b = [j for j in range(len(b)) if j not in partner.values()]
    for i, c in enumerate(a):
        if i in partner:
            continue
        match = [j for j in free_b if _norm(b[j].name) == _norm(c.name)]
        if len(match) == 1:
            partner[i], how[i] = match[0], "respelled"
            free_b.remove(match[0])
    if len(a) == len(b):
        for i in range(len(a)):
            if i not in partner and i in free_b:
                partner[i], how[i] = i, "renamed"
                free_b.remove(i)

    header = Header(columns_a=[c.name for c in a], columns_b=[c.name for c in b])
    pairs: list[Paired] = []
    for i, c in enumerate(a):
        j = partner.get(i)
        pairs.append(Paired(c.name, c, b[j] if j is not None else None))
        if j is None:
            header.removed.append(c.name)
        elif how[i] == "respelled":
            header.respelled.append(Pair(a=c.name, b=b[j].name))
        elif how[i] == "renamed":
            header.renamed.append(Pair(a=c.name, b=b[j].name))
    for j in free_b:
        pairs.append(Paired(b[j].name, None, b[j]))
        header.added.append(b[j].name)
    order = [(partner[i], a[i].name) for i in range(len(a)) if i in partner]
    header.reordered = _moved(order)
    return pairs, header


def _moved(order: list[tuple[int, str]]) -> list[str]:
    """Names outside a longest increasing run of B positions (in A's order)."""
    tails: list[int] = []  # patience sorting: tails[k] = smallest end of an increasing run of length k + 1
    tail_at: list[int] = []
    parent: list[int] = [-1] * len(order)
    for idx, (pos, _) in enumerate(order):
        k = bisect_left(tails, pos)
        if k == len(tails):
            tails.append(pos)
            tail_at.append(idx)
        else:
            tails[k], tail_at[k] = pos, idx
        parent[idx] = tail_at[k - 1] if k else -1
    kept: set[int] = set()
    idx = tail_at[-1] if tail_at else -1
    while idx != -1:
        kept.add(idx)
        idx = parent[idx]
    return [name for i, (_, name) in enumerate(order) if i not in kept]
