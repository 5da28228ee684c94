"""What diff found, as data: the JSON file, the reports and the Python API all read these models.

Without ``show_values`` the models hold column names, item ids, counts, rates and distances only; the fields
that carry values from the data (quantiles, means, category values, units) stay None. With it they are filled,
and every count below ``small_cell_minimum`` is suppressed (the value is left out, its count is not shown).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mimic_qa.diff.roles import Role
from mimic_qa.diff.thresholds import Thresholds
from mimic_qa.spec.severity import Severity as Level
from mimic_qa.spec.models import Severity

SMALL_CELL_MINIMUM = 10


class _Model(BaseModel):
    # the docstrings document the JSON fields; every field is written, defaults included
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True,
                              json_schema_serialization_defaults_required=True)


class Copy(_Model):
    """One of the two copies compared."""

    location: str
    """A path, or a PostgreSQL URL without its password."""
    kind: str
    """Release folder | DuckDB database | Parquet folder | PostgreSQL database."""
    release: str | None = None
    """The release it says it is (synthetic release file, demo marker, mimic-qa's record)."""
    synthetic: bool = False
    """Made by mimic-qa synth."""


class Category(_Model):
    """A categorical value and how often it occurs (only with show_values, counts of at least 10)."""

    value: str
    count: int


class ColumnProfile(_Model):
    """One column in one copy."""

    rows: int
    nulls: int
    null_rate: float
    distinct: int | None = None
    """Approximate in DuckDB (HyperLogLog, about 2% error), exact in PostgreSQL."""
    # values from the data: only with show_values, small cells suppressed
    quantiles: dict[str, float] | None = None
    """Quantile ("p50") -> value (seconds since 1970 for dates and times)."""
    length_quantiles: dict[str, float] | None = None
    """Of string lengths."""
    mean: float | None = None
    sd: float | None = None
    top: list[Category] | None = None
    """Most frequent categories, at least 10 rows each."""
    suppressed_categories: int | None = None
    """Categories left out of ``top`` by the small-cell rule."""


class Shape(_Model):
    """Two distributions side by side, as the share of each copy's values per bin. Numeric and temporal values:
    bins between both copies' 5% quantiles, from the smallest value of either copy to the largest; categorical
    values: the most frequent categories, then all others. Shares, not values: ``labels`` (bin edges, category
    values) only with show_values."""

    a: list[float]
    b: list[float]
    labels: list[str] | None = None

    @field_validator("a", "b")
    @classmethod
    def _rounded(cls, shares: list[float]) -> list[float]:
        return [round(x, 4) for x in shares]


class ColumnDiff(_Model):
    """One column compared: its profile in each copy and the drift statistic of its role."""

    name: str
    """The name in copy A (in B when the column is only there)."""
    name_b: str | None = None
    """B's spelling when it differs."""
    role: Role | None
    """None when the copies store it as different kinds (see the table's retyped columns)."""
    a: ColumnProfile | None = None
    """None: the column is not in A."""
    b: ColumnProfile | None = None
    null_rate_delta: float | None = None
    """|null rate B - null rate A|."""
    tvd: float | None = None
    """Categorical: total variation distance of the value frequencies (NULLs excluded)."""
    ks: float | None = None
    """Numeric, temporal: Kolmogorov-Smirnov distance (from quantile sketches)."""
    length_ks: float | None = None
    """Text, free text: Kolmogorov-Smirnov distance of value lengths."""
    shape: Shape | None = None
    """For the pictures."""


class KeySet(_Model):
    """Distinct keys of a column group in each copy, and how many are only in one (exact)."""

    columns: list[str]
    distinct_a: int
    distinct_b: int
    only_a: int
    only_b: int
    jaccard_distance: float
    """(only_a + only_b) / keys in either copy."""
    only_a_ids: list[int] | None = None
    """Item ids (identifiers, always shown): first 50 only in A."""
    only_b_ids: list[int] | None = None


class ItemDiff(_Model):
    """One item of an EAV table compared between the copies."""

    itemid: int
    rows_a: int
    rows_b: int
    share_a: float
    """Of the table's rows."""
    share_b: float
    values_a: int
    """Rows with a non-NULL measure."""
    values_b: int
    ks: float | None = None
    """Of the measure, from quantile sketches."""
    unit_tvd: float | None = None
    """Total variation distance of the unit frequencies (NULL unit included)."""
    units_a: int | None = None
    """Distinct units."""
    units_b: int | None = None
    # values from the data: only with show_values, small cells suppressed
    quantiles_a: dict[str, float] | None = None
    quantiles_b: dict[str, float] | None = None
    top_unit_a: str | None = None
    """The most frequent unit, when at least 10 rows carry it."""
    top_unit_b: str | None = None
    shape: Shape | None = None


class Items(_Model):
    """Per-item statistics of an EAV table."""

    item: str
    """The item column (itemid)."""
    measure: str
    """Valuenum, value or amount."""
    unit: str | None
    """Valueuom / amountuom."""
    items_a: int
    items_b: int
    mix_tvd: float
    """Total variation distance of the item shares: how the mix of items changed."""
    items: list[ItemDiff]


class Pair(_Model):
    a: str
    b: str


class Retyped(_Model):
    column: str
    kind_a: str
    kind_b: str
    type_a: str
    type_b: str


class Header(_Model):
    """How the table's columns differ: names, spellings, kinds and order; values that did not parse."""

    columns_a: list[str]
    columns_b: list[str]
    added: list[str] = Field(default_factory=list)
    """Only in B."""
    removed: list[str] = Field(default_factory=list)
    """Only in A."""
    respelled: list[Pair] = Field(default_factory=list)
    """Same name up to case, spaces and underscores (a header naming a spec column in other letter case is read
    as that column, as validate reads it: no change)."""
    renamed: list[Pair] = Field(default_factory=list)
    """A different name at the same place."""
    retyped: list[Retyped] = Field(default_factory=list)
    reordered: list[str] = Field(default_factory=list)
    """Columns that moved relative to the others."""
    unparsed_a: dict[str, int] = Field(default_factory=dict)
    """Values that do not parse as the spec's type."""
    unparsed_b: dict[str, int] = Field(default_factory=dict)
    malformed_a: int = 0
    """CSV lines that could not be read."""
    malformed_b: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.respelled or self.renamed or self.retyped or self.reordered
                    or self.unparsed_a or self.unparsed_b or self.malformed_a or self.malformed_b)


