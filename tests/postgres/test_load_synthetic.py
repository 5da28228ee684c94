"""Issue 3's must-show: a synthetic release loads into a real PostgreSQL server with every declared key."""

from __future__ import annotations

import json

import psycopg

from mimic_qa.load.ddl import schema_name
from mimic_qa.sources.layout import SYNTH_MARKER
from mimic_qa.spec import load_spec
from tests.postgres.keys import actual_keys, expected_keys
from tests.postgres.server import SyntheticDatabase

SPEC = load_spec()


def test_synthetic_release_loads_with_all_declared_keys(synthetic_pg: SyntheticDatabase) -> None:
    written = json.loads((synthetic_pg.release / SYNTH_MARKER).read_text(encoding="utf-8"))["row_counts"]
    clinical = set(SPEC.module_tables("hosp") + SPEC.module_tables("icu"))
    assert set(written) == clinical  # a clinical copy: the ED and Note modules are releases of their own
    done = synthetic_pg.load

    assert done.returncode == 0, done.stderr[-2000:]
    assert "mimic-qa: error" not in done.stderr and "Traceback" not in done.stderr
    with psycopg.connect(synthetic_pg.url) as conn:
        loaded = {
            name: conn.execute(f'SELECT count(*) FROM "{schema_name(t.module)}"."{name}"').fetchone()[0]
            for name, t in SPEC.tables.items() if name in clinical
        }
    assert loaded == written
    pks, fks, _ = actual_keys(synthetic_pg.url)
    assert (pks, fks) == expected_keys(clinical)
    assert f"added {len(pks) + len(fks)} constraint(s)" in done.stderr
