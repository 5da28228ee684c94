"""Residual-PHI injection: fake identifiers (Faker, seeded) appended to free text, with exact spans.

Each injected value goes into a row whose key is unique, so ``phi-ground-truth.jsonl`` can locate it:
``{"table", "column", "row": {key: value}, "start", "end", "entity_type", "text_length"}`` with
character offsets into the field value. The injected text itself is never printed.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
from faker import Faker

from mimic_qa.errors import UsageError
from mimic_qa.phi.entities import Entity
from mimic_qa.sources.database import one_row, scalar
from mimic_qa.spec import Spec
from mimic_qa.spec.models import Table

GROUND_TRUTH = "phi-ground-truth.jsonl"
ROWS_PER_ENTITY = 3
# (prefix, generator, suffix): the span is exactly the generated value.
PHRASES = {
    Entity.PERSON: ("Discussed with Dr. ", lambda f: f.name(), "."),
    Entity.PHONE_NUMBER: ("Call back at ", lambda f: f.numerify("(###) ###-####"), "."),
    Entity.EMAIL_ADDRESS: ("Results sent to ", lambda f: f.email(), "."),
    Entity.US_SSN: ("SSN ", lambda f: f.ssn(), " on file."),
    Entity.MEDICAL_RECORD_NUMBER: ("MRN: ", lambda f: f.numerify("########"), "."),
    Entity.DATE: ("Prior culture on ", lambda f: f.date_between(dt.date(2008, 1, 1), dt.date(2022, 12, 31)).strftime("%m/%d/%Y"), "."),
    Entity.AGE_OVER_89: ("Patient is a ", lambda f: str(f.random_int(90, 104)), " year old."),
    Entity.STREET_ADDRESS: ("Lives at ", lambda f: f.street_address(), "."),
    Entity.ZIP_CODE: ("Home ZIP ", lambda f: f.zipcode(), "."),
    Entity.URL: ("See ", lambda f: f.url(), " for details."),
    Entity.IP_ADDRESS: ("Uploaded from ", lambda f: f.ipv4_private(), "."),
}


def parse_entities(target: str) -> list[Entity]:
    if target == "all":
        return list(PHRASES)
    out = []
    for name in target.split("+"):
        try:
            out.append(Entity(name.upper()))
        except ValueError:
            raise UsageError(f"unknown PHI entity type {name!r}; choose from {', '.join(e.value for e in PHRASES)}") from None
        if out[-1] not in PHRASES:
            raise UsageError(f"phi injection does not generate {name!r}; choose from {', '.join(e.value for e in PHRASES)}")
    return out


def row_key(t: Table) -> list[str]:
    """The columns that locate a row: primary key, else first candidate key (else the row number)."""
    return t.primary_key or (t.candidate_keys[0].columns if t.candidate_keys else [])


def _targets(spec: Spec, tables: set[str]) -> list[tuple[Table, str]]:
    """Free-text columns of the generated ``tables`` long enough to hold a sentence."""
    return [(t, c) for t in spec.tables.values() for c in t.free_text
            if t.name in tables and (t.column(c).max_length or 10_000) >= 100]


def _json_value(v):
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def inject(con: duckdb.DuckDBPyConnection, spec: Spec, entities: list[Entity], seed: int, out: Path,
           tables: set[str]) -> list[dict]:
    """Inject ``ROWS_PER_ENTITY`` spans per entity type into the free text of ``tables`` (materialized in ``con``);
    write the ground truth; return one record per column."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    targets = _targets(spec, tables)
    truth: list[dict] = []
    per_column: dict[tuple[str, str], dict] = {}
    used: dict[str, set[int]] = {}
    for e_idx, entity in enumerate(entities):
        for r in range(ROWS_PER_ENTITY):
            t, col = targets[(e_idx * ROWS_PER_ENTITY + r) % len(targets)]
            key = row_key(t)
            taken = used.setdefault(t.name, set())
            keycols = ", ".join(f'"{k}"' for k in key)
            unique = (f'AND ({keycols}) IN (SELECT ({keycols}) FROM "{t.name}" GROUP BY ALL HAVING count(*) = 1)'
                      if key else "")
            skip = f"AND _i NOT IN ({', '.join(map(str, taken))})" if taken else ""
            row = one_row(con, f'SELECT _i, "{col}" FROM "{t.name}" WHERE TRUE {unique} {skip} '
                              f"ORDER BY hash({seed}, _i) LIMIT 1")
            if row is None:
                continue
            i, old = row
            taken.add(i)
            prefix, gen, suffix = PHRASES[entity]
            value = gen(fake)
            limit = t.column(col).max_length
            head = (old or "")
            lead = (head + " " if head else "") + prefix
            new = lead + value + suffix
            if limit and len(new) > limit:
                lead = prefix
                new = lead + value + suffix
            con.execute(f'UPDATE "{t.name}" SET "{col}" = ? WHERE _i = {i}', [new])
            keyvals = one_row(con, f'SELECT {keycols} FROM "{t.name}" WHERE _i = {i}') if key else ()
            where = ({k: _json_value(v) for k, v in zip(key, keyvals)} if key
                     else {"row_number": scalar(con, f'SELECT count(*) FROM "{t.name}" WHERE _i <= {i}')})
            truth.append({"table": t.qualified_name, "column": col, "row": where, "start": len(lead),
                          "end": len(lead) + len(value), "entity_type": entity.value, "text_length": len(new)})
            rec = per_column.setdefault((t.qualified_name, col), {"fault": "phi", "table": t.qualified_name,
                                                                   "column": col, "check_ids": [], "rows": 0,
                                                                   "entity_types": []})
            rec["rows"] += 1
            if entity.value not in rec["entity_types"]:
                rec["entity_types"].append(entity.value)
    write_ground_truth(out, truth)
    return [dict(r, ground_truth=GROUND_TRUTH) for r in per_column.values()]


def write_ground_truth(out: Path, truth: list[dict]) -> list[dict]:
    """Write ``phi-ground-truth.jsonl``; returns one injection record per (table, column) of ``truth``."""
    with open(out / GROUND_TRUTH, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(line, sort_keys=True) + "\n" for line in truth)
    per_column: dict[tuple[str, str], dict] = {}
    for line in truth:
        rec = per_column.setdefault((line["table"], line["column"]), {
            "fault": "phi", "table": line["table"], "column": line["column"], "check_ids": [], "rows": 0,
            "entity_types": [], "ground_truth": GROUND_TRUTH})
        rec["rows"] += 1
        if line["entity_type"] not in rec["entity_types"]:
            rec["entity_types"].append(line["entity_type"])
    return list(per_column.values())
