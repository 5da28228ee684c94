"""Profile one table of one copy, in the engine: what diff reads from the data.

Per table, on the parsed table (a release folder's file is parsed once) or in place (databases):

1. one aggregate pass for every column: rows, non-NULL values, distinct values, a quantile sketch of each
   numeric and temporal column and of the lengths of each text column, mean and standard deviation. In
   DuckDB the sketches of a table over ``SAMPLE_ROWS`` rows take a sample of about that many rows chosen by
   a hash of the row's identifiers and times (the same rows in two identical copies; the sampling error of
   a KS distance from a million rows is about 0.001, a tenth of the sketch's own);
2. one grouping-sets pass counting the values of the categorical columns (at most ``MAX_CATEGORIES``
   distinct values), stored as a frequency table in the workspace (string columns over the limit get a
   length sketch in a narrow pass instead);
3. for an EAV table, one grouped pass per item: rows, non-NULL measures, a quantile sketch of the measure,
   and its units;
4. the distinct keys of each compared key set, stored in the workspace.

Only counts, sketches and frequency tables come back; values stay in the engine and the workspace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mimic_qa.diff.roles import MAX_CATEGORIES, Kind, Role
from mimic_qa.diff.sides import Opened, Side
from mimic_qa.sources.dialects import Spelling
from mimic_qa.diff.statistics import GRID
from mimic_qa.sources.naming import quote_ident, quote_literal

SAMPLE_ROWS = 1_000_000  # quantile sketches of a bigger DuckDB table take every k-th row by hash, k = rows // this
SAMPLED = "_mimic_qa_sampled"


@dataclass(frozen=True)
class Planned:
    """A column to profile: its name in this copy, its name in the comparison, kind and role."""

    stored: str
    name: str
    kind: Kind | None
    role: Role | None  # None: categorical or text, decided by its distinct count


@dataclass(frozen=True)
class ItemPlan:
    item: str  # stored names
    measure: Planned
    unit: str | None


@dataclass(frozen=True)
class KeyPlan:
    columns: tuple[str, ...]  # names in the comparison
    stored: tuple[str, ...]
    kinds: tuple[Kind | None, ...]


@dataclass
class ColumnStats:
    non_null: int
    distinct: int | None
    quantiles: list[float] | None = None  # of the values (numeric, temporal) at GRID
    lengths: list[float] | None = None  # of the string lengths at GRID
    mean: float | None = None
    sd: float | None = None
    categorical: bool = False  # its frequencies are in the side's frequency table


@dataclass
class ItemStats:
    rows: int
    values: int
    quantiles: list[float] | None
    units: dict[str | None, int]


@dataclass
class TableProfile:
    """What one copy's table looks like, as far as diff reads it."""

    rows: int | None = None
    unreadable: str | None = None
    columns: dict[str, ColumnStats] = field(default_factory=dict)
    items: dict[int, ItemStats] | None = None
    keys: dict[tuple[str, ...], str] = field(default_factory=dict)  # key columns -> workspace table
    freq: str | None = None  # workspace table (col, value, n)
    unparsed: dict[str, int] = field(default_factory=dict)  # by stored column name
    malformed: int = 0


def _float(v: Any) -> float | None:
    return None if v is None else float(v)


def _floats(v: Any) -> list[float] | None:
    return None if v is None else [float(x) for x in v]


def _measure(d: Spelling, c: Planned) -> str:
    col = quote_ident(c.stored)
    return d.epoch(col) if c.role == "temporal" else col


def _sample_key(plan: list[Planned]) -> str:
    """What a row's sample membership hashes: its identifiers and times (nearly unique per row and cheap to
    hash), else every column. Identical rows fall in or out of the sample in both copies alike."""
    cols = [c for c in plan if c.role in ("identifier", "temporal")] or plan
    return ", ".join(quote_ident(c.stored) for c in cols)


