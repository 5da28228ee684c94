"""The ``mimic-qa`` entry point: every command module registered on the app, and errors as one line."""

from __future__ import annotations

import sys

from mimic_qa import interrupts
from mimic_qa.cli import (  # noqa: F401  (each registers its command on import, in --help order)
    spec_cmd,
    synth_cmd,
    validate_cmd,
    config_cmd,
    history_cmd,
    diff_cmd,
    demo_cmd,
    load_cmd,
    guard_cmd,
    scan_phi_cmd,
    expectations_cmd,
    report_cmd,
    cite_cmd,
)
from mimic_qa.cli.app import app, err_console
from mimic_qa.errors import ExitCode, MimicQAError

__all__ = ["app", "main"]


def main() -> None:
    """Entry point: run the app, turning user errors into one line on stderr and a non-zero exit."""
    interrupts.install()
    try:
        app(standalone_mode=True)
    except MimicQAError as exc:  # one line per problem (a configuration file may have several bad keys)
        for line in str(exc).splitlines() or [""]:
            err_console.print(f"mimic-qa: error: {line}", markup=False)
        sys.exit(exc.exit_code)
    except OSError as exc:  # a path the user named cannot be read or written: say which, and why, in one line
        where = f": {exc.filename}" if exc.filename else ""
        err_console.print(f"mimic-qa: error: {exc.strerror or type(exc).__name__}{where}", markup=False)
        sys.exit(ExitCode.USAGE)
