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
from mimic_qa.cli.options import (ExcludeTables, FailOn, JsonOut, Quiet, Tables, chosen_tables, json_takes_stdout,
                                  write_json_output)
from mimic_qa.cli.progress import TableProgress
from mimic_qa.display import summary_console
from mimic_qa.errors import ExitCode, UsageError
from mimic_qa.redaction import redact
from mimic_qa.spec.severity import Severity

if TYPE_CHECKING:
    from mimic_qa.diff.thresholds import Thresholds


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


@app.command("diff", epilog="""Examples:

\b
  mimic-qa diff ~/mimiciv/3.0 ~/mimiciv/3.1 --report-dir drift/
  mimic-qa diff validated.duckdb ~/mimiciv/3.1 --exclude-tables chartevents --fail-on info
  mimic-qa diff A B --tables labevents,patients --threshold ks=0.05,0.1 --json - | jq .summary""")
def diff_command(
    a: str = typer.Argument(..., help="Copy A, the reference: a release folder, a DuckDB database, a Parquet folder "
                            "or postgresql://user@host:port/db."),
    b: str = typer.Argument(..., help="Copy B, compared with A (same kinds of source)."),
    tables: Tables = None,
    exclude_tables: ExcludeTables = None,
    json_out: JsonOut = None,
    report_dir: Path | None = typer.Option(None, "--report-dir", help="Write the HTML and Markdown diff report here "
                                           "(diff.html, diff.md)."),
    fail_on: FailOn = Severity.ERROR.value,
    show_values: bool = typer.Option(False, "--show-values", help="Add categorical values, quantiles and units to "
                                     "the JSON and reports; counts below 10 are still suppressed (small-cell rule)."),
    threshold: list[str] | None = typer.Option(None, "--threshold", help="Override a statistic's thresholds: "
                                               "STAT=WARNING,ERROR (repeatable), e.g. ks=0.05,0.1; min_values=N."),
    quiet: Quiet = False,
) -> None:
    """Compare copy B with copy A: columns (added, removed, renamed, retyped, reordered), row counts, key sets
    (subject_id, hadm_id, stay_id, itemid, icd_code, ...: how many only in A, only in B), per-column profiles
    with a drift statistic (TVD for categories, Kolmogorov-Smirnov for numbers, dates and text lengths) and,
    for the EAV tables, the same per itemid. All computation runs in DuckDB or the database.

    Outputs hold column names, item ids, counts and distances only, unless --show-values. Exit 0 when no
    finding reaches --fail-on (info: any change at all), 1 when one does, 2 on usage errors or an unreadable
    source.
    """
    from mimic_qa.diff import compare
    from mimic_qa.diff.console import print_summary, verdict_line

    th = parse_thresholds(threshold)
    selected = chosen_tables(tables, exclude_tables)
    console = Console(stderr=True, highlight=False)
    out = summary_console(json_takes_stdout(json_out))
    display = TableProgress(console, "profiled", quiet=quiet)
    try:
        result = compare(a, b, tables=selected, show_values=show_values, thresholds=th, fail_on=Severity(fail_on),
                         command=redact(shlex.join(["mimic-qa", *sys.argv[1:]])), progress=display.event)
    finally:
        display.close()
    if json_out:
        write_json_output(json_out, result.model_dump_json(indent=2).encode("utf-8"))
    if report_dir:
        from mimic_qa.diff.report import render_diff_report

        for path in render_diff_report(result, report_dir):
            if not quiet:
                console.print(f"report: {escape(str(path))}")
    if quiet:
        out.print(verdict_line(result))
    else:
        print_summary(out, result)
    raise typer.Exit(ExitCode.OK if result.ok else ExitCode.FAILED)
