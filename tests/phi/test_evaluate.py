"""Recall and precision against ground truth: matching by table, column, row key and overlapping offsets."""

from __future__ import annotations

from mimic_qa.phi.evaluate import evaluate, format_table


def _rec(row, start, end, entity, table="labevents", column="comments"):
    return {"table": table, "column": column, "row": row, "start": start, "end": end, "entity_type": entity}


def test_overlap_and_type_decide_recall_and_precision():
    truth = [_rec({"labevent_id": 1}, 10, 18, "PERSON"), _rec({"labevent_id": 2}, 0, 12, "PHONE_NUMBER"),
             _rec({"labevent_id": 3}, 5, 9, "DATE")]
    findings = [
        _rec({"labevent_id": 1}, 12, 18, "PERSON"),  # overlaps: found
        _rec({"labevent_id": "2"}, 0, 12, "FAX_NUMBER"),  # key as string still matches; wrong type
        _rec({"labevent_id": 3}, 9, 12, "DATE"),  # touches but does not overlap
        _rec({"labevent_id": 4}, 0, 3, "US_SSN"),  # no truth in that row
    ]
    result = evaluate(findings, truth)
    by = result["by_entity_type"]
    assert by["PERSON"]["recall"] == 1.0 and by["PERSON"]["precision"] == 1.0
    assert by["PHONE_NUMBER"]["recall"] == 0.0 and by["DATE"]["recall"] == 0.0
    assert by["US_SSN"]["precision"] == 0.0 and by["US_SSN"]["recall"] is None
    o = result["overall"]
    assert (o["truth"], o["recalled"], o["recalled_any_type"]) == (3, 1, 2)
    assert (o["findings"], o["true_findings"], o["true_findings_any_type"]) == (4, 1, 2)
    assert "overall (same type)" in format_table(result)


def test_other_column_or_table_never_matches():
    truth = [_rec({"labevent_id": 1}, 0, 5, "DATE")]
    findings = [_rec({"labevent_id": 1}, 0, 5, "DATE", column="value"),
                _rec({"labevent_id": 1}, 0, 5, "DATE", table="microbiologyevents")]
    assert evaluate(findings, truth)["overall"]["recalled"] == 0


def test_character_coverage_counts_each_covered_character_once():
    truth = [_rec({"labevent_id": 1}, 10, 20, "PERSON"), _rec({"labevent_id": 2}, 0, 4, "DATE")]
    findings = [_rec({"labevent_id": 1}, 8, 13, "PERSON"), _rec({"labevent_id": 1}, 12, 15, "LOCATION"),
                _rec({"labevent_id": 1}, 18, 30, "PERSON")]
    result = evaluate(findings, truth)
    assert result["by_entity_type"]["PERSON"]["chars_covered"] == 7  # 10-15 and 18-20
    assert result["by_entity_type"]["PERSON"]["char_coverage"] == 0.7
    assert result["by_entity_type"]["DATE"]["char_coverage"] == 0.0
    assert result["overall"]["char_coverage"] == round(7 / 14, 4)
