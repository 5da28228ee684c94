"""``mimic-qa guard``: find row-level MIMIC-IV data before it is committed (pre-commit hook and CI check)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from mimic_qa.cli.app import app
from mimic_qa.cli.progress import TableProgress
from mimic_qa.errors import UsageError


@app.command("guard")
def guard_command(
    paths: list[Path] | None = typer.Argument(None, help="Files or folders to scan (default: the git work tree)."),
    staged: bool = typer.Option(False, "--staged", help="Scan only the files staged for commit."),
    config: Path | None = typer.Option(None, "--config", help="Config file (default: .mimic-qa-guard.yaml)."),
    fmt: str = typer.Option("text", "--format", help="Output format: text | json | sarif."),
    strip: bool = typer.Option(False, "--strip-outputs", help="Clear the outputs of the given notebooks instead."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress on stderr (the report still prints)."),
) -> None:
    """Scan for MIMIC-IV data files, release copies and notebook outputs showing patient rows. Exit 1 if found."""
    from mimic_qa.guard import run_guard, strip_outputs  # imported on use: keeps the CLI (and pre-commit) quick
    from mimic_qa.guard.report import FORMATS, render

    targets = list(paths or [])
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if strip:
        if not targets:
            raise UsageError("--strip-outputs needs one or more notebook paths")
        for nb in targets:
            removed = strip_outputs(nb)
            typer.echo(f"{nb}: cleared {removed} output(s)")
        return
    display = TableProgress(Console(stderr=True, highlight=False, soft_wrap=True), "scanned", quiet=quiet)
    try:
        result = run_guard(targets, staged=staged, config=config, progress=display.event)
    finally:
        display.close()
    typer.echo(render(result, fmt))
    if result.found:
        raise typer.Exit(1)
