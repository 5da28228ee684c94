"""Counting in a release copy's files with the standard library: the truths the damage tests compare validate
with (rows, key values held twice, times)."""

from __future__ import annotations

import gzip
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from tests.damage import ReleaseCopy

HOUR = timedelta(hours=1)


def when(text: str) -> datetime:
    return datetime.fromisoformat(text)


class Files:
    """The rows of a copy's tables, read once each after the damage (values as text; raw fields kept)."""

    def __init__(self, *copies: ReleaseCopy) -> None:
        self.copies = copies
        self._cache: dict[str, tuple[list[str], list[list[str]]]] = {}
        self._rows: dict[str, list[dict[str, str]]] = {}

    def raw(self, table: str) -> tuple[list[str], list[list[str]]]:
        if table not in self._cache:
            copy = next(c for c in self.copies if any(c.root.glob(f"*/{table}.csv*")))
            self._cache[table] = copy.records(table)
        return self._cache[table]

    def rows(self, table: str) -> list[dict[str, str]]:
        if table not in self._rows:
            header, records = self.raw(table)
            self._rows[table] = [{h: (f[1:-1].replace('""', '"') if f.startswith('"') else f)
                                  for h, f in zip(header, r)} for r in records]
        return self._rows[table]

    def column(self, table: str, name: str) -> list[str]:
        """The raw fields of one column (``""`` quoted empty, ``''`` NULL)."""
        header, records = self.raw(table)
        at = [h.lower() for h in header].index(name)
        return [r[at] for r in records]


def published_rows(demo: Path, table: str) -> int:
    """Data rows of the table's file in the untouched demo (no quoted newline in these tables)."""
    path = next(demo.glob(f"*/{table}.csv.gz"))
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return sum(1 for _ in fh) - 1


def duplicated_keys(rows: list[dict[str, str]], key: list[str], with_nulls: bool) -> int:
    """Key values held by more than one row; ``with_nulls``: also each key with an empty (NULL) part (a primary
    key), else rows with a NULL part are not compared (a candidate key)."""
    counts = Counter(tuple(r[k] for k in key) for r in rows)
    return sum(1 for k, n in counts.items() if (n > 1 or (with_nulls and "" in k)) and (with_nulls or "" not in k))
