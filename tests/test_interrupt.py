"""Ctrl-C: exit 130 with one line, nothing half-written left behind, no process left running."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


def _interrupt_after(args: list[str], cwd: Path, seconds: float) -> subprocess.CompletedProcess[str]:
    proc = subprocess.Popen([sys.executable, "-m", "mimic_qa", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    time.sleep(seconds)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _children_of(pid: int) -> list[str]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(stat.parent.name)
    return found


@pytest.mark.parametrize("seconds", [2.0, 6.0])
def test_sigint_during_validate_exits_130_and_leaves_no_partial_output(real_demo, tmp_path, seconds):
    done = _interrupt_after(["validate", str(real_demo), "--json", "out.json", "--junit", "out.xml",
                             "--keep-db", "kept.duckdb", "--report-dir", "report"], tmp_path, seconds)
    assert done.returncode == 130, done.stderr[-2000:]
    assert done.stderr.splitlines()[-1] == "mimic-qa: interrupted; no output file was left half-written"
    assert "Traceback" not in done.stderr and "Aborted" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no results, no database, no .partial, no .wal


def test_sigint_on_a_database_also_stops_the_gx_process(real_demo, tmp_path):
    db = tmp_path / "demo.duckdb"
    subprocess.run([sys.executable, "-m", "mimic_qa", "validate", str(real_demo), "--checks", "sql",
                    "--keep-db", str(db), "--tables", "patients", "--tables", "admissions", "-q"], check=False)
    assert db.is_file()
    proc = subprocess.Popen([sys.executable, "-m", "mimic_qa", "validate", str(db), "--json", "out.json"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not _children_of(proc.pid) and time.monotonic() < deadline:  # GX's own process has started
        time.sleep(0.1)
    children = _children_of(proc.pid)
    assert children, "validate on a database runs GX in a process of its own"
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)
    assert proc.returncode == 130
    time.sleep(0.5)
    assert not [c for c in children if Path(f"/proc/{c}").exists() and "Z" not in Path(f"/proc/{c}/stat").read_text()]
    assert not (tmp_path / "out.json").exists()
