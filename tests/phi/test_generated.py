"""The analyzer on PHI from a generator nobody here controls (tests/phi/generated.py: Faker in 23 locales),
planted into the real demos' lab, microbiology and ED text; one small fixed-seed sample per phrasing split.

Per-type floors sit a little under what the bench measures on fresh seeds (bench/results/scan_phi-generated.txt),
so dropping or breaking one recognizer fails its type here.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import duckdb
import pytest

from mimic_qa.phi.evaluate import evaluate
from tests.ci import unavailable
from tests.phi.generated import KINDS, Planter

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
PER_KIND = 12
# recall (any type: the span overlaps a finding) per planted type; overall recall and precision
FLOORS = {"DATE": 0.9, "AGE_OVER_89": 0.9, "EMAIL_ADDRESS": 0.95, "URL": 0.95, "IP_ADDRESS": 0.95, "US_SSN": 0.9,
          "PHONE_NUMBER": 0.85, "FAX_NUMBER": 0.85, "MEDICAL_RECORD_NUMBER": 0.7, "ACCOUNT_NUMBER": 0.7,
          "LICENSE_NUMBER": 0.6, "VEHICLE_ID": 0.5, "STREET_ADDRESS": 0.85, "ZIP_CODE": 0.7, "LOCATION": 0.55,
          "PERSON": 0.6}
OVERALL_RECALL, PRECISION = 0.88, 0.97


@lru_cache(maxsize=1)
def _carriers() -> tuple[list[str], ...]:
    demo = Path(os.environ.get("MIMIC_QA_DEMO_DIR") or SHARED / "mimic-iv-demo-2.2")
    ed = Path(os.environ.get("MIMIC_QA_ED_DEMO_DIR") or SHARED / "mimic-iv-ed-demo-2.2") / "ed"
    if not (demo / "hosp" / "labevents.csv.gz").is_file() or not (ed / "triage.csv.gz").is_file():
        message = "the real demos are not beside the checkout (set MIMIC_QA_DEMO_DIR and MIMIC_QA_ED_DEMO_DIR)"
        unavailable(message)
    con = duckdb.connect()
    out = []
    for path, column in ((demo / "hosp" / "labevents.csv.gz", "comments"),
                         (demo / "hosp" / "microbiologyevents.csv.gz", "comments"), (ed / "triage.csv.gz", "chiefcomplaint")):
        out.append([v for (v,) in con.execute(f"SELECT DISTINCT {column} FROM read_csv('{path}', all_varchar=true) "
                                              f"WHERE {column} IS NOT NULL ORDER BY 1").fetchall()])
    con.close()
    return tuple(out)


def _detect(analyzer, gate, text: str):
    entities = gate.entities(text)
    return analyzer.analyze(text, entities) if entities else []


@pytest.mark.parametrize("split, seed", [("dev", 7), ("heldout", 11)])
def test_generated_phi_is_found_per_type(analyzer, vocabulary, split, seed):
    from mimic_qa.phi.gate import Gate

    gate, carriers = Gate(vocabulary), _carriers()
    planter = Planter(split, seed)
    findings, truth = [], []
    for n, kind in enumerate(k for k in KINDS for _ in range(PER_KIND)):
        pool = planter.r.choices(carriers, [0.45, 0.2, 0.35])[0]
        p = planter.plant(kind, planter.r.choice(pool))
        row = {"n": n}
        truth += [{"table": "t", "column": "c", "row": row, "start": a, "end": b, "entity_type": e} for a, b, e in p.spans]
        findings += [{"table": "t", "column": "c", "row": row, "start": h.start, "end": h.end,
                      "entity_type": h.entity_type} for h in _detect(analyzer, gate, p.text)]
    result = evaluate(findings, truth)
    o = result["overall"]
    assert o["recall_any_type"] >= OVERALL_RECALL and o["precision_any_type"] >= PRECISION, o
    low = {t: c["recall_any_type"] for t, c in result["by_entity_type"].items()
           if c["truth"] and c["recall_any_type"] < FLOORS[t]}
    assert low == {}, low
