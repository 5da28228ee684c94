"""``mimic-qa expectations build``: generate the GX suites from the spec, or check they have not drifted."""

from __future__ import annotations

from pathlib import Path

import typer

from mimic_qa.cli.app import app, err_console
from mimic_qa.errors import UsageError
from mimic_qa.resources import expectations_dir
from mimic_qa.spec import load_spec

expectations_app = typer.Typer(
    name="expectations",
    help="Great Expectations suites generated from the release spec.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(expectations_app, name="expectations")


@expectations_app.command("build")
def build_command(
    out: Path | None = typer.Option(None, "--out", help="Directory to write <release>/<module>.<table>.json into "
                                    "(default: the suites shipped with mimic-qa)."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 if the suites differ from the spec."),
) -> None:
    """Generate one GX 1.x expectation suite per table per release from the spec."""
    from mimic_qa.gx.suites import drifted_suites, write_suites  # GX is slow to import: only when used

    target = expectations_dir() if out is None else out
    if target.exists() and not target.is_dir():
        raise UsageError(f"--out {target} is not a directory")
    spec = load_spec()
    if check:
        if not target.is_dir():
            err_console.print(f"{target} does not exist: no suites to check.", markup=False)
            raise typer.Exit(1)
        drifted = drifted_suites(target, spec)
        if drifted:
            err_console.print(f"{len(drifted)} suite file(s) in {target} differ from the spec "
                              "(run `mimic-qa expectations build`):", markup=False)
            for rel in drifted:
                err_console.print(f"  {rel}", markup=False)
            raise typer.Exit(1)
        typer.echo(f"The suites in {target} match the spec.")
        return
    try:
        changed = write_suites(target, spec)
    except OSError as exc:
        raise UsageError(f"cannot write suites to {target}: {exc.strerror or type(exc).__name__}") from None
    typer.echo(f"{len(changed)} suite file(s) written or removed in {target}; the others were up to date.")
