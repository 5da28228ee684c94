"""Two runs on the same source at the same time: neither corrupts the other's outputs."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb

ARGS = ["--checks", "sql", "--tables", "patients", "--tables", "admissions", "--tables", "provider", "-q"]
TIMEOUT = 300  # seconds


def _together(*runs: list[str], cwd: Path) -> list[subprocess.CompletedProcess[str]]:
    """Start every ``mimic-qa validate`` run at once and collect each (its pipes read while it runs, so no run
    blocks on a full pipe); a run still going after TIMEOUT, or after a failure here, is killed."""
    procs = [subprocess.Popen([sys.executable, "-m", "mimic_qa", "validate", *args], cwd=cwd, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for args in runs]
    try:
        with ThreadPoolExecutor(max_workers=len(procs)) as pool:
            outputs = list(pool.map(lambda p: p.communicate(timeout=TIMEOUT), procs))
        return [subprocess.CompletedProcess(p.args, p.returncode, out, err) for p, (out, err) in zip(procs, outputs)]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.communicate()


def test_two_runs_keeping_the_same_database(real_demo, tmp_path):
    done = _together(*[[str(real_demo), *ARGS, "--keep-db", "kept.duckdb", "--json", f"run{i}.json"] for i in (1, 2)],
                     cwd=tmp_path)
    codes = sorted(d.returncode for d in done)
    assert codes in ([0, 0], [0, 2]), done  # the second to finish may not take the name the first has taken
    for d in done:
        if d.returncode == 2:  # it found the name taken when it started, or when it was done
            assert ("already exists" in d.stderr or "created by another run meanwhile" in d.stderr) \
                and d.stderr.count("\n") == 1
    with duckdb.connect(str(tmp_path / "kept.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM mimiciv_hosp.patients").fetchone() == (100,)
    assert sorted(p.name for p in tmp_path.iterdir() if "partial" in p.name or p.suffix == ".wal") == []


def test_two_runs_writing_the_same_json(real_demo, tmp_path):
    done = _together(*[[str(real_demo), *ARGS, "--json", "same.json"]] * 2, cwd=tmp_path)
    assert [d.returncode for d in done] == [0, 0], [d.stderr[-1000:] for d in done]
    run = json.loads((tmp_path / "same.json").read_text())
    assert run["summary"]["ok"] and len(run["checks"]) > 50
    assert [p.name for p in tmp_path.iterdir()] == ["same.json"]
