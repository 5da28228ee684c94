"""``mimic-qa synth``: write a synthetic MIMIC-IV release (optionally with injected faults)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from mimic_qa.cli.app import app
from mimic_qa.cli.options import Quiet
from mimic_qa.cli.progress import TableProgress
from mimic_qa.spec import load_spec


def _list(value: bool) -> None:
    if value:
        from mimic_qa.synth import list_faults

        typer.echo(list_faults())
        raise typer.Exit()


@app.command("synth", epilog="""Examples:

\b
  mimic-qa synth synthetic/ --scale 0.001 --seed 1
  mimic-qa synth broken/ --inject truncated-gzip:labevents --inject orphan-fk:hosp.labevents.fk.itemid
  mimic-qa synth --list-faults""")
def synth(
    out_dir: Annotated[Path, typer.Argument(help="New or empty folder to write the release into.")],
    scale: float | None = typer.Option(None, "--scale", help="Fraction of the full release's per-patient rows "
                                          "(default 0.01; 1.0 = 886M rows for v3.1). For a demo, of the demo "
                                          "(default 1.0)."),
    seed: int = typer.Option(0, "--seed", help="Same seed, same bytes."),
    release: str | None = typer.Option(None, "--release", help="Release to imitate (see `mimic-qa spec --releases`); "
                                       "default: the clinical database's newest."),
    inject: Annotated[list[str] | None, typer.Option("--inject", help="Fault to inject, NAME[:TARGET]; repeatable. "
                                                     "See --list-faults.")] = None,
    list_faults_: bool = typer.Option(False, "--list-faults", callback=_list, is_eager=True,
                                      help="List every fault name, its target and effect, and exit."),
    quiet: Quiet = False,
) -> None:
    """Generate a synthetic MIMIC-IV release (its module folders of .csv.gz, SHA256SUMS.txt, LICENSE.txt, release
    file): the clinical database, or the ED or Note module over the clinical copy of the same seed."""
    from mimic_qa.synth import generate  # imported on use: every other command starts without it

    start = time.monotonic()
    spec = load_spec()
    key = release or next(iter(spec.projects.values())).default_release
    written = len(spec.releases[key].row_counts) if key in spec.releases else None  # bad keys: generate says so
    display = TableProgress(Console(stderr=True, highlight=False, soft_wrap=True), "written", quiet=quiet,
                            total=written, unit="tables")
    try:
        result = generate(out_dir, scale=scale, seed=seed, release=release, inject=inject or [],
                          tables=display.event)
    finally:
        display.close()
    rows = sum(result.row_counts.values())
    typer.echo(f"wrote {len(result.row_counts)} tables, {rows:,} rows to {result.out_dir} "
               f"(release {result.release}, scale {result.scale:g}, seed {result.seed}) in {time.monotonic() - start:.1f} s")
    for rec in [] if quiet else result.injected:
        where = rec["table"] + (f".{rec['column']}" if rec.get("column") else "")
        typer.echo(f"injected {rec['fault']} into {where} ({rec['rows']} rows)")
