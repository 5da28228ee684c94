"""``mimic-qa cite``: how to cite a MIMIC-IV release, as plain text or BibTeX."""

from __future__ import annotations

import typer

from mimic_qa.cli.app import app
from mimic_qa.cli.spec_cmd import resolve_release
from mimic_qa.errors import UsageError
from mimic_qa.spec import load_spec

CITE_FORMATS = ("text", "bibtex")


@app.command("cite")
def cite_command(
    release: str | None = typer.Option(None, "--release", help="Release you used (default: the clinical database's "
                                       "newest; an unknown key lists the others)."),
    fmt: str = typer.Option("text", "--format", help="text | bibtex."),
) -> None:
    """Print the citations for a release: the data set, the original publication and PhysioNet."""
    if fmt not in CITE_FORMATS:
        raise UsageError(f"--format must be one of: {', '.join(CITE_FORMATS)}")
    key = resolve_release(load_spec(), release).key
    from mimic_qa.reports import render_citations  # lazy: keeps the CLI quick to start

    typer.echo(render_citations(key, fmt).strip())
