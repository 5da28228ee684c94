"""The known quirks of the real release, reproduced at their documented rates (never above tolerance)."""

from __future__ import annotations

import math

from mimic_qa.spec import Spec
from mimic_qa.spec.models import Quirk

# Quirks whose count is not published for v3.1: the rate used (from the quirk's own description or
# the cited source). emar_detail's rate is v2.0's 3,700 duplicates over its 54,744,789 rows.
UNPUBLISHED_RATES = {
    "hosp.emar_detail.unique.emar_id_parent_field_ordinal": 3700 / 54744789,
    "icu.chartevents.unique.stay_id_charttime_itemid": 0.0002,
    "icu.datetimeevents.rule.charttime_le_storetime": 0.046,
    "hosp.emar.rule.charttime_le_storetime": 0.034,
    "hosp.prescriptions.empty_string.drug": 0.0,
}
SUPPRESSED_COUNT = 5  # "<11" (small-cell suppression): use the middle of 1..10


def quirk_rows(spec: Spec, q: Quirk, table: str, n_rows: int) -> int:
    """How many of ``n_rows`` rows carry quirk ``q``: the real rate, at least one where the quirk tolerates it."""
    real = q.rows.get("3.1")
    if real is None:
        rate = UNPUBLISHED_RATES.get(q.check, 0.0)
    else:
        count = SUPPRESSED_COUNT if isinstance(real, str) else int(real)
        rate = count / spec.release("3.1").row_counts[table]
    k = math.floor(rate * n_rows)
    if q.min_rows >= 1:
        k = max(k, 1)
    return max(0, min(k, q.tolerance(n_rows), n_rows - 1))


def table_quirks(spec: Spec, table: str, n_rows: int) -> dict[str, int]:
    """check id -> rows to generate with that quirk, for one table."""
    t = spec.tables[table]
    prefix = f"{t.module}.{table}."
    return {q.check: quirk_rows(spec, q, table, n_rows) for q in spec.quirks if q.check.startswith(prefix)}
