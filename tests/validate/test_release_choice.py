"""Which release a copy is checked against, and which release its counts really match."""

from __future__ import annotations

import json

import pytest

from mimic_qa.errors import UsageError
from mimic_qa.sources.folder import open_folder
from mimic_qa.sources.layout import SYNTH_MARKER
from mimic_qa.spec import load_spec
from mimic_qa.sources.release import choose_release, detect_release


def test_order_release_flag_then_synthetic_file_then_demo_then_default(tmp_path):
    spec = load_spec()
    (tmp_path / "hosp").mkdir()

    def chosen(requested=None):
        return choose_release(spec, requested, open_folder(spec, tmp_path))

    assert chosen().release == "3.1"
    (tmp_path / "demo_subject_id.csv").write_text("subject_id\n10000032\n")  # the real demo's marker file
    assert chosen().release == "demo-2.2"
    (tmp_path / SYNTH_MARKER).write_text(json.dumps({"generator": "mimic-qa synth", "release": "3.1",
                                                     "row_counts": {"patients": 365}}))
    synthetic = chosen()
    assert synthetic.release == "3.1" and synthetic.synthetic and synthetic.row_counts["patients"] == 365
    assert chosen("demo-2.2").row_counts["patients"] == 100


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
