"""Issue 3's must-show: a synthetic release loads into a real PostgreSQL server with every declared key."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg

from mimic_qa.load.ddl import schema_name
from mimic_qa.sources.layout import SYNTH_MARKER
from mimic_qa.spec import load_spec
from mimic_qa.synth import generate
from tests.cli import run_cli
from tests.postgres.keys import actual_keys, expected_keys

SPEC = load_spec()


def test_synthetic_release_loads_with_all_declared_keys(pg_database: str, tmp_path: Path) -> None:
    release = tmp_path / "synthetic-3.1"
    generate(release, scale=0.001, seed=1)
    written = json.loads((release / SYNTH_MARKER).read_text(encoding="utf-8"))["row_counts"]
    assert set(written) == set(SPEC.tables)

    done = run_cli("load", str(release), pg_database)

    assert done.returncode == 0, done.stderr[-2000:]
    assert "mimic-qa: error" not in done.stderr and "Traceback" not in done.stderr
    with psycopg.connect(pg_database) as conn:
        loaded = {
            name: conn.execute(f'SELECT count(*) FROM "{schema_name(t.module)}"."{name}"').fetchone()[0]
            for name, t in SPEC.tables.items()
        }
    assert loaded == written
    pks, fks, _ = actual_keys(pg_database)
    assert (pks, fks) == expected_keys()
    assert f"added {len(pks) + len(fks)} constraint(s)" in done.stderr