class TableDiff(_Model):
    """One table compared."""

    name: str
    module: str
    in_a: bool
    """The table is in copy A."""
    in_b: bool
    unreadable_a: str | None = None
    """One-line reason."""
    unreadable_b: str | None = None
    rows_a: int | None = None
    """Rows in A (None: not read)."""
    rows_b: int | None = None
    header: Header | None = None
    keys: list[KeySet] = Field(default_factory=list)
    columns: list[ColumnDiff] = Field(default_factory=list)
    items: Items | None = None

    @property
    def compared(self) -> bool:
        return self.rows_a is not None and self.rows_b is not None

    def column(self, name: str) -> ColumnDiff:
        for c in self.columns:
            if name in (c.name, c.name_b):
                return c
        raise KeyError(f"{self.name} has no column {name!r} in either copy")


class Finding(_Model):
    """A statistic at or above a threshold (or a structural change), with its severity."""

    severity: Severity
    table: str
    column: str | None = None
    item: int | None = None
    """The itemid, for a per-item statistic of an EAV table."""
    statistic: str
    """Rows, keys, null_rate, tvd, ks, length_ks, item_mix, item_ks, item_units, schema.*, table."""
    value: float | None = None
    threshold: float | None = None
    message: str
    """Counts and distances only."""


class Statistic(_Model):
    """One drift statistic, flat: what ``DiffResult.statistics()`` yields for thresholding from Python."""

    table: str
    column: str | None
    item: int | None
    statistic: str
    value: float
    n_a: int
    """Values it is computed from, in each copy."""
    n_b: int


