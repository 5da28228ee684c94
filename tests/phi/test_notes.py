"""scan-phi on a synthetic Note module (``synth --release note-2.2 --inject phi``): every note is read and analysed
row by row, and findings are located by ``note_id`` and character offsets. Synth records where it planted its PHI
(its own fixed phrases); the synthetic notes are our own text, so this is a regression check of the note path,
not evidence about real notes (no open note text exists)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from mimic_qa.phi.evaluate import evaluate, read_jsonl
from mimic_qa.phi.run import scan_phi
from mimic_qa.phi.scan import ScanOptions
from mimic_qa.synth import generate
from mimic_qa.synth.phi import GROUND_TRUTH

SCALE = 0.001  # 332 discharge summaries, 2,321 radiology reports (about 7 MB of text)


@pytest.fixture(scope="module")
def notes(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("notes") / "note"
    generate(copy, scale=SCALE, seed=5, release="note-2.2", inject=["phi"])
    return copy


def test_notes_are_scanned_row_by_row_and_located_by_note_id(notes, tmp_path):
    outcome = scan_phi(notes, tmp_path / "scan", options=ScanOptions(workers=2))
    s = outcome.summary
    assert {"discharge.text", "radiology.text", "discharge_detail.field_value",
            "radiology_detail.field_value"} <= set(s["columns_scanned"])
    con = duckdb.connect()
    rows = {t: con.execute(f"SELECT count(*) FROM read_csv('{notes / 'note' / (t + '.csv.gz')}')").fetchone()[0]
            for t in ("discharge", "radiology", "discharge_detail", "radiology_detail")}
    lengths = {nid: n for t in ("discharge", "radiology") for nid, n in con.execute(
        f"SELECT note_id, length(text) FROM read_csv('{notes / 'note' / (t + '.csv.gz')}')").fetchall()}
    con.close()
    assert s["rows_scanned"] == sum(rows.values()) and sorted(s["tables_by_row"]) == sorted(rows)
    # every note was analysed (no distinct-value shortcut: their texts differ anyway; the details repeat)
    assert s["values_analyzed"] >= rows["discharge"] + rows["radiology"]
    findings = read_jsonl(tmp_path / "scan" / "findings.jsonl")
    for f in findings:
        assert f["table"] in ("discharge", "radiology") and set(f["row"]) == {"note_id"}
        assert 0 <= f["start"] < f["end"] <= lengths[f["row"]["note_id"]]
    truth = read_jsonl(notes / GROUND_TRUTH)
    o = evaluate(findings, truth)["overall"]
    assert len(truth) >= 30 and o["recall"] == 1.0 and o["precision"] == 1.0, o
