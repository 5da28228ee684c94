"""``mimic-qa report``: render the HTML and Markdown audit report of a results file."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import typer

from mimic_qa.cli.app import app
from mimic_qa.errors import UsageError
from mimic_qa.results.io import load_results


def parse_formats(value: str, known: Iterable[str]) -> list[str]:
    """'html,md' -> ['html', 'md'], or a usage error naming the known formats."""
    known = list(known)
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    if not formats or any(f not in known for f in formats):
        raise UsageError(f"--format takes a comma-separated list of: {', '.join(known)}")
    return formats


@app.command("report", epilog="""Examples:

\b
  mimic-qa report results.json
  mimic-qa report results.json --phi phi-scan/ --out audit/ --format html""")
def report_command(
    results: Path = typer.Argument(..., help="Results JSON written by mimic-qa validate --json."),
    phi: Path | None = typer.Option(None, "--phi", help="scan-phi output folder (with scan-summary.json) to "
                                    "include the PHI-scan counts."),
    out: Path | None = typer.Option(None, "--out", help="Folder to write report.html / report.md in "
                                    "(default: the results file's folder)."),
    formats: str = typer.Option("html,md", "--format", help="Comma-separated: html, md."),
) -> None:
    """Write the audit report: verdict, checks per table, row counts, PHI-scan counts, DUA duties, citations.

    Reports hold check identifiers and counts only (values only if the run was made with --show-values).
    """
    from mimic_qa.reports.render import FORMATS, render_report  # lazy: keeps the CLI quick to start

    wanted = parse_formats(formats, FORMATS)
    if phi is not None and not phi.is_dir():
        raise UsageError(f"--phi {phi} is not a folder")
    run = load_results(results)
    for path in render_report(run, out if out is not None else results.parent, formats=wanted, phi_dir=phi):
        typer.echo(f"report: {path}")
