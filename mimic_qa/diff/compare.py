"""``compare(a, b)``: profile every table of two copies in their engines and compare the profiles.

Each (copy, table) is profiled once, two at a time, biggest first (a release folder's gzip files decode
on one core each); key sets and category frequencies meet in the workspace, where their differences are
counted exactly; the remaining statistics come from the profiles' sketches.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import pairwise
from pathlib import Path

import duckdb

from mimic_qa.version import __version__
from mimic_qa.diff import roles
from mimic_qa.diff.findings import judge, summarize
from mimic_qa.diff.model import (
    SMALL_CELL_MINIMUM,
    Category,
    ColumnDiff,
    ColumnProfile,
    Copy,
    DiffResult,
    Header,
    ItemDiff,
    Items,
    KeySet,
    Retyped,
    Shape,
    TableDiff,
)
from mimic_qa.diff.queries import ColumnStats, ItemPlan, KeyPlan, Planned, TableProfile, profile
from mimic_qa.diff.schema import Paired, pair_columns
from mimic_qa.diff.sides import Side, Unreadable, Workspace, open_side
from mimic_qa.diff.statistics import ks_from_quantiles, shape_numeric, shown_quantiles, tvd
from mimic_qa.diff.thresholds import Thresholds
from mimic_qa.errors import UsageError
from mimic_qa.progress import TableEvents, ignore
from mimic_qa.spec import Spec, Table, load_spec
from mimic_qa.spec.models import Severity

ITEM_SHAPES = 20  # items per table whose distributions are kept for the pictures (the largest KS first)
TOP_CATEGORIES = 10


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class _SidePlan:
    columns: list[Planned] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)  # stored name -> DuckDB type to parse a CSV column as
    items: ItemPlan | None = None
    keys: list[KeyPlan] = field(default_factory=list)


@dataclass
class _TablePlan:
    table: Table
    diff: TableDiff
    pairs: list[Paired] = field(default_factory=list)
    eav: roles.Eav | None = None  # the table's item, measure and unit columns, for an EAV table
    roles: dict[str, roles.Role | None] = field(default_factory=dict)  # common role per compared column
    sides: dict[str, _SidePlan] = field(default_factory=dict)


def _select(spec: Spec, tables: list[str] | None) -> list[Table]:
    if not tables:
        return list(spec.tables.values())
    unknown = [t for t in tables if t not in spec.tables]
    if unknown:
        raise UsageError(f"unknown table(s): {', '.join(unknown)}")
    return [t for n, t in spec.tables.items() if n in tables]


def _spec_name(table: Table, p: Paired) -> str | None:
    """The spec column a paired column stands for (by either copy's name)."""
    for c in (p.a, p.b):
        if c is not None and c.name in table.column_names:
            return c.name
    return None


def _plan(spec: Spec, table: Table, sides: dict[str, Side], present: dict[str, set[str]]) -> _TablePlan:
    """Presence, headers, column pairing, kinds, roles and what to profile on each side."""
    diff = TableDiff(name=table.name, module=table.module, in_a=table.name in present["a"],
                     in_b=table.name in present["b"])
    plan = _TablePlan(table, diff)
    if not (diff.in_a and diff.in_b):
        return plan
    headers = {}
    for label, side in sides.items():
        try:
            headers[label] = side.header(table)
        except Unreadable as exc:
            setattr(diff, f"unreadable_{label}", str(exc))
    if len(headers) < 2:
        return plan
    plan.pairs, diff.header = pair_columns(headers["a"], headers["b"])
    for label in sides:
        plan.sides[label] = _SidePlan()
    kinds: dict[str, dict[str, roles.Kind | None]] = {"a": {}, "b": {}}
    for p in plan.pairs:
        spec_name = _spec_name(table, p)
        spec_col = table.column(spec_name) if spec_name else None
        for label in sides:
            stored = p.a if label == "a" else p.b
            if stored is None:
                continue
            if stored.stored == "CSV":  # a release folder: read as the spec's type
                kind: roles.Kind | None = spec_col.kind if spec_col else "string"
                plan.sides[label].types[stored.name] = spec_col.sql_type("duckdb") if spec_col else "VARCHAR"
            else:
                kind = stored.kind
            kinds[label][p.name] = kind
            role = roles.column_role(spec, table, spec_name or p.name, kind) if kind else "other"
            plan.sides[label].columns.append(Planned(stored.name, p.name, kind, role))
        if p.a is not None and p.b is not None:
            ka, kb = kinds["a"][p.name], kinds["b"][p.name]
            if ka and kb and ka != kb:
                diff.header.retyped.append(Retyped(column=p.name, kind_a=ka, kind_b=kb, type_a=p.a.stored,
                                                   type_b=p.b.stored))
            ra = next(c.role for c in plan.sides["a"].columns if c.name == p.name)
            rb = next(c.role for c in plan.sides["b"].columns if c.name == p.name)
            plan.roles[p.name] = ra if ra == rb and ka == kb else "other"
    by_spec = {(_spec_name(table, p) or p.name): p.name for p in plan.pairs}
    planned = {label: {c.name: c for c in sp.columns} for label, sp in plan.sides.items()}

    def find(spec_name: str | None, label: str) -> Planned | None:
        """The planned column standing for a spec column in one copy."""
        return planned[label].get(by_spec.get(spec_name or "", ""))

    eav = plan.eav = roles.eav(spec, table)
    for label, sp in plan.sides.items():
        other = "b" if label == "a" else "a"
        if eav is not None:
            item, measure, unit = find(eav.item, label), find(eav.measure, label), find(eav.unit, label)
            if item is not None and measure is not None and measure.role in ("numeric", "temporal"):
                sp.items = ItemPlan(item.stored, measure, unit.stored if unit else None)
        for group in roles.key_sets(spec, table):
            mine = [find(c, label) for c in group]
            theirs = [find(c, other) for c in group]
            if all(m is not None and t is not None and m.kind == t.kind for m, t in zip(mine, theirs, strict=True)):
                cols = [m for m in mine if m is not None]
                sp.keys.append(KeyPlan(tuple(c.name for c in cols), tuple(c.stored for c in cols),
                                       tuple(c.kind for c in cols)))
    if (plan.sides["a"].items is None) != (plan.sides["b"].items is None):
        plan.sides["a"].items = plan.sides["b"].items = None
    return plan


def _profile_one(side: Side, plan: _TablePlan, progress: TableEvents) -> TableProfile:
    """Profile one copy's table; ``progress`` hears it as ``A:table`` / ``B:table`` (its file's bytes, rows)."""
    sp = plan.sides[side.label]
    name, size = f"{side.label.upper()}:{plan.table.name}", side.file_bytes(plan.table)
    progress("start", name, size, None)
    try:
        with side.open(plan.table, sp.types) as opened:
            result = profile(side, plan.table.name, opened, sp.columns, sp.items, sp.keys)
    except Unreadable as exc:
        result = TableProfile(unreadable=str(exc))
    except duckdb.Error as exc:  # e.g. out of memory; DuckDB's messages may quote data: keep only the type
        result = TableProfile(unreadable=f"a query failed in DuckDB ({type(exc).__name__})")
    progress("done", name, size, result.rows)
    return result


def _profile_all(spec: Spec, sides: dict[str, Side], plans: list[_TablePlan],
                 progress: TableEvents) -> dict[tuple[str, str], TableProfile]:
    todo = [(label, p) for p in plans if p.sides for label in sides]

    def weight(job: tuple[str, _TablePlan]) -> int:
        label, p = job
        return sides[label].size(p.table) or spec.release(spec.project_of(p.table.name).default_release
                                                          ).row_counts.get(p.table.name, 0) * 20

    todo.sort(key=weight, reverse=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {(label, p.table.name): pool.submit(_profile_one, sides[label], p, progress) for label, p in todo}
    return {k: f.result() for k, f in futures.items()}


def _column_profile(stats: ColumnStats, rows: int, role: roles.Role | None, show_values: bool) -> ColumnProfile:
    nulls = rows - stats.non_null
    prof = ColumnProfile(rows=rows, nulls=nulls, null_rate=nulls / rows if rows else 0.0, distinct=stats.distinct)
    if show_values and role not in ("identifier", "other"):
        prof.quantiles = shown_quantiles(stats.quantiles, stats.non_null, SMALL_CELL_MINIMUM)
        prof.length_quantiles = shown_quantiles(stats.lengths, stats.non_null, SMALL_CELL_MINIMUM)
        if stats.non_null >= SMALL_CELL_MINIMUM:
            prof.mean, prof.sd = stats.mean, stats.sd
    return prof


def _keys(ws: Workspace, pa: TableProfile, pb: TableProfile) -> list[KeySet]:
    out = []
    cur = ws.cursor()
    try:
        for cols, ta in pa.keys.items():
            tb = pb.keys.get(cols)
            if tb is None:
                continue
            using = ", ".join(f"k{i}" for i in range(len(cols)))
            na, nb, only_a, only_b = cur.execute(
                f"SELECT (SELECT count(*) FROM {ta}), (SELECT count(*) FROM {tb}), "
                f"(SELECT count(*) FROM {ta} ANTI JOIN {tb} USING ({using})), "
                f"(SELECT count(*) FROM {tb} ANTI JOIN {ta} USING ({using}))").fetchone()  # type: ignore[misc]
            union = na + only_b
            ks = KeySet(columns=list(cols), distinct_a=na, distinct_b=nb, only_a=only_a, only_b=only_b,
                        jaccard_distance=(only_a + only_b) / union if union else 0.0)
            if cols == ("itemid",):  # item ids are identifiers: name the items that appeared or vanished
                ks.only_a_ids = [r[0] for r in cur.execute(
                    f"SELECT k0 FROM {ta} ANTI JOIN {tb} USING (k0) ORDER BY k0 LIMIT 50").fetchall()]
                ks.only_b_ids = [r[0] for r in cur.execute(
                    f"SELECT k0 FROM {tb} ANTI JOIN {ta} USING (k0) ORDER BY k0 LIMIT 50").fetchall()]
            out.append(ks)
    finally:
        cur.close()
    return out


def _categorical(ws: Workspace, pa: TableProfile, pb: TableProfile, show_values: bool
                 ) -> dict[str, tuple[float | None, Shape | None]]:
    """Exact TVD per categorical column, and its shape (the most frequent categories side by side). A column
    without a value in one copy has no distribution there: no TVD (as ``statistics.tvd``) and no shape; its NULL
    rate tells."""
    if pa.freq is None or pb.freq is None:
        return {}
    value = "value" if show_values else "NULL"
    sql = f"""
        WITH a AS (SELECT col, value, n, n / sum(n) OVER (PARTITION BY col) AS p FROM {pa.freq} WHERE value IS NOT NULL),
             b AS (SELECT col, value, n, n / sum(n) OVER (PARTITION BY col) AS p FROM {pb.freq} WHERE value IS NOT NULL),
             j AS (SELECT coalesce(a.col, b.col) AS col, coalesce(a.value, b.value) AS value,
                          coalesce(a.p, 0) AS pa, coalesce(b.p, 0) AS pb, coalesce(a.n, 0) AS na, coalesce(b.n, 0) AS nb
                   FROM a FULL OUTER JOIN b ON a.col = b.col AND a.value = b.value),
             t AS (SELECT col, CASE WHEN sum(na) > 0 AND sum(nb) > 0 THEN 0.5 * sum(abs(pa - pb)) END AS tvd
                   FROM j GROUP BY col),
             top AS (SELECT col, {value} AS value, pa, pb, na, nb,
                            row_number() OVER (PARTITION BY col ORDER BY greatest(pa, pb) DESC, value) AS r FROM j)
        SELECT t.col, t.tvd, list(top.value ORDER BY r), list(top.pa ORDER BY r), list(top.pb ORDER BY r),
               list(top.na ORDER BY r), list(top.nb ORDER BY r)
        FROM t JOIN top ON t.col = top.col AND top.r <= {TOP_CATEGORIES} GROUP BY t.col, t.tvd"""
    cur = ws.cursor()
    try:
        rows = cur.execute(sql).fetchall()
    finally:
        cur.close()
    out: dict[str, tuple[float | None, Shape | None]] = {}
    for col, distance, values, shares_a, shares_b, na, nb in rows:
        if distance is None:
            out[col] = (None, None)
            continue
        a, b = [float(x) for x in shares_a], [float(x) for x in shares_b]
        a.append(max(1.0 - sum(a), 0.0))
        b.append(max(1.0 - sum(b), 0.0))
        labels = None
        if show_values:
            labels = [v if not (0 < x < SMALL_CELL_MINIMUM or 0 < y < SMALL_CELL_MINIMUM) else "(small cell)"
                      for v, x, y in zip(values, na, nb, strict=True)] + ["all others"]
        out[col] = (float(distance), Shape(a=a, b=b, labels=labels))
    return out


def _top_categories(ws: Workspace, freq: str | None) -> dict[str, tuple[list[Category], int]]:
    """Per categorical column: its most frequent values with at least 10 rows, and how many were suppressed."""
    if freq is None:
        return {}
    cur = ws.cursor()
    try:
        rows = cur.execute(
            f"SELECT col, list(struct_pack(value := value, n := n) ORDER BY n DESC, value) "
            f"FILTER (WHERE n >= {SMALL_CELL_MINIMUM}), count(*) FILTER (WHERE n < {SMALL_CELL_MINIMUM}) "
            f"FROM {freq} WHERE value IS NOT NULL GROUP BY col").fetchall()
    finally:
        cur.close()
    return {col: ([Category(value=v["value"], count=v["n"]) for v in (top or [])[:TOP_CATEGORIES]], int(small))
            for col, top, small in rows}


def _numeric_shape(qa: list[float], qb: list[float], show_values: bool, n: int) -> Shape:
    """The two distributions binned (``statistics.shape_numeric``); with ``show_values`` and ``n`` (the fewer
    values of the two copies) large enough, each bin labelled by its edges."""
    a, b, edges = shape_numeric(qa, qb)
    labels = None
    if show_values and n >= SMALL_CELL_MINIMUM * 20:  # each inner 5% edge then has 10 values beyond it
        # the outer edges are the smallest and largest values of either copy, single records: named, never shown
        text = ["min"] + [f"{e:.4g}" for e in edges[1:-1]] + (["max"] if len(edges) > 1 else [])
        labels = ["min"] + [f"{lo} to {hi}" for lo, hi in pairwise(text)]
    return Shape(a=a, b=b, labels=labels)


def _columns(plan: _TablePlan, pa: TableProfile, pb: TableProfile, ws: Workspace,
             show_values: bool) -> list[ColumnDiff]:
    cats = _categorical(ws, pa, pb, show_values)
    tops = {"a": _top_categories(ws, pa.freq), "b": _top_categories(ws, pb.freq)} if show_values else {}
    out = []
    for p in plan.pairs:
        role = plan.roles.get(p.name)
        sa, sb = pa.columns.get(p.name), pb.columns.get(p.name)
        if p.a is not None and p.b is not None and role is None:  # a string: categorical on both sides, or text
            role = "categorical" if sa and sb and sa.categorical and sb.categorical else "text"
        cd = ColumnDiff(name=p.name, name_b=p.b.name if p.b and p.a and p.b.name != p.a.name else None, role=role)
        for label, stats, prof in (("a", sa, pa), ("b", sb, pb)):
            if stats is None or prof.rows is None:
                continue
            own_role = role if role not in (None, "other") else next(
                c.role for c in plan.sides[label].columns if c.name == p.name)
            profile_ = _column_profile(stats, prof.rows, own_role, show_values)
            if show_values and stats.categorical:
                profile_.top, profile_.suppressed_categories = tops[label].get(p.name, ([], 0))
            setattr(cd, label, profile_)
        if cd.a is not None and cd.b is not None and sa is not None and sb is not None:
            cd.null_rate_delta = abs(cd.b.null_rate - cd.a.null_rate)
            if role == "categorical" and p.name in cats:
                cd.tvd, cd.shape = cats[p.name]
            elif role in ("numeric", "temporal"):
                cd.ks = ks_from_quantiles(sa.quantiles, sb.quantiles)
                if cd.ks is not None:
                    cd.shape = _numeric_shape(sa.quantiles, sb.quantiles, show_values and role == "numeric",  # type: ignore[arg-type]
                                              min(sa.non_null, sb.non_null))
            elif role in ("text", "free_text"):
                cd.length_ks = ks_from_quantiles(sa.lengths, sb.lengths)
        out.append(cd)
    return out


def _items(plan: _TablePlan, pa: TableProfile, pb: TableProfile, show_values: bool, min_values: int) -> Items | None:
    if pa.items is None or pb.items is None or pa.rows is None or pb.rows is None:
        return None
    ip = plan.sides["a"].items
    assert ip is not None
    rows_a = {k: v.rows for k, v in pa.items.items()}
    rows_b = {k: v.rows for k, v in pb.items.items()}
    diffs = []
    for itemid in sorted(set(pa.items) | set(pb.items)):
        a, b = pa.items.get(itemid), pb.items.get(itemid)
        d = ItemDiff(itemid=itemid, rows_a=a.rows if a else 0, rows_b=b.rows if b else 0,
                     share_a=a.rows / pa.rows if a and pa.rows else 0.0, share_b=b.rows / pb.rows if b and pb.rows else 0.0,
                     values_a=a.values if a else 0, values_b=b.values if b else 0)
        if a and b:
            d.ks = ks_from_quantiles(a.quantiles, b.quantiles)
            if ip.unit:
                d.unit_tvd = tvd(a.units, b.units)
        for label, s in (("a", a), ("b", b)):
            if s is None:
                continue
            if ip.unit:
                setattr(d, f"units_{label}", sum(1 for u in s.units if u is not None))
            if show_values:
                setattr(d, f"quantiles_{label}", shown_quantiles(s.quantiles, s.values, SMALL_CELL_MINIMUM)
                        if ip.measure.role == "numeric" else None)
                top = max(((n, u) for u, n in s.units.items() if u is not None), default=None)
                if top and top[0] >= SMALL_CELL_MINIMUM:
                    setattr(d, f"top_unit_{label}", top[1])
        diffs.append(d)
    worst = sorted((d for d in diffs if d.ks is not None),  # judgeable items first, as the report draws them
                   key=lambda d: (min(d.values_a, d.values_b) < min_values, -(d.ks or 0)))[:ITEM_SHAPES]
    for d in worst:
        qa, qb = pa.items[d.itemid].quantiles, pb.items[d.itemid].quantiles
        d.shape = _numeric_shape(qa, qb, show_values and ip.measure.role == "numeric",  # type: ignore[arg-type]
                                 min(d.values_a, d.values_b))
    mix = tvd(rows_a, rows_b)
    eav = plan.eav
    assert eav is not None
    return Items(item=eav.item, measure=ip.measure.name, unit=eav.unit if ip.unit else None, items_a=len(pa.items),
                 items_b=len(pb.items), mix_tvd=mix if mix is not None else 0.0, items=diffs)


def _compare_table(plan: _TablePlan, profiles: dict[tuple[str, str], TableProfile], ws: Workspace,
                   show_values: bool, min_values: int) -> TableDiff:
    diff = plan.diff
    pa, pb = profiles.get(("a", plan.table.name)), profiles.get(("b", plan.table.name))
    if pa is None or pb is None:
        return diff
    diff.unreadable_a, diff.unreadable_b = pa.unreadable, pb.unreadable
    if pa.unreadable or pb.unreadable:
        return diff
    diff.rows_a, diff.rows_b = pa.rows, pb.rows
    header: Header = diff.header  # type: ignore[assignment]
    header.unparsed_a, header.unparsed_b = pa.unparsed, pb.unparsed
    header.malformed_a, header.malformed_b = pa.malformed, pb.malformed
    diff.keys = _keys(ws, pa, pb)
    diff.columns = _columns(plan, pa, pb, ws, show_values)
    diff.items = _items(plan, pa, pb, show_values, min_values)
    return diff


def compare(a: str | Path, b: str | Path, *, tables: list[str] | None = None, show_values: bool = False,
            thresholds: Thresholds | None = None, fail_on: Severity = "error", command: str | None = None,
            progress: TableEvents = ignore) -> DiffResult:
    """Compare copy ``b`` with copy ``a`` (release folders, DuckDB files, Parquet folders, PostgreSQL URLs).

    Returns a ``DiffResult``: per table the header changes, row counts, key sets, column profiles with their
    drift statistics and, for EAV tables, per-item statistics; ``findings`` judged with ``thresholds``
    (``Thresholds()`` by default); ``ok`` when none is at or above ``fail_on``. Without ``show_values`` the
    result holds names, item ids, counts, rates and distances only. ``progress`` hears each table of each copy
    start and finish, named ``A:table`` / ``B:table``.
    """
    if fail_on not in ("error", "warning", "info"):
        raise UsageError("fail_on must be error, warning or info")
    thresholds = thresholds or Thresholds()
    spec = load_spec()
    selected = _select(spec, tables)
    started, clock = _now(), time.monotonic()
    ws = Workspace()
    try:
        sides: dict[str, Side] = {}
        try:
            sides["a"] = open_side(str(a), "a", spec, ws, [])
            sides["b"] = open_side(str(b), "b", spec, ws, [sides["a"]])
            copies = {}
            for label, s in sides.items():
                release, synthetic = s.release(spec)
                copies[label] = Copy(location=s.location, kind=s.kind, release=release, synthetic=synthetic)
            present = {label: s.tables() for label, s in sides.items()}
            plans = [_plan(spec, t, sides, present) for t in selected]
            profiles = _profile_all(spec, sides, plans, progress)
            diffs = [_compare_table(p, profiles, ws, show_values, thresholds.min_values) for p in plans]
        finally:
            for s in sides.values():
                s.close()
    finally:
        ws.close()
    diffs = [d for d in diffs if d.in_a or d.in_b]
    if not diffs:
        raise UsageError("neither copy holds any of the tables asked for")
    findings = judge(diffs, thresholds)
    result = DiffResult(
        tool_version=__version__, command=command or "mimic_qa.diff.compare(...)",
        a=copies["a"], b=copies["b"],
        started_at=started, finished_at=_now(), duration_seconds=round(time.monotonic() - clock, 2),
        show_values=show_values, fail_on=fail_on, thresholds=thresholds, tables=diffs, findings=findings)
    result.summary = summarize(result)
    return result
