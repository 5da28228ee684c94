"""Every fault kind really damages the release, and the release file says which checks must fail."""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib

import duckdb
import pytest

from mimic_qa.checks import build_catalog
from mimic_qa.phi.entities import Entity
from mimic_qa.sources.layout import SYNTH_MARKER
from mimic_qa.spec import load_spec
from mimic_qa.synth import FAULTS
from tests.synth.conftest import FAULTS as INJECTED
from tests.synth.spec_checks import header

SPEC = load_spec()
IDS = {c.id for c in build_catalog(SPEC)}


@pytest.fixture(scope="module")
def rel(faulty_release):
    meta = json.loads((faulty_release.out_dir / SYNTH_MARKER).read_text())
    return faulty_release.out_dir, meta, {(r["fault"], r["table"]): r for r in meta["injected"]}


def _read(root, table, **opts):
    t = SPEC.tables[table]
    extra = "".join(f", {k}={v}" for k, v in opts.items())
    return f"read_csv('{root / t.file}', header=true, all_varchar=true{extra})"


def _count(sql):
    return duckdb.connect().execute(sql).fetchone()[0]


def test_every_fault_is_recorded_with_real_check_ids(rel):
    _, meta, _ = rel
    names = {r["fault"] for r in meta["injected"]}
    assert names == {f.split(":")[0] for f in INJECTED} == set(FAULTS)
    for r in meta["injected"]:
        assert set(r["check_ids"]) <= IDS, r["check_ids"]
        assert r["fault"] == "phi" or r["check_ids"]


def test_file_faults(rel):
    root, _, rec = rel
    assert not (root / "icu/caregiver.csv.gz").exists()
    assert "icu/caregiver.csv.gz" in (root / "SHA256SUMS.txt").read_text()
    assert (root / "hosp/d_hcpcs.csv.gz").stat().st_size == 0
    for table in ("transfers", "ingredientevents"):  # truncated / corrupted gzip do not decompress
        with pytest.raises((EOFError, OSError, gzip.BadGzipFile, zlib.error)), gzip.open(root / SPEC.tables[table].file) as f:
            while f.read(1 << 20):
                pass
    sums = dict(reversed(line.split(" ", 1)) for line in (root / "SHA256SUMS.txt").read_text().splitlines())
    assert hashlib.sha256((root / "hosp/omr.csv.gz").read_bytes()).hexdigest() != sums["hosp/omr.csv.gz"]
    assert hashlib.sha256((root / "hosp/admissions.csv.gz").read_bytes()).hexdigest() == sums["hosp/admissions.csv.gz"]
    with pytest.raises(UnicodeDecodeError), gzip.open(root / "hosp/d_labitems.csv.gz") as f:
        f.read().decode("utf-8")
    assert rec[("missing-file", "icu.caregiver")]["check_ids"][0] == "icu.caregiver.file.present"


def test_row_faults(rel):
    root, meta, _ = rel
    exp, got = meta["expected_row_counts"], meta["row_counts"]
    for table, delta in (("microbiologyevents", -1), ("procedures_icd", 1)):
        assert _count(f"SELECT count(*) FROM {_read(root, table)}") == exp[table] + delta == got[table]
    assert _count(f"SELECT count(*) - count(DISTINCT (hadm_id, seq_num, icd_code, icd_version)) "
                  f"FROM {_read(root, 'procedures_icd')}") == 0  # the extra row has a fresh key
    assert _count(f"SELECT count(*) - count(DISTINCT (hadm_id, transfertime, curr_service)) "
                  f"FROM {_read(root, 'services')}") == 1
    assert _count(f"SELECT count(*) FROM {_read(root, 'services')}") == exp["services"]


