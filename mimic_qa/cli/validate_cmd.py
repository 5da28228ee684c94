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
from mimic_qa.cli.options import (ChecksMode, ConfigFile, ExcludeTables, Engine, FailOn, History, JsonOut, JunitOut,
                                  Quiet, Release, ReportDir, Tables, json_takes_stdout, site_config, write_json_output)
from mimic_qa.cli.progress import TableProgress
from mimic_qa.display import print_table, summary_console
from mimic_qa.errors import ExitCode
from mimic_qa.redaction import redact
from mimic_qa.results import CheckResult
from mimic_qa.results.gate import failing, waived
from mimic_qa.results.model import Comparison, Reuse
from mimic_qa.results.io import junit_xml, write_atomic
from mimic_qa.selection import EngineName
from mimic_qa.spec.severity import Severity
from mimic_qa.spec import load_spec

if TYPE_CHECKING:
    from mimic_qa.validation import ValidationResult
    from mimic_qa.sources.release import Expectation

COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def verdict_line(result: ValidationResult) -> str:
    """PASS or FAIL, the counts and the gate (and the checks ``--reuse`` took from the earlier results): the one
    line ``--quiet`` prints (rich markup)."""
    s = result.run.summary
    verdict = "[bold green]PASS[/]" if result.ok else "[bold red]FAIL[/]"
    reuse = result.run.reuse
    reused = f", {reuse.checks_reused:,} reused" if reuse is not None and reuse.checks_reused else ""
    return f"{verdict}  {verdict_counts(result)}  [{s.duration_seconds} s, gate: --fail-on {result.fail_on}{reused}]"


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
    if s.waived:
        parts.append(f"{s.waived:,} waived")
    return f"{s.total:,} checks: " + ", ".join([*parts, f"{s.error:,} could not run", f"{s.skipped:,} skipped"])


def print_summary(console: Console, result: ValidationResult, limit: int = 40) -> None:
    """Release notes, the failing checks (ids and counts only), the waived ones, the site's local checks, what
    changed since the last run kept, and the verdict line."""
    run = result.run
    for note in run.notes:
        console.print(f"[bold yellow]{escape(note)}[/]")
    failed = sorted((c for c in run.checks if failing(c)), key=lambda c: (-Severity(c.severity).rank, c.id))
    if failed:
        print_checks(console, failed[:limit])
        if len(failed) > limit:
            console.print(f"... and {len(failed) - limit} more (see --json / --junit)")
    if excused := [c for c in run.checks if waived(c)]:
        print_checks(console, excused, "failures waived (they do not block)")
    if run.local_checks:
        print_local(console, result)
    if run.history is not None and run.history.since_last_run is not None:
        print_since(console, run.history.since_last_run)
    if run.reuse is not None:
        console.print(escape(reuse_line(run.reuse)))
    console.print(verdict_line(result))


def reuse_line(reuse: Reuse) -> str:
    """What ``--reuse`` took from the earlier results and what it checked again (identifiers and counts)."""
    if reuse.reason:
        return f"reuse: nothing reused from {reuse.results} ({reuse.reason})"
    changed = ", ".join(reuse.tables_changed[:10]) + (" ..." if len(reuse.tables_changed) > 10 else "")
    again = f"; changed: {changed}" if changed else "; no table changed"
    return (f"reused the verdict of {reuse.results} ({reuse.earlier_started_at}) for {len(reuse.tables_reused)} "
            f"unchanged table(s): {reuse.checks_reused:,} checks reused, {reuse.checks_run:,} run{again}")


def _what(c: CheckResult) -> str:
    """The result's message, and its waiver's word when a waiver named it."""
    return c.message + (f" [{c.waiver.why}]" if c.waiver else "")


def print_checks(console: Console, checks: list[CheckResult], title: str = "checks that failed") -> None:
    """Failed checks, ids whole: a table, or one line per check where the table does not fit."""
    grid = RichTable(title=title, show_lines=False)
    grid.add_column("severity", no_wrap=True)
    grid.add_column("check", no_wrap=True)
    grid.add_column("failing rows", no_wrap=True, justify="right")
    grid.add_column("what", overflow="fold", min_width=24)
    lines = []
    for c in checks:
        sev, rows = f"[{COLOURS[c.severity]}]{c.severity}[/]", "" if c.failing_rows is None else f"{c.failing_rows:,}"
        grid.add_row(sev, escape(c.id), rows, escape(_what(c)))
        lines.append(f"{sev} {escape(c.id)}" + (f" ({rows} rows)" if rows else "") + f": {escape(_what(c))}")
    print_table(console, grid, lines)


def outcome_word(c: CheckResult, result: ValidationResult) -> str:
    """passed, failed (blocks), failed (below the gate), waived, could not run, skipped."""
    if waived(c):
        return "waived"
    if c.status.value in ("passed", "skipped"):
        return c.status.value
    word = "failed" if c.status.value == "failed" else "could not run"
    return f"{word} (blocks)" if c in result.failed else f"{word} (below the gate)"


