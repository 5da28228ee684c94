"""The options several commands share behave the same in each: --tables (repeated or comma-separated),
--exclude-tables, --engine and --fail-on choices, --json - and --quiet; every --help has an example; shell
completion works."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mimic_qa.cli import app
from mimic_qa.spec import load_spec
from tests.cli import run_cli

TWO = ["patients", "admissions"]
NOWHERE = "postgresql://nobody@127.0.0.1:9/none"  # never reached: the options are refused first
VERDICT = re.compile(r"(PASS|FAIL)  [\d,]+ checks: [\d,]+ passed, (0 failed|[\d,]+ failed \([^)]+\))"
                     r"(, [\d,]+ failed below the gate \([^)]+\))?, [\d,]+ could not run, [\d,]+ skipped  "
                     r"\[[\d.]+ s, gate: --fail-on (error|warning|info)\]")


class Captured(Exception):
    """Raised by a stand-in for a command's back end, with the arguments the command gave it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("captured")
        self.args_, self.kwargs = args, kwargs


def _capture(*args: Any, **kwargs: Any) -> None:
    raise Captured(*args, **kwargs)


def _tables_given(monkeypatch, command: str, source: str, table_args: list[str]) -> list[str]:
    """The tables scan-phi or load hands its back end for these --tables/--exclude-tables arguments."""
    if command == "scan-phi":
        monkeypatch.setattr("mimic_qa.phi.run.scan_phi", _capture)
        args = ["scan-phi", source, *table_args]
    else:
        monkeypatch.setattr("mimic_qa.load.postgres.load_release", _capture)
        args = ["load", source, NOWHERE, *table_args]
    result = CliRunner().invoke(app, args)
    assert isinstance(result.exception, Captured), result.output
    got = result.exception.kwargs["tables"] if command == "scan-phi" else list(result.exception.args_[0])
    return list(got)


@pytest.mark.parametrize("command", ["scan-phi", "load"])
def test_repeated_and_comma_separated_tables_are_the_same(monkeypatch, real_demo, command):
    source = str(real_demo)
    commas = _tables_given(monkeypatch, command, source, ["--tables", "patients,admissions"])
    repeated = _tables_given(monkeypatch, command, source, ["--tables", "patients", "--tables", "admissions"])
    assert sorted(commas) == sorted(repeated) == sorted(TWO)
    less = _tables_given(monkeypatch, command, source, ["--tables", "patients,admissions", "--exclude-tables",
                                                        "admissions"])
    assert less == ["patients"]
    spec = load_spec()
    everything = set(spec.tables)
    if command == "load":  # load takes the clinical demo's project (no chartevents in the copy: the other 30)
        everything = set(spec.module_tables("hosp") + spec.module_tables("icu")) - {"chartevents"}
    assert set(_tables_given(monkeypatch, command, source, ["--exclude-tables", "chartevents"])) == \
        everything - {"chartevents"}


