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
from mimic_qa.cli.options import (ExcludeTables, Engine, FailOn, JsonOut, Quiet, Tables, json_takes_stdout,
                                  write_json_output)
from mimic_qa.cli.progress import TableProgress
from mimic_qa.display import print_table, summary_console
from mimic_qa.errors import ExitCode
from mimic_qa.redaction import redact
from mimic_qa.results import CheckResult
from mimic_qa.results.gate import BLOCKING_STATUSES
from mimic_qa.results.io import junit_xml, write_atomic
from mimic_qa.selection import EngineName
from mimic_qa.spec.severity import Severity
from mimic_qa.spec import load_spec

if TYPE_CHECKING:
    from mimic_qa.validation import ValidationResult
    from mimic_qa.sources.release import Expectation

COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def verdict_line(result: ValidationResult) -> str:
    """PASS or FAIL, the counts and the gate: the one line ``--quiet`` prints (rich markup)."""
    s = result.run.summary
    verdict = "[bold green]PASS[/]" if result.ok else "[bold red]FAIL[/]"
    return f"{verdict}  {verdict_counts(result)}  [{s.duration_seconds} s, gate: --fail-on {result.fail_on}]"


def verdict_counts(result: ValidationResult) -> str:
    """The counts after the verdict, split at the gate, so that a PASS never reads as "14 failed":
    ``1,050 checks: 1,003 passed, 2 failed (2 error), 12 failed below the gate (9 warning, 3 info), 0 could not
    run, 33 skipped``."""
    s = result.run.summary
    sev = {level.value: getattr(s.failed_by_severity, level.value) for level in Severity}
    order = sorted(Severity, key=lambda level: -level.rank)  # error, warning, info
    gate = [level.value for level in order if level.rank >= Severity(result.fail_on).rank]
    below = [level.value for level in order if level.value not in gate]
    parts = [f"{s.passed:,} passed"]
    for where, names in (("", gate), (" below the gate", below)):
        if n := sum(sev[name] for name in names):
            parts.append(f"{n:,} failed{where} (" + ", ".join(f"{sev[name]:,} {name}" for name in names if sev[name])
                         + ")")
    if len(parts) == 1:
        parts.append("0 failed")
    return f"{s.total:,} checks: " + ", ".join([*parts, f"{s.error:,} could not run", f"{s.skipped:,} skipped"])


def print_summary(console: Console, result: ValidationResult, limit: int = 40) -> None:
    """Release notes, the failing checks (ids and counts only), and the verdict line."""
    for note in result.run.notes:
        console.print(f"[bold yellow]{escape(note)}[/]")
    failing = [c for c in result.run.checks if c.status in BLOCKING_STATUSES]
    failing.sort(key=lambda c: (-Severity(c.severity).rank, c.id))
    if failing:
        print_checks(console, failing[:limit])
        if len(failing) > limit:
            console.print(f"... and {len(failing) - limit} more (see --json / --junit)")
    console.print(verdict_line(result))


def print_checks(console: Console, checks: list[CheckResult]) -> None:
    """The failing checks, ids whole: a table, or one line per check where the table does not fit."""
    grid = RichTable(title="checks that failed", show_lines=False)
    grid.add_column("severity", no_wrap=True)
    grid.add_column("check", no_wrap=True)
    grid.add_column("failing rows", no_wrap=True, justify="right")
    grid.add_column("what", overflow="fold", min_width=24)
    lines = []
    for c in checks:
        sev, rows = f"[{COLOURS[c.severity]}]{c.severity}[/]", "" if c.failing_rows is None else f"{c.failing_rows:,}"
        grid.add_row(sev, escape(c.id), rows, escape(c.message))
        lines.append(f"{sev} {escape(c.id)}" + (f" ({rows} rows)" if rows else "") + f": {escape(c.message)}")
    print_table(console, grid, lines)


EXAMPLES = """Examples:

\b
  mimic-qa validate ~/physionet.org/files/mimiciv/3.1 --json results.json --junit junit.xml
  mimic-qa validate mimic-iv-demo-2.2 --exclude-tables chartevents --quiet
  mimic-qa validate postgresql://me@localhost/mimiciv --tables patients,admissions --fail-on warning
  mimic-qa validate DIR --json - | jq .summary"""


