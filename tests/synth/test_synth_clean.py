"""A clean synthetic release: layout, headers, counts, checksums, keys, quirks, determinism."""

from __future__ import annotations

import gzip
import json
import re
import subprocess

import duckdb
import pytest

from mimic_qa.checks import build_catalog
from mimic_qa.errors import UsageError
from mimic_qa.sources.layout import SYNTH_MARKER
from mimic_qa.spec import load_spec
from mimic_qa.synth import FAULTS, generate
from mimic_qa.synth.quirks import table_quirks
from tests.cli import run_cli
from tests.synth.spec_checks import evaluate, header, load

SPEC = load_spec()
CLINICAL = {n: t for n, t in SPEC.tables.items() if t.module in SPEC.projects["mimiciv"].modules}


@pytest.fixture(scope="module")
def db(clean_release) -> duckdb.DuckDBPyConnection:
    """The clean release loaded with the spec's types (every value must parse)."""
    con = duckdb.connect()
    load(con, clean_release, SPEC)
    return con


def test_layout_headers_and_row_counts_match_release_file(clean_release, db):
    files = sorted(p.relative_to(clean_release).as_posix() for p in clean_release.rglob("*.csv.gz"))
    assert len(files) == 31
    assert sum(f.startswith("hosp/") for f in files) == 22 and sum(f.startswith("icu/") for f in files) == 9
    meta = json.loads((clean_release / SYNTH_MARKER).read_text())
    assert meta["generator"] == "mimic-qa synth" and meta["release"] == "3.1" and meta["seed"] == 1
    assert meta["row_counts"] == meta["expected_row_counts"]
    for name, t in CLINICAL.items():
        assert header(clean_release / t.file) == t.column_names, name
        assert db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == meta["row_counts"][name], name


def test_scale_keeps_dictionaries_and_shrinks_patient_tables(clean_release):
    counts = json.loads((clean_release / SYNTH_MARKER).read_text())["row_counts"]
    real = SPEC.release("3.1").row_counts
    for name in ("d_items", "d_labitems", "d_icd_diagnoses", "d_icd_procedures", "d_hcpcs", "provider", "caregiver"):
        assert counts[name] == real[name]
    assert counts["patients"] == round(364627 * 0.001) and counts["chartevents"] == round(real["chartevents"] * 0.001)


def test_sha256sums_verify_with_sha256sum(clean_release):
    text = (clean_release / "SHA256SUMS.txt").read_text()
    lines = text.splitlines()
    paths = [line.split(" ", 1)[1] for line in lines]
    assert paths == sorted(paths, key=str.encode) and "SHA256SUMS.txt" not in paths
    assert all(re.fullmatch(r"[0-9a-f]{64} \S+", line) for line in lines)
    assert {"LICENSE.txt", SYNTH_MARKER, "hosp/admissions.csv.gz"} <= set(paths)
    proc = subprocess.run(["sha256sum", "-c", "--strict", "SHA256SUMS.txt"], cwd=clean_release,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-500:]
    assert "synthetic" in (clean_release / "LICENSE.txt").read_text().lower()


def test_gzip_header_has_no_name_or_mtime(clean_release):
    raw = (clean_release / "hosp/patients.csv.gz").read_bytes()
    assert raw[:2] == b"\x1f\x8b" and raw[3] & 0x08 == 0 and raw[4:8] == b"\0\0\0\0"


@pytest.fixture(scope="module")
def evaluated(db) -> dict[str, int]:
    return evaluate(db, SPEC, ("error", "warning", "info"))


def test_clean_copy_passes_every_error_check_within_quirk_tolerance(clean_release, evaluated):
    counts = json.loads((clean_release / SYNTH_MARKER).read_text())["row_counts"]
    result = evaluated
    catalog = {c.id: c for c in build_catalog(SPEC)}
    assert len(result) > 300
    for cid, failing in result.items():
        check = catalog[cid]
        tolerated = check.quirk.tolerance(counts[check.table]) if check.quirk else 0
        if check.kind == "domain" or check.severity == "error" or check.kind in ("fk", "pk"):
            assert failing <= tolerated, (cid, failing, tolerated)


def test_quirks_are_present_at_their_rates(clean_release, evaluated):
    result = evaluated
    counts = json.loads((clean_release / SYNTH_MARKER).read_text())["row_counts"]
    # zero-length strings in NOT NULL columns, written as "" (not NULL)
    assert result["hosp.prescriptions.empty_string.drug"] >= 1
    assert result["hosp.microbiologyevents.empty_string.spec_type_desc"] >= 1
    assert result["hosp.prescriptions.not_null.drug"] == 0
    for table in ("pharmacy", "prescriptions"):
        expected = table_quirks(SPEC, table, counts[table])[f"hosp.{table}.rule.starttime_le_stoptime"]
        assert result[f"hosp.{table}.rule.starttime_le_stoptime"] == expected
        assert 0.03 < expected / counts[table] < 0.05  # about 4% of orders stop before they start
    assert 0.07 < result["icu.chartevents.rule.charttime_le_storetime"] / counts["chartevents"] < 0.10
    assert result["icu.chartevents.unique.stay_id_charttime_itemid"] > 0


