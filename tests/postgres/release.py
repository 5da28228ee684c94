"""A tiny release directory written from the spec, for load tests (not realistic data: valid keys only).

Row ``k`` (1-based) of every filled table holds ``k`` in every column, rendered for the column's kind
(``"k"`` for integers and strings, a date ``k`` days after 2150-01-01, ...). Because every key column
of row ``k`` holds the same ``k``, primary keys are unique and every declared foreign key finds its
row, as long as the referenced table is filled with at least as many rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from collections.abc import Iterable, Mapping
from pathlib import Path

from mimic_qa.spec import Column, Spec

EPOCH = dt.datetime(2150, 1, 1)


def value(column: Column, k: int) -> str:
    """The CSV text of row ``k`` for ``column``."""
    if column.kind == "float":
        return f"{k}.5"
    if column.kind == "date":
        return (EPOCH + dt.timedelta(days=k)).date().isoformat()
    if column.kind == "timestamp":
        return (EPOCH + dt.timedelta(hours=k)).strftime("%Y-%m-%d %H:%M:%S")
    return str(k)


def write_release(
    root: Path,
    spec: Spec,
    *,
    filled: Iterable[str] = (),
    n_rows: int = 3,
    first_row: Mapping[tuple[str, str], str] | None = None,
    plain: Iterable[str] = (),
) -> Path:
    """Write all spec tables under ``root``: ``filled`` ones with ``n_rows`` rows, the rest header-only.

    ``first_row[(table, column)]`` replaces that cell of row 1; tables in ``plain`` are written as
    ``.csv`` instead of ``.csv.gz``.
    """
    filled, plain, first_row = set(filled), set(plain), dict(first_row or {})
    for name, table in spec.tables.items():
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(table.column_names)
        for k in range(1, n_rows + 1 if name in filled else 1):
            writer.writerow([first_row.get((name, c.name), value(c, k)) if k == 1 else value(c, k)
                             for c in table.columns])
        folder = root / table.module
        folder.mkdir(parents=True, exist_ok=True)
        data = buf.getvalue().encode("utf-8")
        if name in plain:
            (folder / f"{name}.csv").write_bytes(data)
        else:
            (folder / f"{name}.csv.gz").write_bytes(gzip.compress(data))
    return root
