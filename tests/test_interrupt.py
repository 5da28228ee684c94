"""Ctrl-C: exit 130 with one line, nothing half-written left behind, no process left running."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

WAIT = 120  # seconds for the awaited moment to come (a loaded machine is slow, never this slow)


def _interrupt_when(args: list[str], cwd: Path, ready: Callable[[list[str]], bool]) -> subprocess.CompletedProcess[str]:
    """Run ``mimic-qa ARGS`` and send Ctrl-C as soon as ``ready`` holds for the stderr lines so far (the
    progress lines a pipe gets), so the signal lands in the phase the test names, however fast the machine."""
    proc = subprocess.Popen([sys.executable, "-m", "mimic_qa", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        lines: list[str] = []
        deadline = time.monotonic() + WAIT
        while not ready(lines):
            line = proc.stderr.readline()
            assert line, f"the run ended before it could be interrupted (exit {proc.wait()}): {lines[-5:]}"
            assert time.monotonic() < deadline, f"no progress line to wait for within {WAIT} s"
            lines.append(line.rstrip("\n"))
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, "\n".join(lines) + "\n" + err)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def _children_of(pid: int) -> dict[str, str]:
    """Processes whose parent is ``pid`` (from /proc): pid -> command line."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found[stat.parent.name] = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
    return found


def _parsed(lines: list[str]) -> int:
    return sum(line.startswith("parsed ") for line in lines)


# the first table parsed (the rest of the parse, the checks and the outputs still to come); every table parsed
# (the checks and the outputs still to come)
MOMENTS = {"parsing": lambda n: lambda lines: _parsed(lines) >= 1,
           "checking": lambda n: lambda lines: _parsed(lines) >= n}


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_sigint_during_validate_exits_130_and_leaves_no_partial_output(real_demo, real_demo_tables, tmp_path, moment):
    done = _interrupt_when(["validate", str(real_demo), "--json", "out.json", "--junit", "out.xml",
                            "--keep-db", "kept.duckdb", "--report-dir", "report"], tmp_path,
                           MOMENTS[moment](len(real_demo_tables)))
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
    try:
        # GX's own process: a multiprocessing "spawn" child (not the resource tracker the spawn also starts)
        deadline = time.monotonic() + WAIT
        while not (gx := [p for p, cmd in _children_of(proc.pid).items() if "spawn_main" in cmd]):
            assert proc.poll() is None, f"validate ended (exit {proc.returncode}) before GX's process started"
            assert time.monotonic() < deadline, "validate on a database runs GX in a process of its own"
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130
    time.sleep(0.5)
    assert not [c for c in gx if Path(f"/proc/{c}").exists() and "Z" not in Path(f"/proc/{c}/stat").read_text()]
    assert not (tmp_path / "out.json").exists()
