"""synth writes numbers the way the real files do, so that neither a byte-level comparison nor a guard rule can tell a
synthetic copy from a real one by them.

For every DOUBLE and REAL column, the textual forms of its values (``1``, ``1.5``, ``1.0``, ``1.50``, ``1e-05``,
``.5``) in a synthetic copy must be forms the real demo's file writes in that column. The forms each column may
take are read here from the real demo's files; the generator is not asked.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from mimic_qa.spec import load_spec

# First match wins: a value has exactly one form.
FORMS = {
    "integer": r"-?[0-9]+",
    "point zero": r"-?[0-9]+\.0+",
    "trailing zero": r"-?[0-9]*\.[0-9]*0",
    "leading point": r"-?\.[0-9]+",
    "decimal": r"-?[0-9]+\.[0-9]+",
    "exponent": r"-?[0-9.]+[eE][-+]?[0-9]+",
}
SPEC = load_spec()
# the clinical demo's tables (its copy lacks chartevents, shared/data/README.md)
FLOATS = [(t, c.name) for t in SPEC.tables.values() if t.module in ("hosp", "icu") and t.name != "chartevents"
          for c in t.columns if c.kind == "float"]


def forms(con: duckdb.DuckDBPyConnection, path: Path, columns: list[str]) -> dict[str, dict[str, int]]:
    """Column -> form -> number of values written in that form ("other" if none) in the CSV file ``path``,
    read once for all ``columns`` (named in lower case: the real procedureevents header spells ORIGINALAMOUNT)."""
    case = " ".join(f"WHEN regexp_full_match(v, '{pattern}') THEN '{name}'" for name, pattern in FORMS.items())
    cols = ", ".join(f'"{c}"' for c in columns)
    rows = con.execute(f"""SELECT lower(c), CASE {case} ELSE 'other' END AS form, count(*)
                           FROM (UNPIVOT (SELECT {cols} FROM read_csv(?, all_varchar = true, header = true))
                                 ON {cols} INTO NAME c VALUE v)
                           WHERE v <> '' GROUP BY ALL""", [str(path)]).fetchall()
    out: dict[str, dict[str, int]] = {c: {} for c in columns}
    for column, form, n in rows:
        out[column][form] = n
    return out


@pytest.fixture(scope="module")
def measured(real_demo, clean_release) -> dict[tuple[str, str], tuple[dict[str, int], dict[str, int]]]:
    """(table, column) -> (forms in the real demo's file, forms in the synthetic copy's), for the demo's files."""
    con = duckdb.connect()
    out = {}
    for t in SPEC.tables.values():
        columns = [c for table, c in FLOATS if table is t]
        if columns and (real_demo / t.file).is_file():
            real, synthetic = forms(con, real_demo / t.file, columns), forms(con, clean_release / t.file, columns)
            out |= {(t.name, c): (real[c], synthetic[c]) for c in columns}
    return out


def test_the_forms_tell_integral_values_apart(tmp_path):
    path = tmp_path / "probe.csv"
    path.write_text("x\n1\n1.0\n1.50\n.5\n2.25\n1e-05\n-3\n\n", encoding="utf-8")
    assert forms(duckdb.connect(), path, ["x"]) == {"x": {
        "integer": 2, "point zero": 1, "trailing zero": 1, "leading point": 1, "decimal": 1, "exponent": 1}}


@pytest.mark.parametrize("table, column", [(t.name, c) for t, c in FLOATS], ids=lambda v: str(v))
def test_synthetic_numbers_take_the_real_files_forms(measured, table, column):
    assert (table, column) in measured, f"{SPEC.tables[table].file} is not in the demo"
    allowed, written = measured[table, column]
    assert written, f"{table}.{column}: no value in the synthetic copy to compare"
    assert set(written) <= set(allowed), (
        f"{table}.{column}: the synthetic copy writes {sorted(set(written) - set(allowed))} "
        f"({written}); the real file only {allowed}")
