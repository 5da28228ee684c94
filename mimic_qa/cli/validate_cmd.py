"""``mimic-qa validate``: the CI gate before analysis."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable

from mimic_qa.cli.app import app
from mimic_qa.cli.progress import TableProgress
from mimic_qa.errors import UsageError
from mimic_qa.redaction import redact
from mimic_qa.results import Status
from mimic_qa.results.io import junit_xml, write_atomic, write_json
from mimic_qa.spec import load_spec

if TYPE_CHECKING:
    from mimic_qa.validation import ValidationResult
    from mimic_qa.sources.release import Expectation

SEVERITIES = ("error", "warning", "info")


def print_summary(console: Console, result: ValidationResult, limit: int = 40) -> None:
    """Verdict, counts, release notes and the failing checks (ids and counts only)."""
    run, summary = result.run, result.run.summary
    for note in run.notes:
        console.print(f"[bold yellow]{escape(note)}[/]")
    failing = [c for c in run.checks if c.status in (Status.FAILED, Status.ERROR)]
    failing.sort(key=lambda c: (SEVERITIES.index(c.severity), c.id))
    if failing:
        grid = RichTable(title="checks that failed", show_lines=False)
        for head in ("severity", "check", "failing rows", "what"):
            grid.add_column(head, overflow="fold")
        for c in failing[:limit]:
            colour = {"error": "red", "warning": "yellow", "info": "cyan"}[c.severity]
            rows = "" if c.failing_rows is None else f"{c.failing_rows:,}"
            grid.add_row(f"[{colour}]{c.severity}[/]", escape(c.id), rows, escape(c.message))
        console.print(grid)
        if len(failing) > limit:
            console.print(f"... and {len(failing) - limit} more (see --json / --junit)")
    verdict = "[bold green]PASS[/]" if result.ok else "[bold red]FAIL[/]"
    console.print(f"{verdict}  {verdict_counts(summary, result.fail_on)}  "
                  f"[{summary['duration_seconds']} s, gate: --fail-on {result.fail_on}]", soft_wrap=True)


def verdict_counts(summary: dict, fail_on: str) -> str:
    """The counts after the verdict, split at the gate, so that a PASS never reads as "14 failed":
    ``1,050 checks: 1,003 passed, 2 failed (2 error), 12 failed below the gate (9 warning, 3 info), 0 could not
    run, 33 skipped``."""
    sev = summary["failed_by_severity"]
    gate = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
    parts = [f"{summary['passed']:,} passed"]
    for where, names in (("", gate), (" below the gate", SEVERITIES[len(gate):])):
        if n := sum(sev[s] for s in names):
            parts.append(f"{n:,} failed{where} (" + ", ".join(f"{sev[s]:,} {s}" for s in names if sev[s]) + ")")
    if len(parts) == 1:
        parts.append("0 failed")
    return f"{summary['total']:,} checks: " + ", ".join(
        [*parts, f"{summary['error']:,} could not run", f"{summary['skipped']:,} skipped"])


@app.command("validate")
def validate_command(
    source: str = typer.Argument(..., help="Release directory (hosp/, icu/; also wget's nested physionet.org "
                                 "folder), a DuckDB database or Parquet directory in mimic-code's layout, "
                                 "postgresql://user@host:port/db, or bigquery://physionet-data[/latest]."),
    release: str | None = typer.Option(None, "--release", help="3.1 | demo-2.2 | a release file (JSON). Default: "
                                       "the synthetic release file, else demo_subject_id.csv (demo), else 3.1."),
    json_out: Path | None = typer.Option(None, "--json", help="Write results as JSON."),
    junit_out: Path | None = typer.Option(None, "--junit", help="Write JUnit XML (one testcase per check)."),
    report_dir: Path | None = typer.Option(None, "--report-dir", help="Write the HTML and Markdown audit report here."),
    tables: list[str] | None = typer.Option(None, "--tables", help="Check only these tables (repeatable)."),
    fail_on: str = typer.Option("error", "--fail-on", help="Exit 1 when a check of this severity or worse fails: "
                                "error | warning | info."),
    show_values: bool = typer.Option(False, "--show-values", help="Allow offending data values in outputs "
                                     "(off by default: outputs hold identifiers and counts only)."),
    keep_db: Path | None = typer.Option(None, "--keep-db", help="Keep the parsed DuckDB database at this path "
                                        "(a ready database in mimic-code's layout)."),
    engine: str = typer.Option("auto", "--engine", help="auto | spark. auto: DuckDB for directories, DuckDB "
                               "files and Parquet; the server for postgresql:// and bigquery:// sources."),
    spark_master: str = typer.Option("local[*]", "--spark-master", help="Spark master for --engine spark."),
    max_bytes_billed: int | None = typer.Option(None, "--max-bytes-billed", help="BigQuery: refuse to run when "
                                                "the dry run says the checks would process more bytes."),
    checks: str = typer.Option("all", "--checks", help="all: NOT NULL, domains and rules through pandera, row "
                               "counts and keys through the Great Expectations suites (DuckDB, PostgreSQL), the rest "
                               "as SQL; sql: every check as compiled SQL (faster; the mode on other engines)."),
    expectations: Path | None = typer.Option(None, "--expectations", help="Your own edited copy of the GX "
                                             "suites folder (default: the packaged expectations/)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the verdict line."),
) -> None:
    """Check a MIMIC-IV copy: files, checksums, columns, types, NULLs, keys, domains, time rules, row counts.

    Exit 0 when no check at or above --fail-on failed, 1 when one did, 2 on usage errors or an unreadable source.
    """
    from mimic_qa.validation import ValidateOptions, validate

    if fail_on not in SEVERITIES:
        raise UsageError("--fail-on must be error, warning or info")
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    out = Console(highlight=False, width=None if sys.stdout.isatty() else 160)

    def announce(exp: Expectation) -> None:
        title = load_spec().releases[exp.release].title
        kind = " (synthetic copy)" if exp.synthetic else ""
        console.print(f"release: {escape(title)}{kind} — {escape(exp.reason)}")

    display = TableProgress(console, "parsed", quiet=quiet)
    try:
        options = ValidateOptions(
            release=release, tables=tables or None, checks=checks, show_values=show_values,  # type: ignore[arg-type]
            keep_db=keep_db, expectations_dir=expectations, engine=engine, spark_master=spark_master,
            max_bytes_billed=max_bytes_billed, command=redact(shlex.join(["mimic-qa", *sys.argv[1:]])),
            progress=display.event, on_release=None if quiet else announce,
            notify=lambda msg: console.print(escape(msg)))
        result = validate(source, options, fail_on=fail_on)  # type: ignore[arg-type]
    finally:
        display.close()
    if json_out:
        write_json(result.run, json_out)
    if junit_out:
        write_atomic(junit_out, junit_xml(result.run, result.fail_on))
    if report_dir:
        from mimic_qa.reports import render_report

        for path in render_report(result.run, report_dir):
            console.print(f"report: {path}")
    if quiet:
        out.print("PASS" if result.ok else "FAIL")
    else:
        print_summary(out, result)
    raise typer.Exit(0 if result.ok else 1)
