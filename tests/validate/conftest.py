"""Synthetic copies for the validate tests: one clean copy per session, damaged copies per fault."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SCALE = 0.001


@pytest.fixture(scope="session")
def clean_copy(tmp_path_factory) -> Path:
    synth = pytest.importorskip("mimic_qa.synth")
    out = tmp_path_factory.mktemp("clean") / "mimic"
    synth.generate(out, scale=SCALE, seed=7)
    return out


@pytest.fixture(scope="session")
def damaged(tmp_path_factory):
    """make("fault[:target],...") -> a synthetic copy with those faults injected (cached)."""
    synth = pytest.importorskip("mimic_qa.synth")
    cache: dict[str, Path] = {}

    def make(faults: str) -> Path:
        """``faults``: comma-separated NAME[:TARGET] items."""
        if faults not in cache:
            out = tmp_path_factory.mktemp("damaged") / "mimic"
            synth.generate(out, scale=SCALE, seed=7, inject=faults.split(","))
            cache[faults] = out
        return cache[faults]

    return make


@pytest.fixture
def copy_of(tmp_path):
    def _copy(src: Path) -> Path:
        dst = tmp_path / "copy"
        shutil.copytree(src, dst)
        return dst

    return _copy
