"""One small synthetic copy per session, laid out like PhysioNet's wget download, for the docs tests."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
WGET_LAYOUT = Path("physionet.org/files/mimiciv/3.1")
SCALE = 0.0005
SEED = 1


@pytest.fixture(scope="session")
def wget_copy(tmp_path_factory) -> Path:
    """A synthetic v3.1 copy at ``<tmp>/physionet.org/files/mimiciv/3.1`` (scale 0.0005, seed 1)."""
    from mimic_qa import synth

    out = tmp_path_factory.mktemp("download") / WGET_LAYOUT
    out.parent.mkdir(parents=True)
    synth.generate(out, scale=SCALE, seed=SEED)
    return out
