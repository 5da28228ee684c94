"""A built wheel carries the spec, the GX suites and the report templates as package data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    (whl,) = out.glob("mimic_iv_qa-*.whl")
    return whl


def test_wheel_contains_package_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "mimic_qa/spec/family.yaml" in names and "mimic_qa/spec/modules/hosp.yaml" in names
    for rel in ROOT.joinpath("expectations").rglob("*"):
        if rel.is_file():
            assert f"mimic_qa/expectations/{rel.relative_to(ROOT / 'expectations').as_posix()}" in names
    for rel in ROOT.joinpath("reports", "templates").rglob("*"):
        if rel.is_file():
            assert f"mimic_qa/reports/templates/{rel.relative_to(ROOT / 'reports' / 'templates').as_posix()}" in names
    assert any(n.endswith("entry_points.txt") for n in names)
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "mimic-qa = mimic_qa.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()
