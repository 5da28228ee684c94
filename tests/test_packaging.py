"""A built wheel carries the spec, the index list, the GX suites and the report templates as package data, and
says what it is: its licences (the code's and the demo-derived data's), its Python versions and where to read more."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from email.message import Message
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built offline from the test environment's own hatchling (no isolated build environment to
    download, no index)."""
    import hatchling  # noqa: F401  (the test extra installs it: a missing one is a failure, not a skip)
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                           "-q", "-w", str(out), str(ROOT)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    (whl,) = out.glob("mimic_iv_qa-*.whl")
    return whl


@pytest.fixture(scope="module")
def metadata(wheel: Path) -> Message:
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        return Parser().parsestr(z.read(name).decode())


def test_wheel_contains_package_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"mimic_qa/spec/family.yaml", "mimic_qa/spec/modules/hosp.yaml", "mimic_qa/load/indexes.yaml"} <= names
    for rel in ROOT.joinpath("expectations").rglob("*"):
        if rel.is_file():
            assert f"mimic_qa/expectations/{rel.relative_to(ROOT / 'expectations').as_posix()}" in names
    for rel in ROOT.joinpath("reports", "templates").rglob("*"):
        if rel.is_file():
            assert f"mimic_qa/reports/templates/{rel.relative_to(ROOT / 'reports' / 'templates').as_posix()}" in names
    assert any(n.endswith("entry_points.txt") for n in names)
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "mimic-qa = mimic_qa.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_wheel_declares_both_licences(wheel, metadata):
    """The wheel ships data derived from the ODbL demo (NOTICE lists it): the licence is not MIT alone."""
    notice = (ROOT / "NOTICE").read_text(encoding="utf-8")
    assert "ODbL" in notice and "MIT" in notice
    assert metadata["License-Expression"] == "MIT AND ODbL-1.0"
    assert set(metadata.get_all("License-File") or []) == {"LICENSE", "NOTICE"}
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in ("mimic_qa/synth/data/calibration.json", "mimic_qa/synth/data/dictionaries/d_items.csv.gz"):
        assert shipped in names and shipped.removeprefix("mimic_qa/").rsplit("/", 1)[0] in notice


def test_wheel_names_its_python_versions_and_links(metadata):
    low = metadata["Requires-Python"].removeprefix(">=")
    versions = {c.rsplit(":: ", 1)[1] for c in metadata.get_all("Classifier") or [] if "Python :: 3." in c}
    assert low in versions and f"{sys.version_info.major}.{sys.version_info.minor}" in versions
    links = dict(u.split(", ", 1) for u in metadata.get_all("Project-URL") or [])
    assert links and all(u.startswith("https://") and "<" not in u for u in links.values())


def test_public_api_is_what_dir_shows():
    import mimic_qa

    assert dir(mimic_qa) == sorted(mimic_qa.__all__)
    assert {"validate", "ValidationResult"} <= set(dir(mimic_qa)) and "Any" not in dir(mimic_qa)
    assert all(getattr(mimic_qa, name) is not None for name in mimic_qa.__all__)
