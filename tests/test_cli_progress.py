"""Progress of synth, scan-phi, guard and diff in a log (no TTY): one line per finished table (or folder) on
stderr, names and counts only, none with --quiet; values planted in the input never appear in a line."""

from __future__ import annotations

import csv
import gzip
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from mimic_qa.spec import load_spec
from tests.cli import run_cli
from tests.guard.mimic_like import write_csv

# verb, name, then optional bytes and rows, then seconds: nothing else may be in a progress line
LINE = re.compile(r"(?P<verb>[a-z]+) (?P<name>[\w./:-]+): (?:[\d,]+\.\d (?:kB|MB), )?(?:[\d,]+ rows, )?\d+\.\d s")
PHI_TEXT = "Called Dr Quillfeather at 617-555-0142"  # planted in the synthetic copy's omr.result_value
CANARY = "CANARY-PROGRESS-4711"  # planted in a guard fixture cell


def finished(stderr: str, verb: str) -> dict[str, str]:
    """name -> line, for each progress line; every line naming the verb has the strict shape, once per name."""
    lines = [line for line in stderr.splitlines() if line.startswith(f"{verb} ")]
    for line in lines:
        assert LINE.fullmatch(line), line
    names = {LINE.fullmatch(line)["name"]: line for line in lines}  # type: ignore[index]
    assert len(names) == len(lines), lines
    return names


def first_row(path: Path) -> dict[str, str]:
    with gzip.open(path, "rt", newline="", encoding="utf-8") as fh:
        return next(csv.DictReader(fh))


@dataclass
class Copies:
    synthetic: Path  # what synth wrote
    run: subprocess.CompletedProcess[str]  # the synth run that wrote it
    planted: Path  # a release folder holding its omr (PHI_TEXT planted) and patients


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> Copies:
    root = tmp_path_factory.mktemp("progress")
    run = run_cli("synth", str(root / "synthetic"), "--release", "demo-2.2", "--scale", "0.1", "--seed", "5")
    assert run.returncode == 0, run.stderr
    planted = root / "planted" / "hosp"
    planted.mkdir(parents=True)
    shutil.copy(root / "synthetic" / "hosp" / "patients.csv.gz", planted)
    with gzip.open(root / "synthetic" / "hosp" / "omr.csv.gz", "rt", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    rows[1][rows[0].index("result_value")] = PHI_TEXT
    with gzip.open(planted / "omr.csv.gz", "wt", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return Copies(root / "synthetic", run, root / "planted")


def test_synth_prints_a_line_per_table_written(copies):
    lines = finished(copies.run.stderr, "written")
    spec = load_spec()
    assert set(lines) == set(spec.module_tables("hosp") + spec.module_tables("icu"))  # a clinical copy
    with gzip.open(copies.synthetic / "hosp" / "patients.csv.gz", "rt") as fh:
        rows = sum(1 for _ in fh) - 1
    assert f", {rows:,} rows, " in lines["patients"]
    values = [v for v in first_row(copies.synthetic / "hosp" / "admissions.csv.gz").values() if len(v) >= 6]
    assert values and not any(v in copies.run.stderr for v in values)
    assert "wrote 31 tables" in copies.run.stdout and "written" not in copies.run.stdout


def test_synth_quiet(tmp_path):
    run = run_cli("synth", str(tmp_path / "q"), "--release", "demo-2.2", "--scale", "0.1", "--quiet")
    assert run.returncode == 0, run.stderr
    assert run.stderr == "" and "wrote 31 tables" in run.stdout


def test_scan_phi_prints_a_line_per_table_without_the_text(copies, tmp_path):
    run = run_cli("scan-phi", str(copies.planted), "--out", str(tmp_path / "scan"))
    assert run.returncode == 1, run.stderr  # the planted text is found
    assert list(finished(run.stderr, "scanned")) == ["omr"]
    assert "Quillfeather" not in run.stderr and "617-555" not in run.stderr and "Traceback" not in run.stderr
    quiet = run_cli("scan-phi", str(copies.planted), "--out", str(tmp_path / "quiet"), "-q")
    assert quiet.returncode == 1 and quiet.stderr == "", quiet.stderr
    verdict, = quiet.stdout.splitlines()  # the verdict line, and nothing else
    assert "finding(s) at score" in verdict


def test_diff_prints_a_line_per_table_of_each_copy(copies):
    run = run_cli("diff", str(copies.synthetic), str(copies.planted), "--tables", "omr,patients")
    assert run.returncode in (0, 1), run.stderr
    lines = finished(run.stderr, "profiled")
    assert set(lines) == {"A:omr", "B:omr", "A:patients", "B:patients"}
    size = (copies.planted / "hosp" / "patients.csv.gz").stat().st_size
    assert lines["B:patients"].startswith(f"profiled B:patients: {size / 1e3:,.1f} kB, ")
    assert "Quillfeather" not in run.stderr and "Traceback" not in run.stderr
    quiet = run_cli("diff", str(copies.synthetic), str(copies.planted), "--tables", "omr,patients", "--quiet")
    assert quiet.returncode == run.returncode and quiet.stderr == "", quiet.stderr
    verdict, = quiet.stdout.splitlines()  # the verdict line, and nothing else
    assert verdict.split()[0] in ("SAME", "DRIFT") and "2 of 2 tables compared" in verdict


def test_guard_prints_a_line_per_folder(tmp_path):
    data = write_csv(tmp_path / "data" / "labs.csv", "labevents", 40)
    data.write_text(data.read_text().replace("abc", CANARY, 1))
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "plan.md").write_text("# Plan\nCount admissions per year.\n")
    run = run_cli("guard", ".", cwd=str(tmp_path))
    assert run.returncode == 1, run.stdout + run.stderr  # the rows are found
    lines = finished(run.stderr, "scanned")
    assert set(lines) == {"data", "notes"}
    assert lines["data"].startswith(f"scanned data: {data.stat().st_size / 1e3:,.1f} kB, ")
    assert CANARY not in run.stderr + run.stdout
    quiet = run_cli("guard", ".", "-q", cwd=str(tmp_path))
    assert quiet.returncode == 1 and quiet.stderr == "", quiet.stderr
    verdict, = quiet.stdout.splitlines()
    assert verdict.startswith("mimic-qa guard: 1 finding in 1 file")