@app.command("validate", epilog=EXAMPLES)
def validate_command(
    source: list[str] = typer.Argument(..., help="Release folder (also wget's nested physionet.org folder; "
                                       "several, one per PhysioNet project: MIMIC-IV, MIMIC-IV-ED, MIMIC-IV-Note), "
                                       "a DuckDB database or Parquet directory in mimic-code's layout, "
                                       "postgresql://user@host:port/db, or bigquery://physionet-data[/latest]."),
    release: str | None = typer.Option(None, "--release", help="3.1 | demo-2.2 | a release file (JSON). Default: "
                                       "the synthetic release file, else demo_subject_id.csv (demo), else 3.1."),
    json_out: JsonOut = None,
    junit_out: Path | None = typer.Option(None, "--junit", help="Write JUnit XML (one testcase per check; a "
                                          "failure for each check that fails the --fail-on gate)."),
    report_dir: Path | None = typer.Option(None, "--report-dir", help="Write the HTML and Markdown audit report here."),
    tables: Tables = None,
    exclude_tables: ExcludeTables = None,
    fail_on: FailOn = Severity.ERROR.value,
    show_values: bool = typer.Option(False, "--show-values", help="Allow offending data values in outputs "
                                     "(off by default: outputs hold identifiers and counts only)."),
    keep_db: Path | None = typer.Option(None, "--keep-db", help="Keep the parsed DuckDB database at this path "
                                        "(a ready database in mimic-code's layout)."),
    engine: Engine = EngineName.AUTO.value,
    spark_master: str = typer.Option("local[*]", "--spark-master", help="Spark master for --engine spark."),
    max_bytes_billed: int | None = typer.Option(None, "--max-bytes-billed", help="BigQuery: refuse to run when "
                                                "the dry run says the checks would process more bytes."),
    checks: str = typer.Option("all", "--checks", help="all: NOT NULL, domains and rules through pandera, row "
                               "counts and keys through the Great Expectations suites (DuckDB, PostgreSQL), the rest "
                               "as SQL; sql: every check as compiled SQL (faster; the mode on other engines)."),
    expectations: Path | None = typer.Option(None, "--expectations", help="Your own edited copy of the GX "
                                             "suites folder (default: the packaged expectations/)."),
    quiet: Quiet = False,
) -> None:
    """Check a MIMIC-IV copy: files, checksums, columns, types, NULLs, keys, domains, time rules, row counts.

    Exit 0 when no check at or above --fail-on failed (or could not run), 1 when one did, 2 on usage errors or
    an unreadable source.
    """
    from mimic_qa.validation import ValidateOptions, validate

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    out = summary_console(json_takes_stdout(json_out))
    say = (lambda msg: None) if quiet else (lambda msg: console.print(escape(msg)))

    def announce(exp: Expectation) -> None:
        title = load_spec().releases[exp.release].title
        kind = " (synthetic copy)" if exp.synthetic else ""
        say(f"release: {title}{kind} — {exp.reason}")

    display = TableProgress(console, "parsed", quiet=quiet)
    try:
        options = ValidateOptions(
            release=release, tables=tables, exclude_tables=exclude_tables, fail_on=Severity(fail_on),
            checks=checks, show_values=show_values,  # type: ignore[arg-type]
            keep_db=keep_db, expectations_dir=expectations, engine=engine, spark_master=spark_master,
            max_bytes_billed=max_bytes_billed, command=redact(shlex.join(["mimic-qa", *sys.argv[1:]])),
            progress=display.event, on_release=announce, notify=say)
        result = validate(source, options)
    finally:
        display.close()
    if json_out:
        write_json_output(json_out, result.run.model_dump_json(indent=2).encode("utf-8"))
    if junit_out:
        write_atomic(junit_out, junit_xml(result.run))
    if report_dir:
        from mimic_qa.reports import render_report

        for path in render_report(result.run, report_dir):
            say(f"report: {path}")
    if quiet:
        out.print(verdict_line(result))
    else:
        print_summary(out, result)
    raise typer.Exit(ExitCode.OK if result.ok else ExitCode.FAILED)
