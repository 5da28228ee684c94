"""``mimic-qa load``: build mimic-code's PostgreSQL database from a release directory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from mimic_qa.cli.app import app
from mimic_qa.cli.options import ExcludeTables, Quiet, Tables
from mimic_qa.cli.progress import TableProgress
from mimic_qa.errors import UsageError
from mimic_qa.load.ddl import DEFAULT_PREFIX
from mimic_qa.selection import select_tables
from mimic_qa.spec import Spec, load_spec

if TYPE_CHECKING:  # imported when the command runs: the CLI (and guard's light pre-commit hook) starts without them
    from mimic_qa.sources.folder import FolderSource
    from mimic_qa.sources.layout import TableFile

TARGET_SCHEMES = ("postgresql://", "postgres://")


def select_files(source: FolderSource, spec: Spec, tables: list[str] | None,
                 exclude: list[str] | None) -> tuple[dict[str, TableFile], list[str] | None]:
    """The files to load, in spec order: every table of the projects the download holds, or the ``--tables``
    subset, less ``--exclude-tables`` (all must be present); and the tables chosen (None: not narrowed)."""
    projects = source.projects()
    held = [n for n in spec.tables if spec.project_of(n).key in projects]
    wanted = select_tables(spec, tables, exclude, among=held)
    missing = [spec.tables[n].file for n in wanted if n not in source.files]
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        hint = "" if tables or exclude else "; pass --tables or --exclude-tables to load only some tables"
        raise UsageError(f"{source.location}: missing {shown}{hint}")
    return {n: source.files[n] for n in wanted}, wanted if tables or exclude else None


@app.command("load", epilog="""Examples:

\b
  mimic-qa load ./mimic-iv-3.1 postgresql://me@localhost/mimiciv
  mimic-qa load mimic-iv-demo-2.2 postgresql://me@localhost/demo --exclude-tables chartevents --drop""")
def load(
    source: Path = typer.Argument(..., help="Release folder as PhysioNet ships it (module folders of *.csv.gz or *.csv)."),
    target: str = typer.Argument(..., help="postgresql://user@host:port/dbname (password: PGPASSWORD or ~/.pgpass)."),
    schema_prefix: str = typer.Option(DEFAULT_PREFIX, "--schema-prefix",
                                      help="Schemas are <prefix>_<module> (mimiciv_hosp, mimiciv_icu, ...)."),
    tables: Tables = None,
    exclude_tables: ExcludeTables = None,
    no_constraints: bool = typer.Option(False, "--no-constraints",
                                        help="Skip the declared primary and foreign keys."),
    drop: bool = typer.Option(False, "--drop", help="Replace tables that already exist."),
    quiet: Quiet = False,
) -> None:
    """Load a release into PostgreSQL like mimic-code: CREATE TABLE from the spec, COPY, the keys, the indexes."""
    from mimic_qa.load.postgres import load_release
    from mimic_qa.sources.base import Meta
    from mimic_qa.sources.folder import FolderSource
    from mimic_qa.sources.open import open_source
    from mimic_qa.sources.postgres import mask_dsn
    from mimic_qa.sources.release import choose_release

    if not target.startswith(TARGET_SCHEMES):
        raise UsageError("target must be a postgresql:// URL (e.g. postgresql://user@localhost:5432/mimiciv)")
    spec = load_spec()
    select_tables(spec, tables, exclude_tables)  # a misspelt name: before the source opens
    folder = open_source(str(source), spec, accept=("folder",), command="load")
    assert isinstance(folder, FolderSource)
    files, names = select_files(folder, spec, tables, exclude_tables)
    chosen = choose_release(spec, None, folder)
    meta = Meta(chosen.releases, chosen.row_counts, chosen.synthetic, names)

    console = Console(stderr=True, highlight=False, soft_wrap=True)

    def say(msg: str) -> None:
        if not quiet:
            console.print(msg, markup=False)

    say(f"loading {len(files)} table(s) from {folder.location} into {mask_dsn(target)}")
    display = TableProgress(console, "loaded", quiet=quiet, total=sum(f.path.stat().st_size for f in files.values()))
    try:
        result = load_release(files, target, spec, prefix=schema_prefix, constraints=not no_constraints,
                              drop=drop, progress=say, tables=display.event, meta=meta)
    finally:
        display.close()
    rate = result.total_rows / result.copy_seconds if result.copy_seconds else 0.0
    added = f"; added {len(result.constraints)} constraint(s) in {result.constraint_seconds:.1f} s" \
        if not no_constraints else ""
    console.print(f"loaded {len(result.rows)} table(s), {result.total_rows:,} rows in {result.copy_seconds:.1f} s "
                  f"({rate:,.0f} rows/s){added}; created {len(result.indexes)} index(es) in "
                  f"{result.index_seconds:.1f} s", markup=False)