def test_orphan_foreign_keys_have_no_parent(rel):
    root, _, rec = rel
    assert _count(f"SELECT count(*) FROM {_read(root, 'emar')} e ANTI JOIN {_read(root, 'poe')} p USING (poe_id)") == 1
    assert _count(f"SELECT count(*) FROM {_read(root, 'diagnoses_icd')} x ANTI JOIN {_read(root, 'd_icd_diagnoses')} d "
                  f"USING (icd_code, icd_version)") == 1
    assert rec[("orphan-fk", "hosp.emar")]["relation"] == "hosp.emar.fk.poe_id"


def test_value_faults(rel):
    root, _, rec = rel
    assert _count(f"SELECT count(*) FROM {_read(root, 'drgcodes')} WHERE drg_code IS NULL") == 1
    assert _count(f"SELECT count(*) FROM {_read(root, 'outputevents')} WHERE TRY_CAST(value AS DOUBLE) IS NULL") == 1
    assert _count(f"SELECT count(*) FROM {_read(root, 'patients')} WHERE gender NOT IN ('M', 'F')") == 1
    r = rec[("time-order", "icu.icustays")]
    bad = _count(f"SELECT count(*) FROM {_read(root, 'icustays')} WHERE intime::TIMESTAMP > outtime::TIMESTAMP")
    assert bad == r["rows"] >= 1


def test_column_faults(rel):
    root, _, _ = rel
    cols = {n: SPEC.tables[n].column_names for n in ("datetimeevents", "inputevents", "procedureevents", "hcpcsevents")}
    assert header(root / "icu/datetimeevents.csv.gz") == cols["datetimeevents"][:-1] + [cols["datetimeevents"][-1] + "_renamed"]
    c = cols["inputevents"]
    assert header(root / "icu/inputevents.csv.gz") == [c[1], c[0], *c[2:]]
    assert header(root / "icu/procedureevents.csv.gz") == cols["procedureevents"][:-1]
    assert header(root / "hosp/hcpcsevents.csv.gz") == cols["hcpcsevents"] + ["extra_column"]


@pytest.fixture(scope="module")
def phi_rows(rel) -> list[tuple[dict, list]]:
    """Each ground-truth line with the values of its column in the rows its key selects."""
    root = rel[0]
    truth = [json.loads(line) for line in (root / "phi-ground-truth.jsonl").read_text().splitlines()]
    con = duckdb.connect()
    out = []
    for name in {t["table"].split(".")[1] for t in truth}:
        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM {_read(root, name)}')
    for t in truth:
        where = " AND ".join(f"{k} IS NULL" if v is None else f"{k} = '{v}'" for k, v in t["row"].items())
        out.append((t, [r[0] for r in con.execute(f'SELECT "{t["column"]}" FROM "{t["table"].split(".")[1]}" '
                                                  f"WHERE {where}").fetchall()]))
    return out


def test_phi_ground_truth_locates_every_span(phi_rows):
    truth = [t for t, _ in phi_rows]
    assert {t["entity_type"] for t in truth} >= {e.value for e in (
        Entity.PERSON, Entity.PHONE_NUMBER, Entity.EMAIL_ADDRESS, Entity.US_SSN, Entity.MEDICAL_RECORD_NUMBER,
        Entity.DATE, Entity.AGE_OVER_89, Entity.STREET_ADDRESS, Entity.ZIP_CODE, Entity.URL, Entity.IP_ADDRESS)}
    for t, values in phi_rows:
        assert len(values) == 1, t["row"]  # the key locates exactly one row
        text = values[0]
        assert len(text) == t["text_length"] and 0 <= t["start"] < t["end"] <= len(text)
        if t["entity_type"] == "AGE_OVER_89":
            assert int(text[t["start"]:t["end"]]) > 89


def test_phi_text_is_never_printed(faulty_release, phi_rows):
    texts = {values[0][t["start"]:t["end"]]: t["entity_type"] for t, values in phi_rows}
    assert len(texts) >= 11
    for span in texts:
        if len(span) >= 5:  # (a two-digit age can occur in a temporary path)
            assert span not in faulty_release.console
    assert "injected phi" in faulty_release.console
