"""``mimic-qa config``: the settings validate would run with, where each came from, and the file's waivers and
local checks; ``mimic-qa checks``: the check catalogue, the site's local checks included."""

from __future__ import annotations

from datetime import date

import typer
from rich.markup import escape
from rich.table import Table as RichTable

from mimic_qa.cli.app import app
from mimic_qa.cli.options import (CONFIG_PARAMS, ChecksMode, ConfigFile, Engine, ExcludeTables, FailOn, History,
                                  JsonOut, JunitOut, Release, ReportDir, Tables, setting_source, site_config)
from mimic_qa.display import print_table, summary_console
from mimic_qa.errors import UsageError
from mimic_qa.selection import EngineName
from mimic_qa.spec.severity import Severity


def _shown(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "–"
    return str(value)


@app.command("config", epilog="""Examples:

\b
  mimic-qa config                               # the nearest mimic-qa.toml (or [tool.mimic-qa])
  mimic-qa config --config site/mimic-qa.toml --fail-on warning""")
def config_command(
    ctx: typer.Context,
    config: ConfigFile = None,
    release: Release = None,
    tables: Tables = None,
    exclude_tables: ExcludeTables = None,
    fail_on: FailOn = Severity.ERROR.value,
    engine: Engine = EngineName.AUTO.value,
    checks: ChecksMode = "all",
    history: History = None,
    json_out: JsonOut = None,
    junit_out: JunitOut = None,
    report_dir: ReportDir = None,
) -> None:
    """Show the settings validate would use, where each came from (command line, configuration file, default),
    and the configuration's waivers and local checks."""
    site = site_config(ctx)
    console = summary_console()
    found = escape(str(site.path)) if site else "none (no mimic-qa.toml or [tool.mimic-qa] here or above)"
    console.print(f"configuration file: {found}", soft_wrap=True)
    width = max(len(k) for k in CONFIG_PARAMS)
    for key, param in CONFIG_PARAMS.items():  # one line each, never folded: values and sources are often paths
        value, source = _shown(ctx.params.get(param)), setting_source(ctx, param)
        console.print(escape(f"{key:<{width}} = {value}    ({source})"), soft_wrap=True)
    if site is None:
        return
    today = date.today()
    for w in site.waivers:
        ceiling = (f", ceiling {w.max_failing_rows:,} failing" if w.max_failing_rows is not None else "") + \
                  (f", ceiling {w.max_failing_fraction:g} of the rows" if w.max_failing_fraction is not None else "")
        state = "EXPIRED" if w.expires < today else f"{(w.expires - today).days} days left"
        console.print(escape(f"waiver {w.check}: {w.reason} ({w.owner}; until {w.expires.isoformat()}, {state}"
                             f"{ceiling})"), soft_wrap=True)
    for t in site.local.site_tables.values():
        console.print(escape(f"site table {t.relation}: {', '.join(t.columns)}"), soft_wrap=True)
    for c in site.local.checks:
        console.print(escape(f"local check {c.id} [{c.severity}]: {c.description}"), soft_wrap=True)


@app.command("checks", epilog="""Examples:

\b
  mimic-qa checks --config mimic-qa.toml --local      # the site's own checks
  mimic-qa checks --table icustays
  mimic-qa checks --config mimic-qa.toml --markdown > site-checks.md""")
def checks_command(
    ctx: typer.Context,
    config: ConfigFile = None,
    table: str | None = typer.Option(None, "--table", help="Only the checks of this table (a MIMIC or site table)."),
    local: bool = typer.Option(False, "--local", help="Only the site's local checks."),
    markdown: bool = typer.Option(False, "--markdown", help="Print the catalogue of the local checks as Markdown, "
                                  "in the form of docs/checks.md (for the site's own documentation)."),
) -> None:
    """List the check catalogue: every check id validate can report, with the configuration's local checks
    (ids local.<table>.<kind>[.<name>]) after the release's."""
    from mimic_qa.checks import build_catalog
    from mimic_qa.docs.catalogue import render_local_checks
    from mimic_qa.spec import load_spec

    site = site_config(ctx)
    own = list(site.local.checks) if site else []
    if markdown:
        if site is None:
            raise UsageError("--markdown lists the local checks of a configuration file: none was found (--config)")
        typer.echo(render_local_checks(site), nl=False)
        return
    catalog = own if local else [*build_catalog(load_spec()), *own]
    if table is not None:
        catalog = [c for c in catalog if c.table == table]
        if not catalog:
            raise UsageError(f"no check on a table named {table!r}")
    console = summary_console()
    grid = RichTable(title=f"{len(catalog):,} checks", show_lines=False)
    for head in ("check", "severity", "what it tests"):
        prose = head == "what it tests"
        grid.add_column(head, no_wrap=not prose, overflow="fold", min_width=24 if prose else None)
    lines = []
    for c in catalog:
        grid.add_row(escape(c.id), str(c.severity), escape(c.description))
        lines.append(f"{escape(c.id)} [{c.severity}]: {escape(c.description)}")
    print_table(console, grid, lines)
