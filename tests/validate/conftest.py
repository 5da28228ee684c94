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
    """make(fault) -> a synthetic copy with that fault injected (cached per fault)."""
    synth = pytest.importorskip("mimic_qa.synth")
    cache: dict[str, Path] = {}

    def make(fault: str) -> Path:
        if fault not in cache:
            out = tmp_path_factory.mktemp("damaged") / fault.replace(":", "_").replace(".", "_")
            synth.generate(out, scale=SCALE, seed=7, inject=[fault])
            cache[fault] = out
        return cache[fault]

    return make


@pytest.fixture
def copy_of(tmp_path):
    def _copy(src: Path) -> Path:
        dst = tmp_path / "copy"
        shutil.copytree(src, dst)
        return dst

    return _copy