class DiffResult(_Model):
    """Everything ``mimic-qa diff`` found; ``findings`` judged with ``thresholds``."""

    tool: str = "mimic-qa"
    tool_version: str
    command: str
    """The command line (passwords redacted)."""
    a: Copy
    """Copy A, the reference."""
    b: Copy
    """Copy B, compared with A."""
    started_at: str
    """ISO 8601 time, UTC."""
    finished_at: str
    duration_seconds: float
    show_values: bool
    """Run with --show-values: the fields that carry values from the data are filled."""
    small_cell_minimum: int = SMALL_CELL_MINIMUM
    """Counts below this are suppressed (the small-cell rule)."""
    fail_on: Severity = "error"
    """The gate: a finding at this severity or worse makes the verdict 'drift' (exit 1)."""
    thresholds: Thresholds
    """The thresholds the findings were judged with."""
    tables: list[TableDiff]
    findings: list[Finding]
    """Statistics at or above a threshold, and structural changes, worst first."""
    summary: dict[str, int] = Field(default_factory=dict)
    """tables, compared (tables read in both copies), error, warning, info (findings by severity), blocking
    (findings at or above fail_on)."""

    @property
    def ok(self) -> bool:
        """No finding at or above ``fail_on``."""
        return not self.blocking

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if Level(f.severity).reaches(self.fail_on)]

    @property
    def verdict(self) -> Literal["same", "drift"]:
        return "same" if self.ok else "drift"

    def table(self, name: str) -> TableDiff:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(f"table {name!r} was not compared")

    def column(self, table: str, column: str) -> ColumnDiff:
        return self.table(table).column(column)

    def statistics(self) -> Iterator[Statistic]:
        """Every drift statistic computed, one record each (row counts, key sets, null rates, TVD, KS, items)."""
        for t in self.tables:
            if not t.compared:
                continue
            assert t.rows_a is not None and t.rows_b is not None
            yield Statistic(table=t.name, column=None, item=None, statistic="rows",
                            value=relative_change(t.rows_a, t.rows_b), n_a=t.rows_a, n_b=t.rows_b)
            for k in t.keys:
                yield Statistic(table=t.name, column="+".join(k.columns), item=None, statistic="keys",
                                value=k.jaccard_distance, n_a=k.distinct_a, n_b=k.distinct_b)
            for c in t.columns:
                if c.a is None or c.b is None:
                    continue
                n_a, n_b = c.a.rows - c.a.nulls, c.b.rows - c.b.nulls
                if c.null_rate_delta is not None:
                    yield Statistic(table=t.name, column=c.name, item=None, statistic="null_rate",
                                    value=c.null_rate_delta, n_a=c.a.rows, n_b=c.b.rows)
                for name in ("tvd", "ks", "length_ks"):
                    value = getattr(c, name)
                    if value is not None:
                        yield Statistic(table=t.name, column=c.name, item=None, statistic=name, value=value,
                                        n_a=n_a, n_b=n_b)
            if t.items is not None:
                yield Statistic(table=t.name, column=t.items.item, item=None, statistic="item_mix",
                                value=t.items.mix_tvd, n_a=t.rows_a, n_b=t.rows_b)
                for i in t.items.items:
                    if i.ks is not None:
                        yield Statistic(table=t.name, column=t.items.measure, item=i.itemid, statistic="item_ks",
                                        value=i.ks, n_a=i.values_a, n_b=i.values_b)
                    if i.unit_tvd is not None:
                        yield Statistic(table=t.name, column=t.items.unit, item=i.itemid, statistic="item_units",
                                        value=i.unit_tvd, n_a=i.rows_a, n_b=i.rows_b)


def relative_change(a: int, b: int) -> float:
    """|B - A| / A; infinite when A is empty and B is not."""
    if a == 0:
        return 0.0 if b == 0 else float("inf")
    return abs(b - a) / a
