"""Outputs are written atomically, without root: a run whose output cannot be written in full (the process may
write no file larger than the previous output, ``RLIMIT_FSIZE``, as a full disk would stop it) leaves the previous
output byte for byte, no temporary file beside it, and one clear line with a non-zero exit. Writing in place would
leave a truncated file. (The full-disk case of test_bad_input.py needs root to mount a small file system.)"""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

OUTPUTS = {"json": ("--json", "run.json"), "junit": ("--junit", "run.xml"), "report": ("--report-dir", ".")}


def _validate(demo: Path, tables: list[str], option: str, target: Path,
              limit: int | None = None) -> subprocess.CompletedProcess[str]:
    """validate ``tables`` of the demo with ``option target``; no file larger than ``limit`` bytes, when given."""
    def capped() -> None:
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    selected = [a for t in tables for a in ("--tables", t)]
    return subprocess.run([sys.executable, "-m", "mimic_qa", "validate", str(demo), *selected, "--checks", "sql",
                           option, str(target)], check=False, capture_output=True, text=True, timeout=300,
                          preexec_fn=capped)


@pytest.mark.parametrize("output", sorted(OUTPUTS))
def test_an_output_that_cannot_be_written_in_full_leaves_the_previous_one(real_demo, tmp_path, output):
    option, name = OUTPUTS[output]
    folder = tmp_path / "out"
    target = folder / name
    first = _validate(real_demo, ["patients"], option, target)
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert before and all(before.values())
    # a larger run (two tables, more checks) into the same place, no file allowed past the largest one there
    done = _validate(real_demo, ["patients", "admissions"], option, target, limit=max(map(len, before.values())))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("mimic-qa: error:"), done.stderr[-1000:]
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # nothing lost, no temporary file left
