"""The internals of other packages that mimic-qa's hooks rely on. If an upgrade breaks one, this fails in CI,
and validate stops with one line naming the package (or falls back), never with wrong or empty results."""

from __future__ import annotations

import subprocess
import sys

import pytest

import mimic_qa
from mimic_qa import compat


@pytest.mark.parametrize("hook", compat.HOOKS, ids=lambda h: h.name)
def test_every_hook_still_applies_to_the_installed_release(hook):
    assert hook.broken() is None, hook.message(hook.broken() or "")


def test_a_gone_gx_internal_stops_validate(real_demo, monkeypatch):
    """As with a GX release without the DuckDB hook: a clear error naming the package, not empty results."""
    from great_expectations.execution_engine import sqlalchemy_execution_engine as engine_module

    monkeypatch.delattr(engine_module, "_PERSISTED_CONNECTION_DIALECTS")
    with pytest.raises(compat.IncompatibleDependency, match=r"great-expectations .*--checks sql"):
        mimic_qa.validate(real_demo, tables=["patients"])


def test_a_gone_pandera_internal_stops_validate(real_demo, monkeypatch):
    from pandera.api.checks import Check

    init = Check.__init__

    def without_kwargs(self, *args, **kwargs):
        init(self, *args, **kwargs)
        del self._check_kwargs

    monkeypatch.setattr(Check, "__init__", without_kwargs)
    with pytest.raises(compat.IncompatibleDependency, match="pandera"):
        mimic_qa.validate(real_demo, tables=["patients"])


def test_the_cli_says_it_in_one_line(real_demo, tmp_path):
    script = ("import sys\n"
              "from mimic_qa.gx import import_great_expectations\n"  # as mimic-qa imports GX (see pyspark_guard)
              "import_great_expectations()\n"
              "from great_expectations.execution_engine import sqlalchemy_execution_engine as m\n"
              "del m._PERSISTED_CONNECTION_DIALECTS\n"
              "from mimic_qa.cli import main\n"
              "sys.argv = ['mimic-qa', 'validate', sys.argv[1], '--tables', 'patients', '--json', sys.argv[2]]\n"
              "main()\n")
    done = subprocess.run([sys.executable, "-c", script, str(real_demo), str(tmp_path / "v.json")],
                          capture_output=True, text=True, timeout=600)
    errors = [line for line in done.stderr.splitlines() if line.startswith("mimic-qa: error:")]
    assert done.returncode == 2 and len(errors) == 1, done.stderr[-2000:]
    assert "great-expectations" in errors[0] and "Traceback" not in done.stderr
    assert not (tmp_path / "v.json").exists()
