"""The shipped calibration: reproducible from the real demo, aggregates only (the small-cell rule holds on the
demo itself), dictionaries byte-identical, and the package installs them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from mimic_qa.spec import load_spec
from mimic_qa.synth import calibrate, calibration

SPEC = load_spec()
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def derived(real_demo) -> dict:
    return calibrate.derive(real_demo, SPEC)


def test_shipped_calibration_is_what_the_script_derives_from_the_demo(derived):
    shipped = (calibration.DATA_DIR / "calibration.json").read_text(encoding="utf-8")
    assert calibrate.dumps(derived) == shipped, "rerun: python -m mimic_qa.synth.calibrate DEMO_DIR"


def test_shipped_dictionaries_are_the_demo_files(real_demo):
    for name in calibration.COPIED:
        real = (real_demo / SPEC.tables[name].file).read_bytes()
        assert calibration.dictionary_file(name).read_bytes() == real, name
    sums = calibration.load()["source"]["dictionaries_sha256"]
    assert sums == {SPEC.tables[n].file: hashlib.sha256(calibration.dictionary_file(n).read_bytes()).hexdigest()
                    for n in calibration.COPIED}


def _patients_with(con: duckdb.DuckDBPyConnection, path: Path, column: str, value) -> int:
    """Distinct patients whose row has ``value`` in ``column``, read as text from the file (each file once)."""
    name = "t_" + path.name.split(".")[0]
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name]).fetchone()[0]:
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{path}', all_varchar=true, "
                    "allow_quoted_nulls=false)")
    return con.execute(f'SELECT count(DISTINCT subject_id) FROM {name} WHERE "{column}" = ?',
                       [str(value)]).fetchone()[0]


def test_every_shipped_category_template_and_item_is_shared_by_ten_patients(real_demo):
    """Counted on the demo's raw text, independently of the calibration code: each single-column category (its
    text form; numbers are skipped where the file may spell them differently), each comment template and each
    item kept is had by at least 10 distinct patients."""
    cal = calibration.load()
    con = duckdb.connect()
    checked = 0
    for table, groups in cal["categorical"].items():
        path = real_demo / SPEC.tables[table].file
        for g in groups:
            if len(g["columns"]) != 1:
                continue
            for (value,) in g["values"][:40]:
                if not isinstance(value, str):
                    continue
                assert _patients_with(con, path, g["columns"][0], value) >= 10, (table, g["columns"][0])
                checked += 1
    for key, g in cal["templates"].items():
        table, col = key.split(".")
        for (value,) in g["values"]:
            assert _patients_with(con, real_demo / SPEC.tables[table].file, col, value) >= 10, key
            checked += 1
    for table, items in cal["items"].items():
        for e in items["items"]:
            assert _patients_with(con, real_demo / SPEC.tables[table].file, "itemid", e["itemid"]) >= 10, table
            checked += 1
    assert checked > 500


def test_wheel_ships_the_calibration(tmp_path):
    """The built package holds the calibration and the dictionaries (hatch includes package data)."""
    import subprocess
    import sys
    import zipfile

    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    (wheel,) = tmp_path.glob("mimic_iv_qa-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "mimic_qa/synth/data/calibration.json" in names
    assert {f"mimic_qa/synth/data/dictionaries/{n}.csv.gz" for n in calibration.COPIED} <= names
