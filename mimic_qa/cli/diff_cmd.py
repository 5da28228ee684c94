"""``mimic-qa diff``: what changed between two MIMIC-IV copies; a gate for "this copy still equals that one"."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape

from mimic_qa.cli.app import app
from mimic_qa.cli.progress import TableProgress
from mimic_qa.errors import UsageError
from mimic_qa.redaction import redact

if TYPE_CHECKING:
    from mimic_qa.diff.thresholds import Thresholds


def parse_tables(values: list[str] | None) -> list[str] | None:
    """--tables a --tables b, or --tables a,b."""
    names = [n.strip() for v in values or [] for n in v.split(",") if n.strip()]
    return names or None


def parse_thresholds(values: list[str] | None) -> Thresholds:
    """--threshold STAT=WARNING,ERROR (repeatable) over the default thresholds."""
    from mimic_qa.diff.thresholds import STATISTICS, Thresholds

    th = Thresholds()
    for value in values or []:
        name, _, levels = value.partition("=")
        parts = levels.split(",")
        try:
            if name.strip() == "min_values":
                th = th.model_copy(update={"min_values": int(levels)})
                continue
            warning, error = (float(p) for p in parts)
            th = th.with_levels(name.strip(), warning, error)
        except ValueError:
            raise UsageError(f"--threshold {value}: give STAT=WARNING,ERROR with STAT one of "
                             f"{', '.join(STATISTICS)} (or min_values=N)") from None
    return th


@app.command("diff")
def diff_command(
    a: str = typer.Argument(..., help="Copy A, the reference: a release folder, a DuckDB database, a Parquet folder "
                            "or postgresql://user@host:port/db."),
    b: str = typer.Argument(..., help="Copy B, compared with A (same kinds of source)."),
    tables: list[str] | None = typer.Option(None, "--tables", help="Compare only these tables (repeatable, or "
                                            "comma-separated)."),
    json_out: Path | None = typer.Option(None, "--json", help="Write everything diff computed as JSON."),
    report_dir: Path | None = typer.Option(None, "--report-dir", help="Write the HTML and Markdown diff report here "
                                           "(diff.html, diff.md)."),
    fail_on: str = typer.Option("error", "--fail-on", help="Exit 1 when a finding of this severity or worse: "
                                "error | warning | info (info: any change at all)."),
    show_values: bool = typer.Option(False, "--show-values", help="Add categorical values, quantiles and units to "
                                     "the JSON and reports; counts below 10 are still suppressed (small-cell rule)."),
    threshold: list[str] | None = typer.Option(None, "--threshold", help="Override a statistic's thresholds: "
                                               "STAT=WARNING,ERROR (repeatable), e.g. ks=0.05,0.1; min_values=N."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the verdict (SAME or DRIFT)."),
) -> None:
    """Compare copy B with copy A: columns (added, removed, renamed, retyped, reordered), row counts, key sets
    (subject_id, hadm_id, stay_id, itemid, icd_code, ...: how many only in A, only in B), per-column profiles
    with a drift statistic (TVD for categories, Kolmogorov-Smirnov for numbers, dates and text lengths) and,
    for the EAV tables, the same per itemid. All computation runs in DuckDB or the database.

    Outputs hold column names, item ids, counts and distances only, unless --show-values. Exit 0 when no
    finding reaches --fail-on, 1 when one does, 2 on usage errors or an unreadable source.
    """
    from mimic_qa.diff import compare
    from mimic_qa.diff.console import print_summary

    if fail_on not in ("error", "warning", "info"):
        raise UsageError("--fail-on must be error, warning or info")
    th = parse_thresholds(threshold)
    console = Console(stderr=True, highlight=False)
    out = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    display = TableProgress(console, "profiled", quiet=quiet)
    try:
        result = compare(a, b, tables=parse_tables(tables), show_values=show_values, thresholds=th,
                         fail_on=fail_on,  # type: ignore[arg-type]
                         command=redact(shlex.join(["mimic-qa", *sys.argv[1:]])), progress=display.event)
    finally:
        display.close()
    if json_out:
        from mimic_qa.results.io import write_atomic

        write_atomic(json_out, result.model_dump_json(indent=2).encode("utf-8"))
    if report_dir:
        from mimic_qa.diff.report import render_diff_report

        for path in render_diff_report(result, report_dir):
            console.print(f"report: {escape(str(path))}")
    if quiet:
        out.print("SAME" if result.ok else "DRIFT")
    else:
        print_summary(out, result)
    raise typer.Exit(0 if result.ok else 1)