def print_local(console: Console, result: ValidationResult) -> None:
    """Each of the site's local checks with its outcome."""
    local = {c.id: c for c in result.run.checks if c.id.startswith("local.")}
    grid = RichTable(title=f"local checks ({result.run.config})", show_lines=False)
    for head in ("check", "on", "outcome", "failing rows"):
        grid.add_column(head, no_wrap=True, justify="right" if head == "failing rows" else "left")
    lines = []
    for declared in result.run.local_checks:
        c = local[declared.id]
        rows = "" if c.failing_rows is None else f"{c.failing_rows:,}"
        word = outcome_word(c, result)
        grid.add_row(escape(c.id), escape(declared.relation), word, rows)
        lines.append(f"{escape(c.id)} on {escape(declared.relation)}: {word}" + (f" ({rows} failing)" if rows else ""))
    print_table(console, grid, lines)


def print_since(console: Console, since: Comparison) -> None:
    """What changed since the run kept before this one (ids and counts)."""
    console.print(f"since the last run ({since.before.id}, {since.before.started_at}): "
                  f"{len(since.newly_failing):,} newly failing, {len(since.fixed):,} fixed, "
                  f"{len(since.still_failing):,} still failing; rows changed in {len(since.row_changes):,} table(s)")
    if since.note:
        console.print(f"[bold yellow]{escape(since.note)}[/]")
    for word, changes in (("newly failing", since.newly_failing), ("fixed", since.fixed)):
        for change in changes[:10]:
            console.print(f"  {word}: {escape(change.id)}")
    for row in since.row_changes[:10]:
        console.print(f"  rows of {row.table}: {row.before if row.before is not None else '–'} -> "
                      f"{row.after if row.after is not None else '–'}")


EXAMPLES = """Examples:

\b
  mimic-qa validate ~/physionet.org/files/mimiciv/3.1 --json results.json --junit junit.xml
  mimic-qa validate mimic-iv-demo-2.2 --exclude-tables chartevents --quiet
  mimic-qa validate postgresql://me@localhost/mimiciv --tables patients,admissions --fail-on warning
  mimic-qa validate DIR --json - | jq .summary
  mimic-qa validate site.duckdb --config mimic-qa.toml --history qa-history --report-dir out
  mimic-qa validate site.duckdb --reuse results.json --json results.json   # the gate again: unchanged tables reused"""


@app.command("validate", epilog=EXAMPLES)
def validate_command(
    ctx: typer.Context,
    source: list[str] = typer.Argument(..., help="Release folder (also wget's nested physionet.org folder; "
                                       "several, one per PhysioNet project: MIMIC-IV, MIMIC-IV-ED, MIMIC-IV-Note), "
                                       "a DuckDB database or Parquet directory in mimic-code's layout, "
                                       "postgresql://user@host:port/db, or bigquery://physionet-data[/latest]."),
    config: ConfigFile = None,
    release: Release = None,
    json_out: JsonOut = None,
    junit_out: JunitOut = None,
    report_dir: ReportDir = None,
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
    checks: ChecksMode = "all",
    expectations: Path | None = typer.Option(None, "--expectations", help="Your own edited copy of the GX "
                                             "suites folder (default: the packaged expectations/)."),
    history: History = None,
    reuse: Path | None = typer.Option(None, "--reuse", metavar="FILE", help="Earlier results of this source "
                                      "(--json FILE): their verdict stands for the tables whose fingerprints are "
                                      "unchanged; changed tables and the checks that refer to them run again. A "
                                      "missing FILE runs every check (a CI gate's first run)."),
    quiet: Quiet = False,
) -> None:
    """Check a MIMIC-IV copy: files, checksums, columns, types, NULLs, keys, domains, time rules, row counts.

    Exit 0 when no check at or above --fail-on failed (or could not run), 1 when one did, 2 on usage errors or
    an unreadable source. A failure under a waiver that holds (configuration file) does not block.
    """
    from mimic_qa.validation import ValidateOptions, validate

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    out = summary_console(json_takes_stdout(json_out))
    say = (lambda msg: None) if quiet else (lambda msg: console.print(escape(msg)))

    def announce(exp: Expectation) -> None:
        title = load_spec().releases[exp.release].title
        kind = " (synthetic copy)" if exp.synthetic else ""
        say(f"release: {title}{kind} — {exp.reason}")

    if site := site_config(ctx):
        say(f"configuration: {site.path} ({len(site.waivers)} waiver(s), {len(site.local.checks)} local check(s))")
    display = TableProgress(console, "parsed", quiet=quiet)
    try:
        options = ValidateOptions(
            release=release, tables=tables, exclude_tables=exclude_tables, fail_on=Severity(fail_on),
            checks=checks, show_values=show_values,  # type: ignore[arg-type]
            keep_db=keep_db, expectations_dir=expectations, engine=engine, spark_master=spark_master,
            max_bytes_billed=max_bytes_billed, command=redact(shlex.join(["mimic-qa", *sys.argv[1:]])),
            progress=display.event, on_release=announce, notify=say, config=site, history=history, reuse=reuse)
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
