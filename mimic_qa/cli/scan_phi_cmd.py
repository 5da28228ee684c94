"""``mimic-qa scan-phi``: find residual PHI in free text and draft the report the DUA asks for."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.console import Console

from mimic_qa.cli.app import app
from mimic_qa.cli.progress import TableProgress
from mimic_qa.errors import UsageError


def _split(items: list[str] | None) -> list[str]:
    """Repeated options and comma-separated lists alike."""
    return [p.strip() for item in items or [] for p in item.split(",") if p.strip()]


def _evaluate(out_dir: Path, ground_truth: Path) -> None:
    import json

    from mimic_qa.phi.evaluate import evaluate, format_table, read_jsonl
    from mimic_qa.phi.findings import FINDINGS_FILE, PRIVATE_FILE
    from mimic_qa.results.io import write_atomic

    try:
        truth = read_jsonl(ground_truth)
    except (OSError, ValueError) as exc:
        raise UsageError(f"--ground-truth {ground_truth}: not readable JSON lines ({type(exc).__name__})") from None
    result = evaluate(read_jsonl(out_dir / FINDINGS_FILE), truth)
    write_atomic(out_dir / "evaluation.json", (json.dumps(result, indent=2) + "\n").encode(), mode=PRIVATE_FILE)
    typer.echo(format_table(result))


@app.command("scan-phi")
def scan_phi_command(
    source: str = typer.Argument(..., help="Release directory (csv.gz), DuckDB database, or one CSV/Parquet file."),
    tables: list[str] = typer.Option(None, "--tables", help="Scan only these tables (repeat or comma-separate)."),
    columns: list[str] = typer.Option(None, "--columns", help="Scan these table.column instead of the spec's "
                                      "free-text columns (for a single file: its column names)."),
    key: list[str] = typer.Option(None, "--key", help="Key columns that locate rows of a single CSV/Parquet file."),
    out: Path = typer.Option(Path("phi-scan"), "--out", help="Output folder (created owner-only)."),
    min_score: float = typer.Option(0.5, "--min-score", help="Report findings scoring at least this (0-1)."),
    include_context: bool = typer.Option(False, "--include-context",
                                          help="Add masked context around each finding (shows surrounding text)."),
    nlp_model: str = typer.Option(None, "--nlp-model", help="Installed spaCy model package or model directory "
                                  "for name/place NER (nothing is downloaded)."),
    release: str = typer.Option(None, "--release", help="Release the data belongs to (3.1 | demo-2.2)."),
    workers: int | None = typer.Option(None, "--workers", help="Analyzer processes (default: one per core, at most 2)."),
    ground_truth: Path = typer.Option(None, "--ground-truth", help="phi-ground-truth.jsonl of a copy made with "
                                      "synth --inject phi: also write evaluation.json (recall/precision by type)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress on stderr (the summary still prints)."),
) -> None:
    """Scan free-text columns for residual PHI. Exit 1 when findings at or above --min-score exist."""
    from mimic_qa.phi.run import scan_phi
    from mimic_qa.phi.scan import ScanOptions

    if source.startswith(("postgresql://", "postgres://", "bigquery://", "spark://")):
        raise UsageError(f"{source.split('://')[0]}: scan-phi reads release folders, DuckDB databases and CSV/Parquet "
                         "files; export the free-text columns of a server database to one of those first")
    if not 0 <= min_score <= 1:
        raise UsageError(f"--min-score must be between 0 and 1, got {min_score}")
    if workers is None:
        workers = min(2, os.cpu_count() or 1)
    if workers < 1:
        raise UsageError("--workers must be at least 1")
    options = ScanOptions(min_score=min_score, include_context=include_context, nlp_model=nlp_model, workers=workers)
    display = TableProgress(Console(stderr=True, highlight=False, soft_wrap=True), "scanned", quiet=quiet, unit="tables")
    try:
        outcome = scan_phi(Path(source).expanduser(), out, tables=_split(tables), columns=_split(columns), key=_split(key),
                           options=options, release=release, progress=display.event)
    finally:
        display.close()
    s = outcome.summary
    if ground_truth is not None:
        _evaluate(outcome.out_dir, ground_truth)
    typer.echo(f"scanned {s['tables_scanned']} table(s), {len(s['columns_scanned'])} column(s), "
               f"{s['rows_scanned']:,} rows, {s['distinct_values']:,} distinct values "
               f"({s['values_analyzed']:,} analysed)")
    if outcome.findings_total:
        kinds = ", ".join(f"{t} {n:,}" for t, n in s["by_entity_type"].items())
        typer.echo(f"{outcome.findings_total:,} finding(s) at score >= {min_score}: {kinds}")
        typer.echo(f"locations: {outcome.out_dir / 'findings.jsonl'}; review the draft "
                   f"{outcome.out_dir / 'phi-report-draft.md'} before sending (nothing was sent)")
        raise typer.Exit(1)
    typer.echo(f"no findings at score >= {min_score}; summary in {outcome.out_dir / 'scan-summary.json'}")
