"""Recall and precision of a scan against injected ground truth (``synth --inject phi``), per entity type.

A ground-truth span is found when a finding in the same table, column and row overlaps it; "strict"
also requires the same entity type. A finding is true when it overlaps a ground-truth span. Character
coverage is the share of the ground truth's characters that some finding (of any type) covers: a
finding that flags "Smith" of "Maria Smith" recalls the span but covers half of it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

Key = tuple[str, str, tuple[tuple[str, str], ...]]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _key(record: dict[str, Any]) -> Key:
    """Table without its module ("hosp.labevents" and "labevents" alike), column, and the row key as text."""
    row = tuple(sorted((str(k), str(v)) for k, v in record["row"].items()))
    return record["table"].rsplit(".", 1)[-1], record["column"], row


def _index(records: Iterable[dict[str, Any]]) -> dict[Key, list[dict[str, Any]]]:
    out: dict[Key, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        out[_key(r)].append(r)
    return out


def _overlaps(a: dict[str, Any], b: dict[str, Any], same_type: bool) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"] and (not same_type or a["entity_type"] == b["entity_type"])


def _covered(span: dict[str, Any], findings: list[dict[str, Any]]) -> int:
    """How many of ``span``'s characters some finding covers."""
    cuts = sorted((max(span["start"], f["start"]), min(span["end"], f["end"])) for f in findings
                  if f["start"] < span["end"] and span["start"] < f["end"])
    total, reach = 0, span["start"]
    for a, b in cuts:
        a = max(a, reach)
        if b > a:
            total += b - a
            reach = b
    return total


def _ratio(hit: int, total: int) -> float | None:
    return round(hit / total, 4) if total else None


def evaluate(findings: list[dict[str, Any]], truth: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-type and overall recall/precision (strict: same type; any: any type), counts only."""
    f_index, t_index = _index(findings), _index(truth)
    per: dict[str, dict[str, int]] = defaultdict(lambda: {"truth": 0, "recalled": 0, "recalled_any_type": 0,
                                                          "findings": 0, "true_findings": 0, "chars": 0,
                                                          "chars_covered": 0})
    totals = {"truth": 0, "recalled": 0, "recalled_any_type": 0, "findings": 0, "true_findings": 0,
              "true_findings_any_type": 0, "chars": 0, "chars_covered": 0}
    for key, spans in t_index.items():
        cands = f_index.get(key, [])
        for t in spans:
            c = per[t["entity_type"]]
            strict = any(_overlaps(t, f, True) for f in cands)
            loose = strict or any(_overlaps(t, f, False) for f in cands)
            covered = _covered(t, cands)
            for counts in (c, totals):
                counts["truth"] += 1
                counts["recalled"] += strict
                counts["recalled_any_type"] += loose
                counts["chars"] += t["end"] - t["start"]
                counts["chars_covered"] += covered
    for key, found in f_index.items():
        spans = t_index.get(key, [])
        for f in found:
            c = per[f["entity_type"]]
            strict = any(_overlaps(f, t, True) for t in spans)
            c["findings"] += 1
            c["true_findings"] += strict
            totals["findings"] += 1
            totals["true_findings"] += strict
            totals["true_findings_any_type"] += strict or any(_overlaps(f, t, False) for t in spans)
    by_type = {
        name: {**c, "recall": _ratio(c["recalled"], c["truth"]),
               "recall_any_type": _ratio(c["recalled_any_type"], c["truth"]),
               "precision": _ratio(c["true_findings"], c["findings"]),
               "char_coverage": _ratio(c["chars_covered"], c["chars"])}
        for name, c in sorted(per.items())
    }
    overall = {**totals,
               "recall": _ratio(totals["recalled"], totals["truth"]),
               "char_coverage": _ratio(totals["chars_covered"], totals["chars"]),
               "recall_any_type": _ratio(totals["recalled_any_type"], totals["truth"]),
               "precision": _ratio(totals["true_findings"], totals["findings"]),
               "precision_any_type": _ratio(totals["true_findings_any_type"], totals["findings"])}
    return {"by_entity_type": by_type, "overall": overall}


def format_table(result: dict[str, Any]) -> str:
    """A plain-text table of the evaluation (counts and ratios only)."""
    def pct(x: float | None) -> str:
        return "   -  " if x is None else f"{x:6.3f}"

    lines = [f"{'entity type':<24}{'truth':>7}{'found':>7}{'recall':>8}{'any type':>9}{'chars':>8}{'findings':>10}"
             f"{'true':>7}{'precision':>10}"]
    for name, c in result["by_entity_type"].items():
        lines.append(f"{name:<24}{c['truth']:>7}{c['recalled']:>7}{pct(c['recall']):>8}"
                     f"{pct(c.get('recall_any_type')):>9}{pct(c.get('char_coverage')):>8}{c['findings']:>10}"
                     f"{c['true_findings']:>7}{pct(c['precision']):>10}")
    o = result["overall"]
    lines.append(f"{'overall (same type)':<24}{o['truth']:>7}{o['recalled']:>7}{pct(o['recall']):>8}{'':>9}"
                 f"{pct(o.get('char_coverage')):>8}{o['findings']:>10}{o['true_findings']:>7}{pct(o['precision']):>10}")
    lines.append(f"{'overall (any type)':<24}{o['truth']:>7}{o['recalled_any_type']:>7}{pct(o['recall_any_type']):>8}"
                 f"{'':>9}{'':>8}{o['findings']:>10}{o['true_findings_any_type']:>7}{pct(o['precision_any_type']):>10}")
    return "\n".join(lines)
