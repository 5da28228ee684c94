"""Judge a comparison: structural changes and statistics at or above their thresholds become findings."""

from __future__ import annotations

from mimic_qa.diff.model import DiffResult, Finding, TableDiff, relative_change
from mimic_qa.diff.statistics import convention_margin
from mimic_qa.diff.thresholds import Levels, Thresholds
from mimic_qa.spec.models import SEVERITY_RANK, Severity


def _pct(x: float) -> str:
    return f"{x:.1%}"


class _Judge:
    def __init__(self, thresholds: Thresholds):
        self.th = thresholds
        self.out: list[Finding] = []

    def fixed(self, severity: Severity, table: str, statistic: str, message: str, column: str | None = None,
              value: float | None = None) -> None:
        self.out.append(Finding(severity=severity, table=table, column=column, statistic=statistic, value=value,
                                message=message))

    def measured(self, levels: Levels, value: float | None, table: str, statistic: str, message: str,
                 column: str | None = None, item: int | None = None, n: int | None = None,
                 margin: float = 0.0) -> None:
        """A statistic against its thresholds. Estimated from fewer than ``min_values`` values in a copy, it is
        noise below the warning threshold (no finding) and at most info above it. ``margin``: how far the
        estimate may lie from the exact statistic whatever the data (it is judged less that margin)."""
        hit = levels.severity(None if value is None else value - margin)
        if hit is None:
            return
        severity, limit = hit
        if n is not None and n < self.th.min_values:
            if severity == "info":
                return
            severity = "info"
            message += f" (fewer than {self.th.min_values} values: info only)"
        self.out.append(Finding(severity=severity, table=table, column=column, item=item, statistic=statistic,
                                value=value, threshold=limit, message=message))


def _structure(j: _Judge, t: TableDiff) -> None:
    if t.in_a != t.in_b:
        j.fixed("error", t.name, "table", f"the table is only in {'A' if t.in_a else 'B'}")
    for label, reason in (("A", t.unreadable_a), ("B", t.unreadable_b)):
        if reason:
            j.fixed("error", t.name, "table", f"cannot be read in {label}: {reason}")
    h = t.header
    if h is None:
        return
    for c in h.removed:
        j.fixed("error", t.name, "schema.removed", "column only in A", column=c)
    for c in h.added:
        j.fixed("warning", t.name, "schema.added", "column only in B", column=c)
    for p in h.respelled:
        j.fixed("error", t.name, "schema.respelled", f"spelled {p.b} in B", column=p.a)
    for p in h.renamed:
        j.fixed("error", t.name, "schema.renamed", f"named {p.b} in B (same place in the header)", column=p.a)
    for r in h.retyped:
        j.fixed("error", t.name, "schema.retyped", f"{r.kind_a} ({r.type_a}) in A, {r.kind_b} ({r.type_b}) in B",
                column=r.column)
    if h.reordered:
        j.fixed("warning", t.name, "schema.reordered", f"{len(h.reordered)} column(s) moved: {', '.join(h.reordered)}",
                value=len(h.reordered))
    for label, unparsed in (("A", h.unparsed_a), ("B", h.unparsed_b)):
        for c, n in unparsed.items():
            j.fixed("error", t.name, "schema.unparsed", f"{n:,} values in {label} do not parse as the spec's type "
                    "(those rows were not read)", column=c, value=n)
    for label, n in (("A", h.malformed_a), ("B", h.malformed_b)):
        if n:
            j.fixed("error", t.name, "schema.malformed", f"{n:,} CSV lines in {label} could not be read", value=n)


def _statistics(j: _Judge, t: TableDiff) -> None:
    th = j.th
    assert t.rows_a is not None and t.rows_b is not None
    change = relative_change(t.rows_a, t.rows_b)
    j.measured(th.rows, change, t.name, "rows",
               f"{t.rows_a:,} rows in A, {t.rows_b:,} in B ({t.rows_b - t.rows_a:+,}"
               + (f", {(t.rows_b - t.rows_a) / t.rows_a:+.1%})" if t.rows_a else ")"))
    for k in t.keys:
        name = "+".join(k.columns)
        j.measured(th.keys, k.jaccard_distance, t.name, "keys",
                   f"{k.only_a:,} of {k.distinct_a:,} only in A, {k.only_b:,} of {k.distinct_b:,} only in B", column=name)
    for c in t.columns:
        if c.a is None or c.b is None:
            continue
        j.measured(th.null_rate, c.null_rate_delta, t.name, "null_rate",
                   f"null rate {_pct(c.a.null_rate)} in A, {_pct(c.b.null_rate)} in B", column=c.name)
        n = min(c.a.rows - c.a.nulls, c.b.rows - c.b.nulls)
        j.measured(th.tvd, c.tvd, t.name, "tvd", f"total variation distance {c.tvd or 0:.3f}", column=c.name, n=n)
        j.measured(th.ks, c.ks, t.name, "ks", f"Kolmogorov-Smirnov distance {c.ks or 0:.3f}", column=c.name, n=n,
                   margin=convention_margin(n))
        j.measured(th.length_ks, c.length_ks, t.name, "length_ks",
                   f"Kolmogorov-Smirnov distance of lengths {c.length_ks or 0:.3f}", column=c.name, n=n,
                   margin=convention_margin(n))
    if t.items is not None:
        items = t.items
        j.measured(th.item_mix, items.mix_tvd, t.name, "item_mix",
                   f"total variation distance of the item mix {items.mix_tvd:.3f}", column=items.item)
        for i in items.items:
            j.measured(th.item_ks, i.ks, t.name, "item_ks",
                       f"item {i.itemid}: Kolmogorov-Smirnov distance of {items.measure} {i.ks or 0:.3f} "
                       f"({i.values_a:,} values in A, {i.values_b:,} in B)",
                       column=items.measure, item=i.itemid, n=min(i.values_a, i.values_b),
                       margin=convention_margin(min(i.values_a, i.values_b)))
            j.measured(th.item_units, i.unit_tvd, t.name, "item_units",
                       f"item {i.itemid}: total variation distance of {items.unit} {i.unit_tvd or 0:.3f} "
                       f"({i.units_a} unit(s) in A, {i.units_b} in B)",
                       column=items.unit, item=i.itemid, n=min(i.rows_a, i.rows_b))


def judge(tables: list[TableDiff], thresholds: Thresholds) -> list[Finding]:
    """Every finding, worst first (then in table order)."""
    j = _Judge(thresholds)
    for t in tables:
        _structure(j, t)
        if t.compared:
            _statistics(j, t)
    order = {t.name: i for i, t in enumerate(tables)}
    return sorted(j.out, key=lambda f: (-SEVERITY_RANK[f.severity], order[f.table]))


def summarize(result: DiffResult) -> dict[str, int]:
    """Counts for the verdict line."""
    by = {s: sum(f.severity == s for f in result.findings) for s in ("error", "warning", "info")}
    return {"tables": len(result.tables), "compared": sum(t.compared for t in result.tables), **by,
            "blocking": len(result.blocking)}


def rejudge(result: DiffResult, thresholds: Thresholds, fail_on: Severity | None = None) -> DiffResult:
    """The same comparison judged with other thresholds (and gate): nothing is read again."""
    out = result.model_copy(update={"thresholds": thresholds, "findings": judge(result.tables, thresholds),
                                    "fail_on": fail_on or result.fail_on})
    out.summary = summarize(out)
    return out
