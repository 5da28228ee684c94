"""The package ships ``py.typed``: its type hints are a promise to users' type checkers, so CI holds them."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_package_ships_its_typing_marker():
    assert (ROOT / "mimic_qa" / "py.typed").is_file()


def test_the_package_passes_mypy():
    done = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary", "--cache-dir", "/tmp/mimic-qa-mypy-cache"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]
