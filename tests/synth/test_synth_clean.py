"""A clean synthetic release: layout, headers, counts, checksums, keys, quirks, determinism."""

from __future__ import annotations

import gzip
import json
import re
import subprocess

import duckdb
import pytest

from mimic_qa.sources.layout import SYNTH_MARKER
from mimic_qa.spec import build_catalog, load_spec
from mimic_qa.synth import generate
from mimic_qa.synth.quirks import table_quirks
from tests.synth.spec_checks import evaluate, header

SPEC = load_spec()


def _rows(path) -> int:
    con = duckdb.connect()
    return con.execute(f"SELECT count(*) FROM read_csv('{path}', header=true, all_varchar=true)").fetchone()[0]


def test_layout_headers_and_row_counts_match_release_file(clean_release):
    files = sorted(p.relative_to(clean_release).as_posix() for p in clean_release.rglob("*.csv.gz"))
    assert len(files) == 31
    assert sum(f.startswith("hosp/") for f in files) == 22 and sum(f.startswith("icu/") for f in files) == 9
    meta = json.loads((clean_release / SYNTH_MARKER).read_text())
    assert meta["generator"] == "mimic-qa synth" and meta["release"] == "3.1" and meta["seed"] == 1
    assert meta["row_counts"] == meta["expected_row_counts"]
    for name, t in SPEC.tables.items():
        assert header(clean_release / t.file) == t.column_names, name
        assert _rows(clean_release / t.file) == meta["row_counts"][name], name


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
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-500:]
    assert "synthetic" in (clean_release / "LICENSE.txt").read_text().lower()


def test_gzip_header_has_no_name_or_mtime(clean_release):
    raw = (clean_release / "hosp/patients.csv.gz").read_bytes()
    assert raw[:2] == b"\x1f\x8b" and raw[3] & 0x08 == 0 and raw[4:8] == b"\0\0\0\0"


@pytest.fixture(scope="module")
def evaluated(clean_release) -> dict[str, int]:
    return evaluate(clean_release, SPEC, ("error", "warning", "info"))


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


def test_identifiers_and_dates_look_like_mimic(clean_release):
    con = duckdb.connect()
    def q(sql):
        return con.execute(sql.replace("{root}", str(clean_release))).fetchone()
    pat = "read_csv('{root}/hosp/patients.csv.gz')"
    assert q(f"SELECT min(subject_id) >= 10000000, max(subject_id) <= 19999999 FROM {pat}") == (True, True)
    assert q(f"SELECT bool_and(anchor_age <= 89 OR anchor_age = 91), bool_and(anchor_year BETWEEN 2110 AND 2210) "
             f"FROM {pat}") == (True, True)
    adm = "read_csv('{root}/hosp/admissions.csv.gz')"
    assert q(f"SELECT min(hadm_id) >= 20000000, max(hadm_id) < 30000000, min(year(admittime)) >= 2110, "
             f"max(year(dischtime)) <= 2210 FROM {adm}") == (True, True, True, True)
    icu = "read_csv('{root}/icu/icustays.csv.gz')"
    assert q(f"SELECT min(stay_id) >= 30000000 AND max(stay_id) < 40000000 FROM {icu}") == (True,)
    # stays nest inside their admission; stay_id is a transfer_id
    assert q(f"SELECT count(*) FROM {icu} i JOIN {adm} a USING (hadm_id) WHERE i.intime < a.admittime - INTERVAL 1 SECOND "
             f"OR i.outtime > a.dischtime + INTERVAL 1 SECOND") == (0,)
    assert q(f"SELECT count(*) FROM {icu} ANTI JOIN read_csv('{{root}}/hosp/transfers.csv.gz') t "
             f"ON t.transfer_id = stay_id") == (0,)
    assert q("SELECT bool_and(regexp_full_match(emar_id, subject_id::VARCHAR || '-' || emar_seq::VARCHAR)) "
             "FROM read_csv('{root}/hosp/emar.csv.gz')") == (True,)
    assert q("SELECT bool_and(regexp_full_match(provider_id, 'P[0-9A-Z]{5}')) "
             "FROM read_csv('{root}/hosp/provider.csv.gz')") == (True,)
    # units follow the item: one unit per chartevents itemid
    assert q("SELECT max(n) FROM (SELECT count(DISTINCT valueuom) n FROM read_csv('{root}/icu/chartevents.csv.gz') "
             "GROUP BY itemid)") == (1,)
    # free text in MIMIC's masked style
    assert q("SELECT count(*) FILTER (WHERE comments LIKE '%___%') > 0 FROM "
             "read_csv('{root}/hosp/labevents.csv.gz', all_varchar=true)") == (True,)


def test_same_seed_same_bytes(tmp_path, faulty_release):
    a = generate(tmp_path / "a", scale=0.0003, seed=3)
    b = generate(tmp_path / "b", scale=0.0003, seed=3)
    assert (a.out_dir / "SHA256SUMS.txt").read_bytes() == (b.out_dir / "SHA256SUMS.txt").read_bytes()
    # the faulty release used the same scale and seed: its untouched tables are byte-identical
    assert (a.out_dir / "icu/icustays.csv.gz").read_bytes() != (faulty_release.out_dir / "icu/icustays.csv.gz").read_bytes()
    assert (a.out_dir / "hosp/pharmacy.csv.gz").read_bytes() == (faulty_release.out_dir / "hosp/pharmacy.csv.gz").read_bytes()


def test_demo_release_imitates_the_100_patient_demo(tmp_path):
    res = generate(tmp_path / "demo", release="demo-2.2")
    assert res.row_counts == SPEC.release("demo-2.2").row_counts
    assert res.row_counts["patients"] == 100
    with gzip.open(res.out_dir / "icu/d_items.csv.gz", "rt") as f:
        assert sum(1 for _ in f) - 1 == 4014


@pytest.mark.parametrize("args, message", [
    (["--scale", "0"], "--scale"),
    (["--release", "9.9"], "unknown release"),
    (["--inject", "no-such-fault"], "unknown fault"),
    (["--inject", "orphan-fk:hosp.nope.fk.x"], "fk check id"),
])
def test_bad_arguments_are_one_line_errors(tmp_path, args, message):
    from tests.cli import run_cli
    proc = run_cli("synth", str(tmp_path / "x"), *args)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and not (tmp_path / "x").exists()


def test_refuses_a_non_empty_output_folder(tmp_path):
    from tests.cli import run_cli
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "keep.txt").write_text("x")
    proc = run_cli("synth", str(tmp_path / "busy"), "--scale", "0.0003")
    assert proc.returncode == 2 and "not an empty directory" in proc.stderr


def test_list_faults_documents_every_fault():
    from tests.cli import run_cli
    from mimic_qa.synth import FAULTS
    out = run_cli("synth", "--list-faults").stdout
    for name in FAULTS:
        assert name in out
