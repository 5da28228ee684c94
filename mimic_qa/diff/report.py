"""The diff report: HTML (with pictures) and Markdown, in the audit report's layout and style.

:func:`build_view` computes everything the templates show from a ``DiffResult``; the templates
(``reports/templates/diff.html.j2`` and ``diff.md.j2``) only lay it out. Values from the data reach the
report only when the result was made with show_values (category labels and bin edges of the pictures,
quantiles and units in the JSON).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from mimic_qa.diff import charts
from mimic_qa.diff.model import ColumnDiff, DiffResult, Finding, ItemDiff, TableDiff
from mimic_qa.reports import dua
from mimic_qa.reports.citations import Reference, references
from mimic_qa.reports.render import MdSafe, html_env, md_env, text_env
from mimic_qa.results.io import write_atomic
from mimic_qa.spec import load_spec
from mimic_qa.spec.models import SEVERITY_RANK

FILES = {"html": "diff.html", "md": "diff.md"}
SEVERITIES = ("error", "warning", "info")
NUMERIC_BINS = "bins between both copies' 5% quantiles, low to high"
WORST_COLUMNS = 30  # bars in the overview drift chart
WORST_ITEMS = 6  # items drawn side by side
WORST_CATEGORIES = 4  # categorical columns drawn side by side
ITEM_ROWS = 20  # items listed per EAV table


def _worst(severities: list[str]) -> str | None:
    return max(severities, key=lambda s: SEVERITY_RANK[s]) if severities else None


@dataclass
class ColumnRow:
    column: ColumnDiff
    severity: str | None
    statistic: str | None  # the drift statistic of its role
    value: float | None


@dataclass
class TableView:
    diff: TableDiff
    findings: list[Finding]
    columns: list[ColumnRow]
    items: list[ItemDiff]  # the most changed items
    drift_chart: Markup | None = None

    @property
    def severity(self) -> str | None:
        return _worst([f.severity for f in self.findings])

    @property
    def counts(self) -> Counter[str]:
        return Counter(f.severity for f in self.findings)

    @property
    def row_change(self) -> str:
        t = self.diff
        if t.rows_a is None or t.rows_b is None:
            return ""
        if t.rows_a == t.rows_b:
            return "0"
        return f"{t.rows_b - t.rows_a:+,}" + (f" ({(t.rows_b - t.rows_a) / t.rows_a:+.1%})" if t.rows_a else "")


@dataclass
class Picture:
    svg: Markup
    key: str  # an anchor-safe id


@dataclass
class DiffView:
    result: DiffResult
    verdict: str  # same | drift
    counts: Counter[str]
    tables: list[TableView]
    findings: list[Finding]
    cite_release: str
    references: list[Reference]
    generated_at: str
    row_chart: Markup | None = None
    drift_chart: Markup | None = None
    item_pictures: list[Picture] = field(default_factory=list)
    category_pictures: list[Picture] = field(default_factory=list)
    copy_legend: Markup = field(default_factory=charts.copy_legend)
    severity_legend: Markup = field(default_factory=charts.severity_legend)
    obligations: tuple[dua.Obligation, ...] = dua.OBLIGATIONS
    phi_address: str = dua.PHI_REPORT_ADDRESS
    agreement: str = dua.AGREEMENT
    agreement_source: str = dua.AGREEMENT_SOURCE
    license: str = dua.LICENSE
    dua_note: str | None = None

    @property
    def blocking(self) -> int:
        return len(self.result.blocking)


def _statistic(c: ColumnDiff) -> tuple[str | None, float | None]:
    for name in ("tvd", "ks", "length_ks"):
        value = getattr(c, name)
        if value is not None:
            return name, value
    return None, None


def _table_view(t: TableDiff, findings: list[Finding], result: DiffResult) -> TableView:
    mine = [f for f in findings if f.table == t.name]
    by_column: dict[str, list[str]] = {}
    for f in mine:
        if f.column and f.item is None:
            by_column.setdefault(f.column, []).append(f.severity)
    rows = [ColumnRow(c, _worst(by_column.get(c.name, [])), *_statistic(c)) for c in t.columns]
    items: list[ItemDiff] = []
    if t.items is not None:
        items = sorted(t.items.items, key=lambda i: (-(i.ks or 0), -abs(i.share_b - i.share_a)))[:ITEM_ROWS]
    view = TableView(t, mine, rows, items)
    bars = [_bar(f"{r.column.name}", r, result) for r in rows if r.value is not None]
    if bars:
        view.drift_chart = charts.drift_chart(bars, f"Drift per column of {t.name}")
    return view


def _bar(label: str, r: ColumnRow, result: DiffResult) -> charts.DriftBar:
    levels = getattr(result.thresholds, r.statistic or "ks")
    return charts.DriftBar(label, r.statistic or "", r.value or 0.0, levels.warning, levels.error, r.severity)


def _cite_release(result: DiffResult) -> str:
    spec = load_spec()
    for copy in (result.a, result.b):
        if copy.release in spec.releases and spec.releases[copy.release].citation:
            return copy.release
    return next(k for k in spec.validatable_releases if spec.releases[k].kind == "full")


def build_view(result: DiffResult) -> DiffView:
    """Everything the diff templates show."""
    findings = result.findings
    tables = [_table_view(t, findings, result) for t in result.tables]
    cite = _cite_release(result)
    spec = load_spec()
    view = DiffView(result=result, verdict=result.verdict, counts=Counter(f.severity for f in findings),
                    tables=tables, findings=findings, cite_release=cite, references=references(spec, cite),
                    generated_at=datetime.now().astimezone().isoformat(timespec="seconds"),
                    dua_note=dua.demo_note(spec.releases[cite].kind))
    counted = [tv.diff for tv in tables if tv.diff.compared or tv.diff.in_a != tv.diff.in_b]
    if counted:
        row_severity = {f.table: f.severity for f in findings if f.statistic in ("rows", "table")}
        view.row_chart = charts.row_chart([charts.RowBar(
            t.name, t.rows_a, t.rows_b, row_severity.get(t.name), None if t.in_a == t.in_b else "A" if t.in_a else "B")
            for t in counted])
    ranked = sorted(((tv.diff.name, r) for tv in tables for r in tv.columns if r.value),
                    key=lambda x: -(x[1].value or 0))[:WORST_COLUMNS]
    if ranked:
        view.drift_chart = charts.drift_chart([_bar(f"{t}.{r.column.name}", r, result) for t, r in ranked],
                                              "The columns whose distributions moved most")
    view.item_pictures = _item_pictures(result)
    view.category_pictures = _category_pictures(tables)
    return view


def _item_pictures(result: DiffResult) -> list[Picture]:
    enough = result.thresholds.min_values
    items = [(t.name, t.items.measure, i) for t in result.tables if t.items for i in t.items.items
             if i.shape is not None and i.ks]
    # items with enough values to judge first (a KS distance between three values says little)
    items.sort(key=lambda x: (min(x[2].values_a, x[2].values_b) < enough, -(x[2].ks or 0)))
    out = []
    for table, measure, i in items[:WORST_ITEMS]:
        caption = f"KS {i.ks:.3f}; {i.values_a:,} values in A, {i.values_b:,} in B"
        out.append(Picture(charts.shape_chart(i.shape, f"{table} item {i.itemid}: {measure}", caption,  # type: ignore[arg-type]
                                              NUMERIC_BINS),
                           f"item-{table}-{i.itemid}"))
    return out


def _category_pictures(tables: list[TableView]) -> list[Picture]:
    cols = [(tv.diff.name, r.column) for tv in tables for r in tv.columns if r.column.tvd and r.column.shape]
    cols.sort(key=lambda x: -(x[1].tvd or 0))
    out = []
    for table, c in cols[:WORST_CATEGORIES]:
        caption = f"TVD {c.tvd:.3f}; the {len(c.shape.a) - 1} most frequent categories, then all others"  # type: ignore[union-attr]
        out.append(Picture(charts.shape_chart(c.shape, f"{table}.{c.name}", caption,  # type: ignore[arg-type]
                                              "categories: the most frequent first, then all others"),
                           f"col-{table}-{c.name}"))
    return out


def _bibtex(view: DiffView) -> str:
    return text_env().get_template("citations.bib.j2").render(references=view.references).strip()


def render_html(view: DiffView) -> str:
    return html_env().get_template("diff.html.j2").render(view=view, bibtex=_bibtex(view))


def render_markdown(view: DiffView) -> str:
    return md_env().get_template("diff.md.j2").render(view=view, bibtex=MdSafe(_bibtex(view)))


def render_diff_report(result: DiffResult, out_dir: Path, formats: tuple[str, ...] = ("html", "md")) -> list[Path]:
    """Write ``out_dir/diff.html`` and ``out_dir/diff.md`` (atomically); return the paths written."""
    view = build_view(result)
    renderers: dict[str, Any] = {"html": render_html, "md": render_markdown}
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = out_dir / FILES[fmt]
        write_atomic(path, renderers[fmt](view).encode("utf-8"))
        written.append(path)
    return written
