"""Generate the reference pages into a folder (atomically), or say which checked-in pages are stale."""

from __future__ import annotations

from pathlib import Path

import typer

from mimic_qa.docs.catalogue import render_checks
from mimic_qa.docs.cli_reference import render_cli
from mimic_qa.results.io import write_atomic
from mimic_qa.spec import Spec, load_spec

CHECKS_PAGE = "checks.md"
CLI_PAGE = "cli.md"


def render_docs(app: typer.Typer, spec: Spec | None = None) -> dict[str, str]:
    """File name -> Markdown text of every generated page (``app``: the ``mimic-qa`` command group)."""
    spec = spec or load_spec()
    return {CHECKS_PAGE: render_checks(spec), CLI_PAGE: render_cli(app)}


def write_docs(out_dir: Path, app: typer.Typer, spec: Spec | None = None) -> list[Path]:
    """Write the generated pages into ``out_dir``, each via a temporary file and a rename."""
    written = []
    for name, text in render_docs(app, spec).items():
        path = Path(out_dir) / name
        write_atomic(path, text.encode("utf-8"))
        written.append(path)
    return written


def stale_docs(out_dir: Path, app: typer.Typer, spec: Spec | None = None) -> list[str]:
    """Names of the pages in ``out_dir`` that are missing or differ from a fresh generation."""
    stale = []
    for name, text in render_docs(app, spec).items():
        path = Path(out_dir) / name
        if not path.is_file() or path.read_bytes() != text.encode("utf-8"):
            stale.append(name)
    return stale
