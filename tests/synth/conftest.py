"""Synthetic releases shared by the synth tests (each generated once per session, tiny scales)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli import run_cli

# One fault per table so each can be checked on its own.
FAULTS = [
    "missing-file:icu.caregiver", "empty-file:hosp.d_hcpcs", "truncated-gzip:hosp.transfers",
    "corrupt-gzip:icu.ingredientevents", "checksum-mismatch:hosp.omr", "non-utf8:hosp.d_labitems",
    "missing-row:hosp.microbiologyevents", "extra-row:hosp.procedures_icd", "duplicate-pk:hosp.services",
    "orphan-fk:hosp.emar.fk.poe_id", "orphan-fk:hosp.diagnoses_icd.fk.icd_code_icd_version",
    "null-in-not-null:hosp.drgcodes.drg_code", "unparseable-value:icu.outputevents.value",
    "out-of-domain:hosp.patients.domain.gender", "time-order:icu.icustays.rule.intime_le_outtime",
    "renamed-column:icu.datetimeevents", "reordered-columns:icu.inputevents", "missing-column:icu.procedureevents",
    "extra-column:hosp.hcpcsevents", "phi",
]


@pytest.fixture(scope="session")
def clean_release(tmp_path_factory) -> Path:
    """``mimic-qa synth OUT --scale 0.001 --seed 1``, run as a user would."""
    out = tmp_path_factory.mktemp("synth") / "m"
    proc = run_cli("synth", str(out), "--scale", "0.001", "--seed", "1")
    assert proc.returncode == 0, proc.stderr
    return out


@dataclass
class Faulty:
    out_dir: Path
    console: str  # everything the command printed


@pytest.fixture(scope="session")
def faulty_release(tmp_path_factory) -> Faulty:
    """Every fault kind at once (one table each), via the command line."""
    out = tmp_path_factory.mktemp("synth") / "faulty"
    proc = run_cli("synth", str(out), "--scale", "0.0003", "--seed", "3", *[a for f in FAULTS for a in ("--inject", f)])
    assert proc.returncode == 0, proc.stderr
    return Faulty(out, proc.stdout + proc.stderr)
