"""When a difference is worth reporting, and how bad it is: thresholds per statistic, and the findings they give.

A statistic gets the highest severity whose threshold it reaches (info, warning, error); zero is never a
finding. The defaults, and why:

* ``rows``: relative change of a table's row count, |B - A| / A. Any change is info (a re-extracted copy
  should match exactly); 1% a warning; 5% an error (a lost file chunk, a failed partition, a filter).
* ``keys``: Jaccard distance of a key set, (only in A + only in B) / in either. Any change is info; 1% a
  warning; 5% an error (patients, stays or items gained or lost wholesale).
* ``null_rate``: absolute change of a column's share of NULLs. 0.001 (a tenth of a percentage point) info;
  0.05 warning; 0.10 error (an ETL that stopped filling a column).
* ``tvd`` (categorical columns), ``item_mix`` (the mix of items of an EAV table), ``item_units`` (an item's
  units): total variation distance, the share of rows that would have to change category. Exact; 0.01 info;
  0.1 warning; 0.2 error, the usual cut-offs for "a different distribution" in drift monitoring.
* ``ks`` (numeric and temporal columns), ``length_ks`` (lengths of text), ``item_ks`` (an item's measure):
  Kolmogorov-Smirnov distance, the largest gap between the two cumulative distributions. Estimated from
  quantile sketches to within about 0.01 to 0.02, 0.03 between a DuckDB and a PostgreSQL copy (see
  ``statistics``), so info starts at 0.05; 0.1 warning; 0.2 error. An estimate from n values is judged less
  1 / (2n), the gap the engines' quantile conventions alone can make (``statistics.convention_margin``): the
  same 2 values on DuckDB and on PostgreSQL otherwise read as a KS distance of 0.25.
* ``min_values`` (50): distributions estimated from fewer values in either copy are too noisy to judge (two
  samples of 50 from the same distribution differ by a KS distance of 0.27 one time in twenty, and sketches
  of few values round by up to 1 / (2n)); such a statistic is no finding below its warning threshold and
  an info finding above it.

Structural changes have fixed severities: a table missing or unreadable in one copy, a column removed,
renamed, re-spelled or stored as another kind, values that no longer parse: error (queries and loaders
break); a column added or the columns reordered: warning.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from mimic_qa.spec.models import Severity


class Levels(BaseModel):
    """Thresholds of one statistic: the value from which it is info, a warning, an error (None: never)."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_serialization_defaults_required=True)

    info: float | None = 0.0
    warning: float | None = None
    error: float | None = None

    def severity(self, value: float | None) -> tuple[Severity, float] | None:
        """The severity a value reaches and the threshold it reached, or None."""
        if value is None or value <= 0:
            return None
        for name in ("error", "warning", "info"):
            limit = getattr(self, name)
            if limit is not None and value >= limit:
                return name, limit
        return None


def _levels(info: float, warning: float, error: float) -> Levels:
    return Levels(info=info, warning=warning, error=error)


class Thresholds(BaseModel):
    """Thresholds for every statistic diff flags (see the module docstring for the reasons)."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_serialization_defaults_required=True)

    rows: Levels = _levels(0.0, 0.01, 0.05)
    keys: Levels = _levels(0.0, 0.01, 0.05)
    null_rate: Levels = _levels(0.001, 0.05, 0.10)
    tvd: Levels = _levels(0.01, 0.1, 0.2)
    ks: Levels = _levels(0.05, 0.1, 0.2)
    length_ks: Levels = _levels(0.05, 0.1, 0.2)
    item_mix: Levels = _levels(0.01, 0.1, 0.2)
    item_ks: Levels = _levels(0.05, 0.1, 0.2)
    item_units: Levels = _levels(0.01, 0.1, 0.2)
    min_values: int = 50

    def with_levels(self, statistic: str, warning: float, error: float) -> Thresholds:
        """A copy with the warning and error thresholds of one statistic replaced."""
        if statistic not in STATISTICS:
            raise ValueError(f"unknown statistic {statistic!r}; choose from {', '.join(STATISTICS)}")
        old: Levels = getattr(self, statistic)
        info = old.info if old.info is None or old.info <= warning else warning
        return self.model_copy(update={statistic: Levels(info=info, warning=warning, error=error)})


STATISTICS = tuple(n for n in Thresholds.model_fields if n != "min_values")
