"""The known quirks of the real release, reproduced at their documented rates (never above tolerance)."""

from __future__ import annotations

import math

from mimic_qa.spec import Spec
from mimic_qa.spec.models import Quirk

SUPPRESSED_COUNT = 5  # "<11" (small-cell suppression): use the middle of 1..10


def quirk_rows(spec: Spec, q: Quirk, table: str, n_rows: int) -> int:
    """How many of ``n_rows`` rows carry quirk ``q``: the real rate, at least one where the quirk tolerates it."""
    full = spec.project_of(table).default_release  # the full release whose counts the quirk records
    real = q.rows.get(full)
    if real is None:
        rate = q.synth_rate or 0.0  # the spec's rate for a quirk whose count is not published
    else:
        count = SUPPRESSED_COUNT if isinstance(real, str) else int(real)
        rate = count / spec.release(full).row_counts[table]
    k = math.floor(rate * n_rows)
    if q.min_rows >= 1:
        k = max(k, 1)
    return max(0, min(k, q.tolerance(n_rows), n_rows - 1))


def table_quirks(spec: Spec, table: str, n_rows: int) -> dict[str, int]:
    """check id -> rows to generate with that quirk, for one table."""
    t = spec.tables[table]
    prefix = f"{t.module}.{table}."
    return {q.check: quirk_rows(spec, q, table, n_rows) for q in spec.quirks if q.check.startswith(prefix)}