def _json(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return json.loads(done.stdout)  # --json -: stdout holds the JSON document and nothing else


def test_validate_and_diff_take_tables_both_ways_and_write_json_to_stdout(real_demo):
    for command, sources in (("validate", [str(real_demo)]), ("diff", [str(real_demo), str(real_demo)])):
        extra = ["--checks", "sql"] if command == "validate" else []
        commas = _json(run_cli(command, *sources, "--tables", "patients,admissions", "--json", "-", *extra))
        repeated = run_cli(command, *sources, "--tables", "patients", "--tables", "admissions", "--json", "-",
                           *extra)
        again = _json(repeated)
        if command == "validate":
            assert sorted(commas["row_counts"]) == sorted(again["row_counts"]) == sorted(TWO)
            assert [c["id"] for c in commas["checks"]] == [c["id"] for c in again["checks"]]
            assert VERDICT.search(repeated.stderr)  # the human summary went to stderr
        else:
            assert [t["name"] for t in commas["tables"]] == [t["name"] for t in again["tables"]] == sorted(TWO)
            assert "SAME" in repeated.stderr
    assert not Path("-").exists()


def test_exclude_tables_applies_after_tables(real_demo):
    run = _json(run_cli("validate", str(real_demo), "--tables", "patients,admissions,transfers", "--exclude-tables",
                        "admissions", "--exclude-tables", "transfers", "--checks", "sql", "--json", "-"))
    assert list(run["row_counts"]) == ["patients"]


@pytest.mark.parametrize("command", ["validate", "diff", "scan-phi", "load"])
@pytest.mark.parametrize("option", ["--tables", "--exclude-tables"])
def test_an_unknown_table_is_one_line_listing_the_tables(real_demo, tmp_path, command, option):
    sources = {"validate": [str(real_demo)], "diff": [str(real_demo), str(real_demo)],
               "scan-phi": [str(real_demo), "--out", str(tmp_path / "scan")], "load": [str(real_demo), NOWHERE]}
    done = run_cli(command, *sources[command], option, "patients,admisions")
    assert done.returncode == 2, done.stdout + done.stderr
    line, = done.stderr.splitlines()
    assert line.startswith("mimic-qa: error: unknown table(s): admisions (did you mean admissions?)")
    assert all(name in line for name in load_spec().tables)
    assert not (tmp_path / "scan").exists()


@pytest.mark.parametrize("args, message", [
    (["--engine", "sprak"], "unknown engine 'sprak'; choose one of: auto, duckdb, postgres, parquet, spark, bigquery"),
    (["--fail-on", "fatal"], "--fail-on must be one of: error, warning, info"),
    (["--exclude-tables", ",".join(load_spec().tables)], "no table left"),
])
def test_bad_choices_are_one_line_and_exit_2(real_demo, args, message):
    done = run_cli("validate", str(real_demo), *args)
    assert done.returncode == 2 and done.stdout == ""
    line, = done.stderr.splitlines()
    assert line.startswith("mimic-qa: error:") and message in line


def test_quiet_prints_exactly_the_verdict_line(real_demo, tmp_path):
    done = run_cli("validate", str(real_demo), "--tables", "outputevents", "--checks", "sql", "--fail-on", "info",
                   "-q", "--report-dir", str(tmp_path / "report"))
    assert done.returncode == 1 and done.stderr == ""
    assert VERDICT.fullmatch(done.stdout.rstrip("\n")) and done.stdout.startswith("FAIL")
    assert (tmp_path / "report" / "report.html").is_file()


def test_every_command_help_has_an_example():
    from mimic_qa.docs.cli_reference import command_paths, help_text
    import typer.main

    paths = command_paths(typer.main.get_command(app))
    assert len(paths) >= 13
    for path in paths:
        assert "Example" in help_text(app, path), path


def test_bash_completion_script_and_completions():
    exe = Path(sys.executable).with_name("mimic-qa")
    assert exe.is_file(), "the console script is installed by pip install -e"
    # run under bash, which typer detects as the shell (the '; true' keeps bash from exec'ing into mimic-qa)
    script = subprocess.run(["bash", "-c", f"'{exe}' --show-completion; true"], capture_output=True, text=True,
                            timeout=60)
    assert "complete" in script.stdout and "_MIMIC_QA_COMPLETE=complete_bash" in script.stdout, script.stderr

    def complete(words: str) -> list[str]:
        env = {**os.environ, "_MIMIC_QA_COMPLETE": "complete_bash", "COMP_WORDS": words,
               "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
        done = subprocess.run([str(exe)], env=env, capture_output=True, text=True, timeout=60)
        return done.stdout.split()

    assert "validate" in complete("mimic-qa val")
    assert "--exclude-tables" in complete("mimic-qa validate --excl")
    assert complete("mimic-qa validate --engine ") == ["auto", "duckdb", "postgres", "parquet", "spark", "bigquery"]
    assert complete("mimic-qa diff a b --fail-on w") == ["warning"]
    assert complete("mimic-qa scan-phi x --tables patients,adm") == ["patients,admissions"]
