"""The ``mimic-qa`` command group; each command's module registers itself on it (``mimic_qa.cli.main`` loads
them all)."""

from __future__ import annotations

import typer
from rich.console import Console

from mimic_qa.version import __version__

app = typer.Typer(
    name="mimic-qa",
    help="Data-quality and governance checks for MIMIC-IV: validate a copy, scan for residual PHI, "
    "keep data out of repositories.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mimic-qa {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """Data-quality and governance checks for MIMIC-IV."""
