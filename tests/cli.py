"""Run the real ``mimic-qa`` command in a subprocess (as a user would)."""

from __future__ import annotations

import subprocess
import sys


def run_cli(*args: str, cwd: str | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mimic_qa", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout)