def _sampled(plan: list[Planned], relation: str, sample: int) -> tuple[str, str]:
    """(FROM source, aggregate filter) taking every ``sample``-th row by a hash of its identifiers and times
    (nearly unique per row and cheap to hash; else of every column): identical rows fall in or out of the
    sample in both copies alike."""
    if sample == 1:
        return relation, ""
    cols = [c for c in plan if c.role in ("identifier", "temporal")] or plan
    key = ", ".join(quote_ident(c.stored) for c in cols)
    return f"(SELECT *, hash({key}) % {sample} = 0 AS {SAMPLED} FROM {relation})", f" FILTER (WHERE {SAMPLED})"


def column_sql(d: Spelling, relation: str, plan: list[Planned], sample: int = 1) -> str:
    """The one aggregate query profiling every column; ``sample`` > 1: the quantile sketches take a sample of
    the rows (DuckDB; counts, distinct counts and means stay exact)."""
    source, only = _sampled(plan, relation, sample)
    exprs = ["count(*)"]
    for c in plan:
        col = quote_ident(c.stored)
        exprs += [f"count({col})", d.distinct(col)]
        if c.role in ("numeric", "temporal"):
            m = _measure(d, c)
            exprs += [d.quantiles(m, GRID) + only, f"avg({d.as_double(m)})", f"stddev_samp({d.as_double(m)})"]
        elif c.kind == "string" and c.role in ("text", "free_text"):
            exprs.append(d.quantiles(f"length({col})", GRID) + only)
    return f"SELECT {', '.join(exprs)} FROM {source}"


def lengths_sql(d: Spelling, relation: str, columns: list[Planned], sample: int = 1) -> str:
    """Length sketches of the string columns that turned out to have too many values to be categorical."""
    source, only = _sampled(columns, relation, sample)
    sketches = ", ".join(d.quantiles(f"length({quote_ident(c.stored)})", GRID) + only for c in columns)
    return f"SELECT {sketches} FROM {source}"


def _read_columns(row: tuple[Any, ...], plan: list[Planned]) -> tuple[int, dict[str, ColumnStats]]:
    values = iter(row)
    rows = int(next(values))
    out: dict[str, ColumnStats] = {}
    for c in plan:
        stats = ColumnStats(non_null=int(next(values)), distinct=int(next(values)))
        if c.role in ("numeric", "temporal"):
            stats.quantiles, stats.mean, stats.sd = _floats(next(values)), _float(next(values)), _float(next(values))
        elif c.kind == "string" and c.role in ("text", "free_text"):
            stats.lengths = _floats(next(values))
        out[c.name] = stats
    return rows, out


def category_text(d: Spelling, c: Planned) -> str:
    """A category as text, spelled the same by every engine (1.0 and 1 are both '1')."""
    col = quote_ident(c.stored)
    if c.kind == "integer":
        return d.text(f"CAST({col} AS BIGINT)")
    if c.kind == "float":
        return (f"CASE WHEN {col} = trunc({col}) AND abs({col}) < 1e15 THEN {d.text(f'CAST({col} AS BIGINT)')} "
                f"ELSE {d.text(col)} END")
    return d.text(col)


def freq_sql(d: Spelling, relation: str, columns: list[Planned]) -> str:
    """One grouping-sets pass: (column name, value as text, rows) for every categorical column."""
    which = " ".join(f"WHEN GROUPING({quote_ident(c.stored)}) = 0 THEN {quote_literal(c.name)}" for c in columns)
    value = ", ".join(category_text(d, c) for c in columns)
    sets = ", ".join(f"({quote_ident(c.stored)})" for c in columns)
    value_expr = value if len(columns) == 1 else f"COALESCE({value})"
    return (f"SELECT CASE {which} END, {value_expr}, count(*) FROM {relation} "
            f"GROUP BY GROUPING SETS ({sets})")