def test_identifiers_and_dates_look_like_mimic(db):
    def q(sql):
        return db.execute(sql).fetchone()
    pat = "patients"
    assert q(f"SELECT min(subject_id) >= 10000000, max(subject_id) <= 19999999 FROM {pat}") == (True, True)
    assert q(f"SELECT bool_and(anchor_age <= 89 OR anchor_age = 91), bool_and(anchor_year BETWEEN 2110 AND 2210) "
             f"FROM {pat}") == (True, True)
    adm = "admissions"
    assert q(f"SELECT min(hadm_id) >= 20000000, max(hadm_id) < 30000000, min(year(admittime)) >= 2110, "
             f"max(year(dischtime)) <= 2210 FROM {adm}") == (True, True, True, True)
    icu = "icustays"
    assert q(f"SELECT min(stay_id) >= 30000000 AND max(stay_id) < 40000000 FROM {icu}") == (True,)
    # stays nest inside their admission; stay_id is a transfer_id
    assert q(f"SELECT count(*) FROM {icu} i JOIN {adm} a USING (hadm_id) WHERE i.intime < a.admittime - INTERVAL 1 SECOND "
             f"OR i.outtime > a.dischtime + INTERVAL 1 SECOND") == (0,)
    assert q(f"SELECT count(*) FROM {icu} ANTI JOIN transfers t "
             f"ON t.transfer_id = stay_id") == (0,)
    assert q("SELECT bool_and(regexp_full_match(emar_id, subject_id::VARCHAR || '-' || emar_seq::VARCHAR)) "
             "FROM emar") == (True,)
    assert q("SELECT bool_and(regexp_full_match(provider_id, 'P[0-9A-Z]{5}')) "
             "FROM provider") == (True,)
    # units follow the item: one unit per chartevents itemid
    assert q("SELECT max(n) FROM (SELECT count(DISTINCT valueuom) n FROM chartevents "
             "GROUP BY itemid)") == (1,)
    # free text in MIMIC's masked style
    assert q("SELECT count(*) FILTER (WHERE comments LIKE '%\\_\\_\\_%' ESCAPE '\\') > 0 FROM labevents") == (True,)


def test_same_seed_same_bytes(tmp_path, faulty_release):
    """A second run with the faulty release's scale and seed writes byte-identical files wherever no fault was injected."""
    a = generate(tmp_path / "a", scale=0.0003, seed=3)
    injected = {r["table"] for r in json.loads((faulty_release.out_dir / SYNTH_MARKER).read_text())["injected"]}
    def sums(root):
        return dict(line.split(" ", 1)[::-1] for line in (root / "SHA256SUMS.txt").read_text().splitlines())
    clean, faulty = sums(a.out_dir), sums(faulty_release.out_dir)
    same = [f for f, t in ((t.file, t.qualified_name) for t in CLINICAL.values()) if t not in injected]
    assert len(same) >= 5
    assert all(clean[f] == faulty[f] for f in same)
    assert clean["icu/icustays.csv.gz"] != faulty["icu/icustays.csv.gz"]


def test_demo_release_imitates_the_100_patient_demo(tmp_path):
    res = generate(tmp_path / "demo", release="demo-2.2")
    assert res.row_counts == SPEC.release("demo-2.2").row_counts
    assert res.row_counts["patients"] == 100
    with gzip.open(res.out_dir / "icu/d_items.csv.gz", "rt") as f:
        assert sum(1 for _ in f) - 1 == 4014


@pytest.mark.parametrize("kwargs, message", [
    ({"scale": 0}, "--scale"),
    ({"release": "9.9"}, "unknown release"),
    ({"inject": ["no-such-fault"]}, "unknown fault"),
    ({"inject": ["orphan-fk:hosp.nope.fk.x"]}, "fk check id"),
    ({"inject": ["null-in-not-null:hosp.admissions.dischtime"]}, "nullable"),
    ({"inject": ["phi:NOT_AN_ENTITY"]}, "PHI entity"),
])
def test_bad_arguments_fail_before_generating(tmp_path, kwargs, message):
    with pytest.raises(UsageError, match=message):
        generate(tmp_path / "x", **kwargs)
    assert not (tmp_path / "x").exists() and list(tmp_path.iterdir()) == []


def test_command_line_errors_are_one_line(tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "keep.txt").write_text("x")
    proc = run_cli("synth", str(tmp_path / "busy"), "--scale", "0.0003", "--inject", "orphan-fk:hosp.nope.fk.x")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "fk check id" in proc.stderr
    with pytest.raises(UsageError, match="not an empty directory"):
        generate(tmp_path / "busy", scale=0.0003)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["busy"]


def test_list_faults_documents_every_fault():
    from tests.cli import run_cli
    out = run_cli("synth", "--list-faults").stdout
    for name in FAULTS:
        assert name in out
