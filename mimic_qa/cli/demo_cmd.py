"""``mimic-qa demo``: try the tool in a minute, on synthetic data, with no credentialing."""

from __future__ import annotations

import tempfile
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from mimic_qa.cli.app import app
from mimic_qa.cli.validate_cmd import print_summary
from mimic_qa.errors import UsageError
from mimic_qa.results.io import junit_xml, write_atomic, write_json


@app.command("demo")
def demo_command(
    out: Path | None = typer.Option(None, "--out", help="Folder for the copy, results and report "
                                    "(default: a new temporary folder)."),
    scale: float = typer.Option(0.001, "--scale", help="Size of the synthetic copy (1.0 = the full v3.1 row counts)."),
    seed: int = typer.Option(1, "--seed", help="Random seed of the synthetic copy."),
) -> None:
    """Generate a small synthetic MIMIC-IV copy, validate it, write the audit report and say where it is."""
    from mimic_qa.reports import render_report
    from mimic_qa.synth import generate
    from mimic_qa.validation import validate

    console = Console(highlight=False)
    if out is not None and out.exists() and any(out.iterdir()):
        raise UsageError(f"{out}: not empty; give a new folder")
    folder = out or Path(tempfile.mkdtemp(prefix="mimic-qa-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / "mimic-iv-synthetic"
    console.print(f"1/3 generating a synthetic MIMIC-IV v3.1 copy at scale {scale} in {escape(str(copy))} ...")
    generate(copy, scale=scale, seed=seed)
    console.print("2/3 validating it (mimic-qa validate) ...")
    result = validate(copy, command=f"mimic-qa demo --scale {scale} --seed {seed}")
    results = folder / "results"
    write_json(result.run, results / "validate.json")
    write_atomic(results / "validate.junit.xml", junit_xml(result.run, result.fail_on))
    console.print("3/3 writing the audit report ...")
    reports = render_report(result.run, folder / "report")
    print_summary(console, result)
    console.print(f"synthetic copy: {escape(str(copy))}")
    console.print(f"results:        {escape(str(results / 'validate.json'))} (JUnit: validate.junit.xml)")
    for path in reports:
        console.print(f"report:         {escape(str(path))}")
    console.print(f"next: mimic-qa validate {escape(str(copy))}    (or point it at your own MIMIC-IV download)")
    raise typer.Exit(0 if result.ok else 1)
