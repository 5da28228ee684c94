"""``mimic-qa load``: build mimic-code's PostgreSQL database from a release directory."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from mimic_qa.cli.main import app
from mimic_qa.cli.progress import TableProgress
from mimic_qa.errors import UsageError
from mimic_qa.load.ddl import DEFAULT_PREFIX
from mimic_qa.sources.layout import TableFile, find_release_root, table_files
from mimic_qa.spec import Spec, load_spec

TARGET_SCHEMES = ("postgresql://", "postgres://")


def select_files(root: Path, spec: Spec, requested: list[str]) -> dict[str, TableFile]:
    """The files to load, in spec order: all 31 tables, or the ``--tables`` subset (all must be present)."""
    names = [n.strip() for item in requested for n in item.split(",") if n.strip()]
    unknown = [n for n in names if n not in spec.tables]
    if unknown:
        raise UsageError(f"unknown table(s): {', '.join(unknown)} (see `mimic-qa spec`)")
    found = table_files(root, spec)
    wanted = [n for n in spec.tables if not names or n in names]
    missing = [spec.tables[n].file for n in wanted if n not in found]
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        hint = "" if names else "; pass --tables to load only some tables"
        raise UsageError(f"{root}: missing {shown}{hint}")
    return {n: found[n] for n in wanted}


@app.command("load")
def load(
    source: Path = typer.Argument(..., help="Release directory holding hosp/ and icu/ (*.csv.gz or *.csv)."),
    target: str = typer.Argument(..., help="postgresql://user@host:port/dbname (password: PGPASSWORD or ~/.pgpass)."),
    schema_prefix: str = typer.Option(DEFAULT_PREFIX, "--schema-prefix",
                                      help="Schemas are <prefix>_hosp and <prefix>_icu."),
    tables: list[str] = typer.Option([], "--tables", help="Load only these tables (comma-separated or repeated)."),
    no_constraints: bool = typer.Option(False, "--no-constraints",
                                        help="Skip the declared primary and foreign keys."),
    drop: bool = typer.Option(False, "--drop", help="Replace tables that already exist."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the final line (no progress)."),
) -> None:
    """Load a release into PostgreSQL like mimic-code: CREATE TABLE from the spec, COPY, the keys, the indexes."""
    from mimic_qa.load.postgres import load_release
    from mimic_qa.sources.postgres import mask_dsn

    if not target.startswith(TARGET_SCHEMES):
        raise UsageError("target must be a postgresql:// URL (e.g. postgresql://user@localhost:5432/mimiciv)")
    spec = load_spec()
    root = find_release_root(source)
    files = select_files(root, spec, tables)

    console = Console(stderr=True, highlight=False, soft_wrap=True)

    def say(msg: str) -> None:
        if not quiet:
            console.print(msg, markup=False)

    say(f"loading {len(files)} table(s) from {root} into {mask_dsn(target)}")
    display = TableProgress(console, "loaded", quiet=quiet, total=sum(f.path.stat().st_size for f in files.values()))
    try:
        result = load_release(files, target, spec, prefix=schema_prefix, constraints=not no_constraints,
                              drop=drop, progress=say, tables=display.event)
    finally:
        display.close()
    rate = result.total_rows / result.copy_seconds if result.copy_seconds else 0.0
    added = f"; added {len(result.constraints)} constraint(s) in {result.constraint_seconds:.1f} s" \
        if not no_constraints else ""
    console.print(f"loaded {len(result.rows)} table(s), {result.total_rows:,} rows in {result.copy_seconds:.1f} s "
                  f"({rate:,.0f} rows/s){added}; created {len(result.indexes)} index(es) in "
                  f"{result.index_seconds:.1f} s", markup=False)
