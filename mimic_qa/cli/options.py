"""Options several commands share, declared once: the same name, parsing, help, errors and shell completion in
every command that takes them.

A bad value is one line on stderr and exit 2 (``UsageError``), raised while the command line is parsed, before
any work starts.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from mimic_qa.selection import ENGINES, EngineName, check_engine, gate_level, select_tables, split_names
from mimic_qa.spec.severity import Severity

if TYPE_CHECKING:
    from mimic_qa.config import SiteConfig

# Each setting of a configuration file, and the parameter of the commands whose default it sets.
CONFIG_PARAMS = {"release": "release", "tables": "tables", "exclude-tables": "exclude_tables", "fail-on": "fail_on",
                 "engine": "engine", "checks": "checks", "history": "history", "outputs.json": "json_out",
                 "outputs.junit": "junit_out", "outputs.report-dir": "report_dir"}
_SITE = "mimic_qa.config"  # where the loaded configuration waits in the command's context


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


def _load_config(ctx: typer.Context, value: Optional[Path]) -> Optional[Path]:
    """Read the configuration file (``--config``, else the nearest one up from the working directory) before the
    other options, and make its settings their defaults: an option given on the command line still wins."""
    from mimic_qa.config import find_config, load_config

    path = value if value is not None else find_config(Path.cwd())
    if path is None:
        return None
    site = load_config(path)
    params = {p.name for p in ctx.command.params}
    ctx.default_map = {**(ctx.default_map or {}),
                       **{CONFIG_PARAMS[k]: v for k, v in site.settings.items() if CONFIG_PARAMS[k] in params}}
    ctx.meta[_SITE] = site
    return site.path


def site_config(ctx: typer.Context) -> SiteConfig | None:
    """The configuration file the command read (None: none was found)."""
    found: SiteConfig | None = ctx.meta.get(_SITE)
    return found


def setting_source(ctx: typer.Context, param: str) -> str:
    """Where a parameter's value came from: the command line, the configuration file, or the default."""
    source = ctx.get_parameter_source(param)
    name = source.name if source is not None else "DEFAULT"
    site = site_config(ctx)
    if name == "DEFAULT_MAP" and site is not None:
        return str(site.path)
    return {"COMMANDLINE": "command line", "ENVIRONMENT": "environment"}.get(name, "default")


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
ConfigFile = Annotated[Optional[Path], typer.Option(
    "--config", metavar="FILE", is_eager=True, callback=_load_config,
    help="The site's configuration: defaults of these options, waivers, local checks (default: the nearest "
    "mimic-qa.toml, or pyproject.toml with [tool.mimic-qa], in this folder or one above; docs/configuration.md).")]
History = Annotated[Optional[Path], typer.Option(
    "--history", metavar="DIR", help="Keep this run's results (ids and counts) in DIR and compare it with the run "
    "before it: the summary and the report gain 'since last run' and a trend per table (mimic-qa history DIR).")]
Release = Annotated[Optional[str], typer.Option(
    "--release", help="3.1 | demo-2.2 | a release file (JSON). Default: the synthetic release file, else "
    "demo_subject_id.csv (demo), else 3.1.")]
JunitOut = Annotated[Optional[Path], typer.Option(
    "--junit", help="Write JUnit XML (one testcase per check; a failure for each check that fails the --fail-on "
    "gate; a waived failure is skipped, with its waiver).")]
ReportDir = Annotated[Optional[Path], typer.Option(
    "--report-dir", help="Write the HTML and Markdown audit report here.")]
ChecksMode = Annotated[str, typer.Option(
    "--checks", help="all: NOT NULL, domains and rules through pandera, row counts and keys through the Great "
    "Expectations suites (DuckDB, PostgreSQL), the rest as SQL; sql: every check as compiled SQL (faster; the "
    "mode on other engines). Local checks always run as compiled SQL.")]


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