def items_sql(d: Spelling, relation: str, plan: ItemPlan) -> str:
    """One grouped pass per item: rows, measures, the measure's sketch (and, in DuckDB, its units)."""
    item = quote_ident(plan.item)
    exprs = [f"CAST({item} AS BIGINT)", "count(*)", f"count({quote_ident(plan.measure.stored)})",
             d.quantiles(_measure(d, plan.measure), GRID)]
    if plan.unit and d.name == "duckdb":
        exprs += [f"histogram({d.text(quote_ident(plan.unit))})", f"count({quote_ident(plan.unit)})"]
    return f"SELECT {', '.join(exprs)} FROM {relation} GROUP BY {item}"


def units_sql(d: Spelling, relation: str, plan: ItemPlan) -> str:
    """Rows per item and unit (PostgreSQL has no histogram aggregate)."""
    assert plan.unit is not None
    return (f"SELECT CAST({quote_ident(plan.item)} AS BIGINT), {d.text(quote_ident(plan.unit))}, count(*) FROM {relation} "
            "GROUP BY 1, 2")


def keys_sql(d: Spelling, relation: str, plan: KeyPlan) -> str:
    """The distinct keys. Text keys lose trailing blanks, as a CHAR(n) column does (d_hcpcs.code is CHAR(5);
    360 of the real demo's codes end in a blank in the CSV): a folder and the database loaded from it then
    hold the same keys."""
    cols = ", ".join(f"CAST({quote_ident(s)} AS BIGINT)" if k == "integer" else f"rtrim({d.text(quote_ident(s))}, ' ')"
                     for s, k in zip(plan.stored, plan.kinds, strict=True))
    where = " AND ".join(f"{quote_ident(s)} IS NOT NULL" for s in plan.stored)
    return f"SELECT DISTINCT {cols} FROM {relation} WHERE {where}"


def profile(side: Side, name: str, opened: Opened, plan: list[Planned], items: ItemPlan | None,
            keys: list[KeyPlan]) -> TableProfile:
    """Run the passes on one opened table of one copy."""
    d = side.dialect
    rel = opened.relation
    out = TableProfile(unparsed=dict(opened.unparsed), malformed=opened.malformed)
    local = d.name == "duckdb"  # PostgreSQL computes exact quantiles, on every row
    sample = max(1, int(side.fetchall(f"SELECT count(*) FROM {rel}")[0][0]) // SAMPLE_ROWS) if local else 1
    out.rows, out.columns = _read_columns(side.fetchall(column_sql(d, rel, plan, sample))[0], plan)

    categorical = [c for c in plan if c.role == "categorical"
                   or (c.role is None and (out.columns[c.name].distinct or 0) <= MAX_CATEGORIES)]
    text = [c for c in plan if c.role is None and c not in categorical]
    if text:  # compared by their lengths (a sketch the first pass left out: most such columns are categorical)
        for c, q in zip(text, side.fetchall(lengths_sql(d, rel, text, sample))[0], strict=True):
            out.columns[c.name].lengths = _floats(q)
    if categorical:
        out.freq = f"freq_{side.label}_{name}"
        side.into_workspace(freq_sql(d, rel, categorical), out.freq,
                            [("col", "VARCHAR"), ("value", "VARCHAR"), ("n", "BIGINT")])
        for c in categorical:
            out.columns[c.name].categorical = True

    if items is not None:
        out.items = {}
        with_units = bool(items.unit) and local
        for row in side.fetchall(items_sql(d, rel, items)):
            units: dict[str | None, int] = {}
            if with_units:
                units = {str(k): int(v) for k, v in (row[4] or {}).items()}
                if int(row[1]) - int(row[5]):
                    units[None] = int(row[1]) - int(row[5])
            out.items[int(row[0])] = ItemStats(int(row[1]), int(row[2]), _floats(row[3]), units)
        if items.unit and not with_units:
            for itemid, unit, n in side.fetchall(units_sql(d, rel, items)):
                out.items[int(itemid)].units[unit] = int(n)

    for i, k in enumerate(keys):
        table = f"keys_{side.label}_{name}_{i}"
        side.into_workspace(keys_sql(d, rel, k), table,
                            [(f"k{j}", "BIGINT" if kind == "integer" else "VARCHAR") for j, kind in enumerate(k.kinds)])
        out.keys[k.columns] = table
    return out
