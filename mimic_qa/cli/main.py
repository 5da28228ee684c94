"""The ``mimic-qa`` command group. Each command lives in its own module and registers itself here."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from mimic_qa import __version__
from mimic_qa import interrupts
from mimic_qa.errors import ExitCode, MimicQAError

app = typer.Typer(
    name="mimic-qa",
    help="Data-quality and governance checks for MIMIC-IV: validate a copy, scan for residual PHI, "
    "keep data out of repositories.",
    epilog="Examples:\n\n\b\n  mimic-qa validate ~/physionet.org/files/mimiciv/3.1 --json results.json\n"
    "  mimic-qa validate --help\n  mimic-qa --install-completion    # tab completion of commands, options, tables "
    "(bash, zsh, fish, PowerShell)",
    no_args_is_help=True,
    add_completion=True,
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


def _register_commands() -> None:
    from mimic_qa.cli import spec_cmd  # noqa: F401  (registers on import)
    from mimic_qa.cli import synth_cmd  # noqa: F401
    from mimic_qa.cli import validate_cmd  # noqa: F401
    from mimic_qa.cli import diff_cmd  # noqa: F401
    from mimic_qa.cli import demo_cmd  # noqa: F401
    from mimic_qa.cli import load_cmd  # noqa: F401
    from mimic_qa.cli import guard_cmd  # noqa: F401
    from mimic_qa.cli import scan_phi_cmd  # noqa: F401
    from mimic_qa.cli import expectations_cmd  # noqa: F401
    from mimic_qa.cli import report_cmd  # noqa: F401
    from mimic_qa.cli import cite_cmd  # noqa: F401


_register_commands()


def main() -> None:
    """Entry point: run the app, turning user errors into one line on stderr and a non-zero exit."""
    interrupts.install()
    try:
        app(standalone_mode=True)
    except MimicQAError as exc:
        err_console.print(f"mimic-qa: error: {exc}", markup=False)
        sys.exit(exc.exit_code)
    except OSError as exc:  # a path the user named cannot be read or written: say which, and why, in one line
        where = f": {exc.filename}" if exc.filename else ""
        err_console.print(f"mimic-qa: error: {exc.strerror or type(exc).__name__}{where}", markup=False)
        sys.exit(ExitCode.USAGE)
