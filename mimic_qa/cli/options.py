"""Options several commands share, declared once: the same name, parsing, help, errors and shell completion in
every command that takes them.

A bad value is one line on stderr and exit 2 (``UsageError``), raised while the command line is parsed, before
any work starts.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from mimic_qa.selection import ENGINES, EngineName, check_engine, gate_level, select_tables, split_names
from mimic_qa.spec.severity import Severity


def _table_names(incomplete: str) -> list[str]:
    """Completes the last name of a comma-separated list."""
    from mimic_qa.spec import load_spec

    done, _, last = incomplete.rpartition(",")
    return [f"{done},{n}" if done else n for n in load_spec().tables if n.startswith(last)]


def _severities(incomplete: str) -> list[str]:
    return [s.value for s in Severity if s.value.startswith(incomplete)]


def _engines(incomplete: str) -> list[str]:
    return [e for e in ENGINES if e.startswith(incomplete)]


def _names(values: list[str] | None) -> list[str]:
    return split_names(values)


def _fail_on(value: str) -> Severity:
    return gate_level(value, "--fail-on")


def _engine(value: str) -> EngineName:
    return check_engine(value)


Tables = Annotated[Optional[list[str]], typer.Option(
    "--tables", metavar="TABLE[,TABLE...]", callback=_names, autocompletion=_table_names,
    help="Only these tables (repeatable, or comma-separated: --tables patients,admissions).")]
ExcludeTables = Annotated[Optional[list[str]], typer.Option(
    "--exclude-tables", metavar="TABLE[,TABLE...]", callback=_names, autocompletion=_table_names,
    help="Leave out these tables (repeatable, or comma-separated), after --tables: e.g. a copy without "
    "chartevents.")]
FailOn = Annotated[str, typer.Option(
    "--fail-on", metavar="[error|warning|info]", callback=_fail_on, autocompletion=_severities,
    help="Exit 1 when something at this severity or worse is found.")]
Engine = Annotated[str, typer.Option(
    "--engine", metavar=f"[{'|'.join(ENGINES)}]", callback=_engine, autocompletion=_engines,
    help="Where the checks run. auto: DuckDB for directories, DuckDB files and Parquet; the server for "
    "postgresql:// and bigquery:// sources; spark: a Spark session.")]
JsonOut = Annotated[Optional[Path], typer.Option(
    "--json", metavar="FILE|-",
    help="Write the results as JSON to FILE, or to standard output with '-' (the summary then goes to stderr). "
    "Format: docs/json-output.md.")]
Quiet = Annotated[bool, typer.Option(
    "--quiet", "-q", help="Print only the verdict line: no progress, no tables, no notes.")]


def chosen_tables(tables: list[str] | None, exclude: list[str] | None) -> list[str] | None:
    """``--tables`` less ``--exclude-tables`` in spec order, or None (every table) when neither was given."""
    if not tables and not exclude:
        return None
    from mimic_qa.spec import load_spec

    return select_tables(load_spec(), tables, exclude)


def json_takes_stdout(json_out: Path | None) -> bool:
    """``--json -``: standard output carries the JSON, so the human summary goes to stderr."""
    return json_out is not None and str(json_out) == "-"


def write_json_output(path: Path, data: bytes) -> None:
    """The JSON document to ``path`` (written atomically), or to standard output for ``-``."""
    if json_takes_stdout(path):
        sys.stdout.buffer.write(data.rstrip(b"\n") + b"\n")
        sys.stdout.buffer.flush()
        return
    from mimic_qa.results.io import write_atomic

    write_atomic(path, data)
