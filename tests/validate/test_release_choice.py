"""Which release a copy is checked against, and which release its counts really match."""

from __future__ import annotations

import json

import pytest

from mimic_qa.errors import UsageError
from mimic_qa.sources.layout import DEMO_SUBJECTS, SYNTH_MARKER
from mimic_qa.spec import load_spec
from mimic_qa.validation.release import choose_release, detect_release


def test_order_release_flag_then_synthetic_file_then_demo_then_default(tmp_path):
    spec = load_spec()
    assert choose_release(spec, None, tmp_path).release == "3.1"
    (tmp_path / DEMO_SUBJECTS).write_text("subject_id\n10000032\n")
    assert choose_release(spec, None, tmp_path).release == "demo-2.2"
    (tmp_path / SYNTH_MARKER).write_text(json.dumps({"generator": "mimic-qa synth", "release": "3.1",
                                                     "row_counts": {"patients": 365}}))
    chosen = choose_release(spec, None, tmp_path)
    assert chosen.release == "3.1" and chosen.synthetic and chosen.row_counts["patients"] == 365
    assert choose_release(spec, "demo-2.2", tmp_path).row_counts["patients"] == 100


def test_release_file_argument_and_bad_values(tmp_path):
    spec = load_spec()
    good = tmp_path / "rel.json"
    good.write_text(json.dumps({"release": "demo-2.2", "expected_row_counts": {"admissions": 7}}))
    assert choose_release(spec, str(good), None).row_counts["admissions"] == 7
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    for value in (str(bad), "4.0"):
        with pytest.raises(UsageError):
            choose_release(spec, value, None)


def test_detects_v22_and_v30_from_row_counts():
    spec = load_spec()
    v22 = dict(spec.release("2.2").row_counts)
    assert detect_release(spec, v22, "3.1") == "2.2"
    v30 = dict(spec.release("3.0").row_counts)
    assert detect_release(spec, v30, "3.1") == "3.0"
    assert detect_release(spec, dict(spec.release("3.1").row_counts), "3.1") is None
    assert detect_release(spec, {"patients": 12}, "3.1") is None
