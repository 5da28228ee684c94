"""Run the real ``mimic-qa`` command in a subprocess (as a user would)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def run_cli(*args: str, cwd: str | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mimic_qa", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout)


def validate_json(root: Path, tables: list[str], out: Path, *options: str) -> tuple[subprocess.CompletedProcess[str],
                                                                                   dict[str, dict[str, Any]]]:
    """``validate root --tables ... --json out options``: the process, and the JSON's checks by id."""
    done = run_cli("validate", str(root), *[a for t in tables for a in ("--tables", t)], "--json", str(out), *options)
    assert out.is_file(), done.stderr[-3000:]
    return done, {c["id"]: c for c in json.loads(out.read_text(encoding="utf-8"))["checks"]}


def unexplained_failures(checks: dict[str, dict[str, Any]]) -> dict[str, int | None]:
    """Check id -> failing rows, for each check that failed or could not run and no known quirk explains."""
    return {i: c["failing_rows"] for i, c in checks.items()
            if c["status"] in ("failed", "error") and not c["quirk_reference"]}
