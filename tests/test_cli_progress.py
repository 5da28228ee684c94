"""Progress of validate, synth, scan-phi, guard and diff in a log (no TTY): a line when a phase starts, with its
total, then one line per finished table (or folder) on stderr, names and counts only, none with --quiet; values
planted in the input never appear in a line."""

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
# the start of a phase: how many tables (and bytes) it will report
PHASE = re.compile(r"(?P<count>[\d,]+) tables? to be (?P<verb>[a-z]+)(?: \((?P<size>[\d,]+\.\d (?:kB|MB))\))?")
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


@dataclass
class Phase:
    verb: str
    count: int
    size: str | None
    names: list[str]  # of the table lines that followed, in order


def phases(stderr: str) -> list[Phase]:
    """The phases a log announced, each with the table lines that followed it (of its verb)."""
    out: list[Phase] = []
    for line in stderr.splitlines():
        if m := PHASE.fullmatch(line):
            out.append(Phase(m["verb"], int(m["count"].replace(",", "")), m["size"], []))
        elif (m := LINE.fullmatch(line)) and out and m["verb"] == out[-1].verb:
            out[-1].names.append(m["name"])
    return out


def size_text(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 100_000 else f"{n / 1e3:,.1f} kB"


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
    size = (copies.planted / "hosp" / "omr.csv.gz").stat().st_size
    assert run.stderr.splitlines()[0] == f"1 table to be scanned ({size_text(size)})"  # at once, with its total
    assert phases(run.stderr) == [Phase("scanned", 1, size_text(size), ["omr"])]
    assert "Quillfeather" not in run.stderr and "617-555" not in run.stderr and "Traceback" not in run.stderr
    quiet = run_cli("scan-phi", str(copies.planted), "--out", str(tmp_path / "quiet"), "-q")
    assert quiet.returncode == 1 and quiet.stderr == "", quiet.stderr
    verdict, = quiet.stdout.splitlines()  # the verdict line, and nothing else
    assert "finding(s) at score" in verdict


def test_diff_prints_a_line_per_table_of_each_copy(copies):
    run = run_cli("diff", str(copies.synthetic), str(copies.planted), "--tables", "omr,patients")
    # one cell of omr's N rows changed: every statistic moves by at most 1 / N (N > 100 here), below each warning
    # threshold, so at the default gate (error) the copies are the same
    with gzip.open(copies.planted / "hosp" / "omr.csv.gz", "rt") as fh:
        assert sum(1 for _ in fh) - 1 > 100
    assert run.returncode == 0, run.stdout + run.stderr
    lines = finished(run.stderr, "profiled")
    assert set(lines) == {"A:omr", "B:omr", "A:patients", "B:patients"}
    size = (copies.planted / "hosp" / "patients.csv.gz").stat().st_size
    assert lines["B:patients"].startswith(f"profiled B:patients: {size / 1e3:,.1f} kB, ")
    assert "Quillfeather" not in run.stderr and "Traceback" not in run.stderr
    quiet = run_cli("diff", str(copies.synthetic), str(copies.planted), "--tables", "omr,patients", "--quiet")
    assert quiet.returncode == run.returncode and quiet.stderr == "", quiet.stderr
    verdict, = quiet.stdout.splitlines()  # the verdict line, and nothing else
    assert verdict.split()[0] == "SAME" and "2 of 2 tables compared" in verdict


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
    assert verdict.startswith("mimic-qa guard: 1 finding in 1 file (")


VALIDATED = ["patients", "admissions", "provider", "d_labitems", "labevents"]


@pytest.mark.parametrize("checks", ["all", "sql"])
def test_validate_reports_every_phase_with_its_total(real_demo, checks, tmp_path):
    """Parse, count and check each announce their tables, then name each once: the check phase (a third of a
    run) is not silent. With --checks all the GX suites check the tables, and pandera reports what it has left
    when the run waits for it; with --keep-db the database is checked again in place."""
    done = run_cli("validate", str(real_demo), "--tables", ",".join(VALIDATED), "--checks", checks,
                   "--keep-db", str(tmp_path / "kept.duckdb"))
    assert done.returncode == 0, done.stderr
    spec = load_spec()
    order = [t for t in spec.tables if t in VALIDATED]
    size = sum((real_demo / spec.tables[t].file).stat().st_size for t in VALIDATED)
    found = phases(done.stderr)
    assert [p.verb for p in found if p.verb != "tested"] == ["parsed", "counted", "checked"], done.stderr
    parsed, counted, checked = (p for p in found if p.verb != "tested")
    assert (parsed.count, parsed.size, sorted(parsed.names)) == (5, size_text(size), sorted(VALIDATED))
    assert (counted.count, counted.names) == (5, order)
    assert (checked.count, checked.names) == (5, order)
    for verb in ("parsed", "counted", "checked"):
        finished(done.stderr, verb)  # every line of the strict shape, each table once
    lines = [line for line in done.stderr.splitlines() if line.startswith("counted ")]
    with gzip.open(real_demo / spec.tables["labevents"].file, "rt") as fh:
        assert f"counted labevents: {sum(1 for _ in fh) - 1:,} rows, " in "\n".join(lines)
    if checks == "all":  # the kept database, in place: pandera (if still at work) and GX report their phases
        again = run_cli("validate", str(tmp_path / "kept.duckdb"))
        assert again.returncode == 0, again.stderr
        verbs = [p.verb for p in phases(again.stderr)]
        assert verbs in (["counted", "checked"], ["counted", "tested", "checked"]), again.stderr
        for p in phases(again.stderr):
            assert p.count == len(p.names) and set(p.names) <= set(VALIDATED), p
    quiet = run_cli("validate", str(real_demo), "--tables", ",".join(VALIDATED), "--checks", checks, "-q")
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
