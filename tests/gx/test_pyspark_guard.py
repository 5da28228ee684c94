"""GX's pyspark import must not end a ``python -c`` process (pyspark's doctest exit), nor touch a normal one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyspark  # noqa: F401  (in the test extra: a missing one is a failure, not a skip)

PROBE = ("import sys, mimic_qa.gx, great_expectations; "
         "print('alive', sys.modules.get('pyspark.sql.connect', 'absent') is None)")


def test_python_c_survives_importing_gx() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.startswith("alive"), "the process ended while GX imported pyspark"
    assert "Skipping doctests" not in out.stderr


def test_a_script_file_keeps_spark_connect(tmp_path: Path) -> None:
    script = tmp_path / "probe.py"
    script.write_text(PROBE)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "alive False", "Spark Connect was blocked in a process pyspark would not exit"
