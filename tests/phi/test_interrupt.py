"""Ctrl-C during scan-phi: SIGINT to the command's process group while its workers analyse -> exit 130, one
line on stderr, no traceback, no process left behind, no half-written output."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from tests.test_interrupt import _children_of


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _big_file(path: Path, rows: int) -> Path:
    """A CSV of distinct comments that all pass the gate, so the scan hands them to worker processes."""
    con = duckdb.connect()
    con.execute(f"COPY (SELECT i AS stay_id, 'Called to Dr. Zorbel ' || i || ' at 10:15, culture ' || (i * 7) "
                f"AS note FROM range({rows}) t(i)) TO '{path}' (HEADER)")
    con.close()
    return path


def test_sigint_to_the_process_group_exits_130_and_leaves_no_worker(tmp_path):
    source = _big_file(tmp_path / "notes.csv", 200_000)
    out = tmp_path / "scan"
    proc = subprocess.Popen([sys.executable, "-m", "mimic_qa", "scan-phi", str(source), "--key", "stay_id",
                             "--out", str(out), "--workers", "2", "-q"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(_children_of(proc.pid)) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    workers = [int(pid) for pid in _children_of(proc.pid)]
    assert len(workers) >= 2, "the scan should have started its two worker processes"
    time.sleep(1.0)  # the workers are analysing now
    assert proc.poll() is None, "the scan ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole foreground group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err[-2000:]
    assert err.strip().splitlines() == ["mimic-qa: interrupted; no output file was left half-written"], err[-2000:]
    time.sleep(0.5)
    assert [pid for pid in workers if _alive(pid)] == []
    assert not out.exists() or sorted(p.name for p in out.iterdir()) == []  # no findings file, not even a temporary one
