"""Two runs on the same source at the same time: neither corrupts the other's outputs."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb

ARGS = ["--checks", "sql", "--tables", "patients", "--tables", "admissions", "--tables", "provider", "-q"]


def _start(*args: str, cwd) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "mimic_qa", "validate", *args], cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_two_runs_keeping_the_same_database(real_demo, tmp_path):
    runs = [_start(str(real_demo), *ARGS, "--keep-db", "kept.duckdb", "--json", f"run{i}.json", cwd=tmp_path)
            for i in (1, 2)]
    done = [(p.wait(timeout=300), p.stderr.read()) for p in runs]
    codes = sorted(code for code, _ in done)
    assert codes in ([0, 0], [0, 2]), done  # the second to finish may not take the name the first has taken
    for code, err in done:
        if code == 2:  # it found the name taken when it started, or when it was done
            assert ("already exists" in err or "created by another run meanwhile" in err) and err.count("\n") == 1
    with duckdb.connect(str(tmp_path / "kept.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM mimiciv_hosp.patients").fetchone() == (100,)
    assert sorted(p.name for p in tmp_path.iterdir() if "partial" in p.name or p.suffix == ".wal") == []


def test_two_runs_writing_the_same_json(real_demo, tmp_path):
    runs = [_start(str(real_demo), *ARGS, "--json", "same.json", cwd=tmp_path) for _ in range(2)]
    assert [p.wait(timeout=300) for p in runs] == [0, 0]
    run = json.loads((tmp_path / "same.json").read_text())
    assert run["summary"]["ok"] and len(run["checks"]) > 50
    assert [p.name for p in tmp_path.iterdir()] == ["same.json"]
