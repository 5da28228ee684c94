"""``mimic-qa history DIR``: the runs a history folder keeps, and any two of them compared."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable

from mimic_qa.cli.app import app
from mimic_qa.cli.options import ConfigFile, History, site_config
from mimic_qa.display import print_table, summary_console
from mimic_qa.errors import UsageError
from mimic_qa.results.model import Comparison


def print_comparison(console: Console, c: Comparison) -> None:
    """Two runs compared: the checks newly failing, fixed and still failing, and the row counts that changed."""
    console.print(f"run {c.before.id} ({c.before.started_at}, {c.before.release}) -> run {c.after.id} "
                  f"({c.after.started_at}, {c.after.release})")
    if c.note:
        console.print(f"[bold yellow]{escape(c.note)}[/]")
    if c.before.fingerprint and c.after.fingerprint:
        same = c.before.fingerprint == c.after.fingerprint
        console.print("the source's content is " + ("the same" if same else "different") + " (fingerprints)")
    grid = RichTable(title="checks", show_lines=False)
    for head in ("change", "check", "severity", "failing before", "failing after"):
        grid.add_column(head, no_wrap=True, justify="right" if head.startswith("failing") else "left")
    lines = []
    for word, changes in (("newly failing", c.newly_failing), ("fixed", c.fixed), ("still failing", c.still_failing)):
        for ch in changes:
            before, after = ("–" if n is None else f"{n:,}" for n in (ch.before, ch.after))
            grid.add_row(word, escape(ch.id), str(ch.severity), before, after)
            lines.append(f"{word}: {escape(ch.id)} [{ch.severity}] {before} -> {after}")
    if lines:
        print_table(console, grid, lines)
    for r in c.row_changes:
        before, after = ("–" if n is None else f"{n:,}" for n in (r.before, r.after))
        console.print(f"rows of {r.table}: {before} -> {after}")
    console.print(f"{len(c.newly_failing):,} newly failing, {len(c.fixed):,} fixed, {len(c.still_failing):,} still "
                  f"failing; rows changed in {len(c.row_changes):,} table(s)")


@app.command("history", epilog="""Examples:

\b
  mimic-qa history qa-history                   # the runs kept, oldest first
  mimic-qa history qa-history --compare 1 -1    # the first run against the latest
  mimic-qa history --compare 20261127T100000Z -1""")
def history_command(
    ctx: typer.Context,
    folder: Path | None = typer.Argument(None, metavar="[DIR]", help="A folder written by validate --history "
                                         "(default: the configuration file's history)."),
    config: ConfigFile = None,
    history: History = None,
    compare: tuple[str, str] | None = typer.Option(None, "--compare", metavar="RUN RUN", help="Compare two runs: "
                                                   "numbers as listed (1 = oldest, -1 = latest) or run ids."),
) -> None:
    """List the runs kept in a history folder (release, verdict, failing checks, rows), or compare two of them.
    Runs checked against different releases are compared with that said."""
    from mimic_qa.history import compare as compare_runs, find_run, load_runs

    where = folder or history
    if where is None:
        raise UsageError("name the history folder (mimic-qa history DIR), or set history in the configuration file"
                         + (f" ({site.path})" if (site := site_config(ctx)) else ""))
    runs = load_runs(where)
    console = summary_console()
    if compare:
        print_comparison(console, compare_runs(find_run(runs, compare[0]), find_run(runs, compare[1])))
        return
    if not runs:
        console.print(f"no run kept in {escape(str(where))} yet (validate --history {escape(str(where))})")
        return
    grid = RichTable(title=f"{len(runs)} run(s) kept in {escape(str(where))}", show_lines=False)
    for head in ("#", "run", "started", "release", "source", "verdict", "failing", "rows", "seconds"):
        grid.add_column(head, no_wrap=head != "source", overflow="fold",
                        justify="right" if head in ("#", "failing", "rows", "seconds") else "left")
    lines = []
    for n, r in enumerate(runs, 1):
        verdict = {True: "PASS", False: "FAIL", None: "–"}[r.ok]
        rows = sum(v or 0 for v in r.rows.values())
        cells = (str(n), r.id, r.started_at, r.release, r.source, verdict, f"{len(r.failing()):,}", f"{rows:,}",
                 f"{r.duration_seconds:g}")
        grid.add_row(*(escape(c) for c in cells))
        lines.append(f"{n}. {escape(r.id)} {r.started_at} {r.release} {verdict}: {len(r.failing()):,} failing, "
                     f"{rows:,} rows ({escape(r.source)})")
    print_table(console, grid, lines)
