"""Under CI, in whatever spelling a CI system sets ``CI``, a skipped test fails (tests/ci.py); outside CI it skips.
The rule is run here on a throwaway test file in a pytest of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROBE = '''
import pytest
from tests.ci import unavailable

def test_lacks_a_program():
    unavailable("no such program on this machine")

def test_skips_outright():
    pytest.skip("nothing to do here")

@pytest.mark.ci_may_skip("cannot be known offline")
def test_may_skip():
    pytest.skip("the index would have to be asked")
'''


def outcomes(tmp_path: Path, ci: str | None) -> str:
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"} | ({"CI": ci} if ci is not None else {})
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "tests.ci", "-q", "-rA", "-p", "no:cacheprovider",
                           str(tmp_path / "test_probe.py")], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("ci", ["true", "True", "TRUE", "1", "yes", " true "])
def test_every_spelling_of_ci_turns_skips_into_failures(tmp_path, ci):
    assert outcomes(tmp_path, ci).startswith("2 failed, 1 skipped")


@pytest.mark.parametrize("ci", [None, "", "false", "0", "no"])
def test_outside_ci_they_skip(tmp_path, ci):
    assert outcomes(tmp_path, ci).startswith("3 skipped")
