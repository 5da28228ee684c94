"""``mimic-qa spec``: show the release spec for humans or as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable

from mimic_qa.cli.app import app
from mimic_qa.errors import UsageError
from mimic_qa.spec import Release, Spec, Table, load_spec


def resolve_release(spec: Spec, key: str | None) -> Release:
    """The release named on the command line (None: the clinical database's default), or a one-line usage error."""
    if key is None:
        key = next(iter(spec.projects.values())).default_release
    if key not in spec.validatable_releases:
        raise UsageError(f"unknown release {key!r}; choose one of: {', '.join(spec.validatable_releases)}")
    return spec.release(key)


def table_json(table: Table, release: Release) -> dict[str, Any]:
    """The JSON shape of one table (stable: scripts and other tools read it)."""
    return {
        "module": table.module,
        "file": table.file,
        "columns": [{"name": c.name, "type": c.type, "nullable": c.nullable} for c in table.columns],
        "primary_key": list(table.primary_key) if table.primary_key else None,
        "candidate_keys": [{"columns": k.columns, "severity": k.severity} for k in table.candidate_keys],
        "foreign_keys": [
            {"columns": f.columns, "ref_table": f.ref_table, "ref_columns": f.ref_columns, "declared": f.declared}
            for f in table.foreign_keys
        ],
        "free_text": list(table.free_text),
        "row_count": release.row_counts[table.name],
    }


def spec_json(spec: Spec, release: Release, tables: list[str]) -> dict[str, Any]:
    return {
        "dataset": spec.dataset,
        "release": release.key,
        "title": release.title,
        "doi": release.doi,
        "spec_version": spec.spec_version,
        "tables": {name: table_json(spec.tables[name], release) for name in tables},
    }


def release_tables(spec: Spec, release: Release) -> list[str]:
    """The tables of the release's project, in spec order."""
    return [t for t in spec.tables if spec.project_of(t).key == release.project]


def _print_overview(console: Console, spec: Spec, release: Release) -> None:
    tables = [spec.tables[n] for n in release_tables(spec, release)]
    grid = RichTable(title=f"{release.title} ({len(tables)} tables, doi:{release.doi})")
    for head, just in (("module", "left"), ("table", "left"), ("columns", "right"), ("primary key", "left"),
                       ("foreign keys", "right"), ("rows expected", "right")):
        grid.add_column(head, justify=just)  # type: ignore[arg-type]
    total = 0
    for t in tables:
        rows = release.row_counts[t.name]
        total += rows
        declared = sum(f.declared for f in t.foreign_keys)
        grid.add_row(t.module, t.name, str(len(t.columns)), ", ".join(t.primary_key or ["-"]),
                     f"{declared} + {len(t.foreign_keys) - declared}", f"{rows:,}")
    grid.add_section()
    grid.add_row("", "total", "", "", "", f"{total:,}")
    console.print(grid)
    console.print("foreign keys: declared in constraint.sql + documented but undeclared")


def _print_table(console: Console, t: Table, release: Release) -> None:
    console.print(f"[bold]{t.module}.{t.name}[/bold]  ({t.file})  {escape(t.description)}")
    console.print(escape(f"rows expected in {release.title}: {release.row_counts[t.name]:,} "
                         f"(source: {release.row_count_source(t.name)})"))
    cols = RichTable(show_edge=False)
    for head in ("#", "column", "type", "nullable", "max length", "free text"):
        cols.add_column(head)
    for i, c in enumerate(t.columns, 1):
        cols.add_row(str(i), c.name, c.type, "yes" if c.nullable else "NOT NULL",
                     str(c.max_length or ""), "yes" if c.name in t.free_text else "")
    console.print(cols)
    console.print(f"primary key: {', '.join(t.primary_key) if t.primary_key else 'none declared'}")
    for k in t.candidate_keys:
        console.print(escape(f"candidate key ({k.severity}): {', '.join(k.columns)}  [{k.source}]"))
    for f in t.foreign_keys:
        how = "declared" if f.declared else f"undeclared, {f.severity}"
        console.print(escape(f"foreign key ({how}): {', '.join(f.columns)} -> {f.ref_table}({', '.join(f.ref_columns)})"))
    for d in t.domains:
        console.print(escape(f"domain ({d.severity}): {d.describe()}  [{d.source}]"))
    for r in t.rules:
        console.print(escape(f"rule ({r.severity}): {r.name}: {r.expr}"))


def _docs(out_dir: Path, check: bool) -> None:
    from mimic_qa.docs import stale_docs, write_docs

    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir}: not a folder")
    if check:
        stale = stale_docs(out_dir, app)
        if stale:
            typer.echo(f"out of date in {out_dir}: {', '.join(stale)}; run: mimic-qa spec --docs {out_dir}", err=True)
            raise typer.Exit(1)
        typer.echo(f"{out_dir}: generated pages are up to date")
        return
    for path in write_docs(out_dir, app):
        typer.echo(f"wrote {path}")


@app.command("spec")
def spec_command(
    release: str | None = typer.Option(None, "--release", help="Release to describe (default: the clinical "
                                       "database's newest; an unknown key lists the others)."),
    table: str | None = typer.Option(None, "--table", help="Show one table only."),
    as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
    docs: Path | None = typer.Option(None, "--docs", help="Write the check catalogue (checks.md) and the "
                                     "command reference (cli.md) into this folder, and exit."),
    check: bool = typer.Option(False, "--check", help="With --docs: write nothing; exit 1 if the pages in "
                               "the folder differ from a fresh generation."),
) -> None:
    """Show the MIMIC-IV release spec: tables, columns, types, keys, domains, rules and row counts."""
    if check and docs is None:
        raise UsageError("--check needs --docs DIR")
    if docs is not None:
        _docs(docs, check)
        return
    spec = load_spec()
    rel = resolve_release(spec, release)
    own = release_tables(spec, rel)
    if table is not None and table not in own:
        raise UsageError(f"unknown table {table!r} in {rel.title}; tables are: {', '.join(own)}")
    names = [table] if table else own
    if as_json:
        typer.echo(json.dumps(spec_json(spec, rel, names), indent=2))
        return
    console = Console(highlight=False)
    if table:
        _print_table(console, spec.tables[table], rel)
    else:
        _print_overview(console, spec, rel)
