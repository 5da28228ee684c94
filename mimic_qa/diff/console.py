"""The console summary of a diff: the copies, the findings worst first, the verdict line."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable

from mimic_qa.diff.model import DiffResult, Finding
from mimic_qa.display import print_table
from mimic_qa.spec.models import SEVERITY_RANK

COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def _where(f: Finding) -> str:
    parts = [f.table] + ([f.column] if f.column else []) + ([f"item {f.item}"] if f.item is not None else [])
    return ".".join(parts[:2]) + (f" ({parts[2]})" if len(parts) > 2 else "")


def _value(f: Finding) -> str:
    if f.value is None or f.statistic.startswith("schema") or f.statistic == "table":
        return ""
    return f"{f.value:.3g}"


def values_note(result: DiffResult) -> str:
    if result.show_values:
        return (f"values shown (--show-values): categories, quantiles and units; counts below "
                f"{result.small_cell_minimum} suppressed (small-cell rule)")
    return "no values shown: column names, item ids, counts and distances only"


def print_summary(console: Console, result: DiffResult, limit: int = 40) -> None:
    """Copies, findings at warning or worse (info too when the gate is info), and the verdict."""
    console.print(f"A: {escape(result.a.location)} ({result.a.kind})")
    console.print(f"B: {escape(result.b.location)} ({result.b.kind})")
    floor = min(SEVERITY_RANK["warning"], SEVERITY_RANK[result.fail_on])
    shown = [f for f in result.findings if SEVERITY_RANK[f.severity] >= floor]
    if shown:
        grid = RichTable(title="what changed from A to B", show_lines=False)
        for head in ("severity", "where", "statistic", "value", "threshold"):
            grid.add_column(head, no_wrap=True)
        grid.add_column("what", overflow="fold", min_width=24)
        lines = []
        for f in shown[:limit]:
            cells = (f"[{COLOURS[f.severity]}]{f.severity}[/]", escape(_where(f)), f.statistic, _value(f),
                     "" if f.threshold is None else f"{f.threshold:g}")
            grid.add_row(*cells, escape(f.message))
            lines.append(" ".join(c for c in cells if c) + f": {escape(f.message)}")
        print_table(console, grid, lines)
        if len(shown) > limit:
            console.print(f"... and {len(shown) - limit} more (see --json / --report-dir)")
    hidden = len(result.findings) - len(shown)
    if hidden:
        console.print(f"{hidden} info finding(s) not listed (any change at all; --fail-on info lists them)")
    console.print(values_note(result))
    console.print(verdict_line(result))


def verdict_line(result: DiffResult) -> str:
    """SAME or DRIFT, the counts and the gate: the one line ``--quiet`` prints (rich markup)."""
    s = result.summary
    verdict = "[bold green]SAME[/]" if result.ok else "[bold red]DRIFT[/]"
    return (f"{verdict}  {s['compared']} of {s['tables']} tables compared: {s['error']} error, {s['warning']} "
            f"warning, {s['info']} info  [{result.duration_seconds} s, gate: --fail-on {result.fail_on}]")
