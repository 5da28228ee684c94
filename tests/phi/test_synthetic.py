"""scan-phi on synthetic copies from ``mimic_qa.synth``: a clean copy gives nothing, an injected copy is found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mimic_qa.phi.evaluate import evaluate, read_jsonl
from mimic_qa.phi.run import scan_phi
from mimic_qa.phi.scan import ScanOptions
from mimic_qa.spec import load_spec
from mimic_qa.synth import generate
from mimic_qa.synth.phi import GROUND_TRUTH
from tests.cli import run_cli

SCALE = 0.0001  # about 36 patients; dictionaries are kept whole


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("synth")
    generate(root / "clean", scale=SCALE, seed=3)
    generate(root / "phi", scale=SCALE, seed=3, inject=["phi"])
    return root / "clean", root / "phi"


def test_clean_copy_has_no_findings(copies, tmp_path):
    out = tmp_path / "scan"
    proc = run_cli("scan-phi", str(copies[0]), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((out / "scan-summary.json").read_text())
    spec = load_spec()
    held = {p.name for p in copies[0].iterdir() if p.is_dir()}  # the clinical copy's modules (hosp, icu)
    free_text = sorted(f"{t}.{c}" for t, table in spec.tables.items() if table.module in held for c in table.free_text)
    assert sorted(summary["columns_scanned"]) == free_text
    assert summary["findings_total"] == 0 and summary["rows_scanned"] > 1000
    assert summary["tables_by_row"] == []  # short values: each distinct value analysed once
    assert summary["values_analyzed"] < summary["distinct_values"]  # the gate spared Presidio some values
    assert (out / "findings.jsonl").read_text() == ""


def test_injected_copy_is_located_and_drafted(copies, tmp_path):
    """Where synth's injected spans are reported. Recall and precision are measured on PHI planted into the
    real demo (test_real_demo.py): synth's fixed cue phrases are the ones the recognizers were written for."""
    out = tmp_path / "scan"
    outcome = scan_phi(copies[1], out, options=ScanOptions(workers=1))
    truth = read_jsonl(copies[1] / GROUND_TRUTH)
    assert len(truth) >= 20 and outcome.findings_total > 0
    result = evaluate(read_jsonl(out / "findings.jsonl"), truth)
    assert result["overall"]["recalled"] > 0 and set(result["by_entity_type"]) >= {t["entity_type"] for t in truth}
    draft = (out / "phi-report-draft.md").read_text()
    assert "(synthetic copy)" in draft and str(truth[0]["row"][next(iter(truth[0]["row"]))]) in draft
