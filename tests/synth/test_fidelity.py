"""Issue 17, item 3: a synthetic demo-2.2 copy is close to the real demo, measured by bench/fidelity.py (through
mimic-qa diff's compare)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from mimic_qa.spec import load_spec
from mimic_qa.synth import generate

ROOT = Path(__file__).resolve().parents[2]
SPEC = load_spec()


def _bench():
    spec = importlib.util.spec_from_file_location("bench_fidelity", ROOT / "bench" / "fidelity.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


fidelity = _bench()


@pytest.fixture(scope="module")
def real_db(real_demo, tmp_path_factory):
    """The real demo as bench/fidelity.py compares it: a DuckDB database with times relative to each patient."""
    db = tmp_path_factory.mktemp("fidelity-real") / "real.duckdb"
    fidelity.copy_with_relative_times(real_demo, db, fidelity.tables_in(real_demo, SPEC), SPEC)
    return db


@pytest.fixture(scope="module")
def measured(real_demo, real_db, tmp_path_factory):
    work = tmp_path_factory.mktemp("fidelity")
    synth = generate(work / "synth", release="demo-2.2", seed=0).out_dir
    return fidelity.compare_copies(real_demo, synth, work, SPEC, real_db=real_db)


def test_synthetic_demo_meets_the_thresholds_of_issue_17(measured):
    _, summary = measured
    th = fidelity.THRESHOLDS
    assert summary["columns"] > 300 and summary["categorical_columns"] > 100 and summary["numeric_columns"] > 80
    assert summary["null_share_within"] >= th["null_share"]
    assert summary["tvd_median"] <= th["tvd_median"]
    assert summary["tvd_share_within"] >= th["tvd_share"]
    assert summary["ks_median"] <= th["ks_median"]
    # the columns whose real values the small-cell rule leaves mostly available are nearly all close
    assert summary["tvd_share_within_reachable"] >= 0.9


def test_the_measure_sees_a_shifted_column(real_demo, real_db, tmp_path):
    """The measure (mimic-qa diff on the relative-time databases) is not blind: the real demo against itself is
    identical, and shifting one numeric column or swapping a categorical one's values registers."""
    import shutil

    import duckdb

    copy = tmp_path / "copy.duckdb"
    shutil.copy(real_db, copy)
    con = duckdb.connect(str(copy))
    con.execute("UPDATE mimiciv_hosp.patients SET anchor_age = CASE WHEN anchor_age < 60 THEN anchor_age + 30 "
                "ELSE anchor_age END, gender = 'F'")
    con.close()
    stats = fidelity.measure(real_db, copy, fidelity.tables_in(real_demo, SPEC))
    assert len({s.table for s in stats}) == 30
    by = {(s.table, s.column): s for s in stats}
    assert by[("patients", "anchor_age")].ks > 0.3
    assert by[("patients", "gender")].tvd > 0.3
    untouched = [s for s in stats if s.table != "patients"]
    assert all((s.tvd or 0) == 0 and (s.ks or 0) == 0 and s.null_delta == 0 for s in untouched)
