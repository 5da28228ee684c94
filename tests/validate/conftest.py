"""Synthetic copies for the validate tests: one clean copy per session, damaged copies per fault."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mimic_qa.synth import generate

SCALE = 0.001


@pytest.fixture(scope="session")
def clean_copy(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("clean") / "mimic"
    generate(out, scale=SCALE, seed=7)
    return out


@pytest.fixture(scope="session")
def damaged(tmp_path_factory):
    """make("fault[:target],...") -> a synthetic copy with those faults injected (cached)."""
    cache: dict[str, Path] = {}

    def make(faults: str) -> Path:
        """``faults``: comma-separated NAME[:TARGET] items."""
        if faults not in cache:
            out = tmp_path_factory.mktemp("damaged") / "mimic"
            generate(out, scale=SCALE, seed=7, inject=faults.split(","))
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
