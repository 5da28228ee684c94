"""The same check ids and the same results on DuckDB, Parquet, PostgreSQL and Spark, for a clean and a damaged copy."""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from mimic_qa import validate
from mimic_qa.spec import load_spec
from mimic_qa.synth import generate
from mimic_qa.validation.libraries import GX_KINDS, PANDERA_KINDS
from tests.postgres.server import fresh_database

SCALE = 0.0005
COPIES = {"clean": [], "damaged": ["orphan-fk:hosp.emar.fk.subject_id", "duplicate-pk:hosp.procedures_icd"]}


def comparable(result) -> set[tuple[str, str, int | None]]:
    """Data checks only: file.* / release.* apply to release files, not to databases."""
    return {(c.id, c.status.value, c.failing_rows) for c in result.run.checks
            if not c.kind.startswith("file.") and not c.id.startswith("release.")}


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> dict[str, dict[str, Path]]:
    out: dict[str, dict[str, Path]] = {}
    for name, faults in COPIES.items():
        base = tmp_path_factory.mktemp(name)
        generate(base / "csv", scale=SCALE, seed=3, inject=faults)
        db = base / "mimic.duckdb"
        validate(base / "csv", keep_db=db)
        parquet = base / "parquet"
        con = duckdb.connect(str(db), read_only=True)
        for t in load_spec().tables.values():
            if t.module not in ("hosp", "icu"):  # the synthetic copy holds the clinical database only
                continue
            (parquet / t.module).mkdir(parents=True, exist_ok=True)
            con.execute(f"COPY mimiciv_{t.module}.{t.name} TO '{parquet / t.module / (t.name + '.parquet')}' "
                        "(FORMAT parquet)")
        con.close()
        out[name] = {"csv": base / "csv", "duckdb": db, "parquet": parquet}
    return out


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    import pyspark.sql as pyspark  # in the test extra
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SPARK_LOCAL_IP", "127.0.0.1")  # the JVM's own address: loopback, never the machine's network one
        session = (pyspark.SparkSession.builder.master("local[2]").appName("mimic-qa-tests")
                   .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                   .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("spark-warehouse")))
                   .config("spark.sql.session.timeZone", "UTC").getOrCreate())
        bound = _listening(session.sparkContext._gateway.proc.pid)
        assert bound and all(a.is_loopback for a in bound), f"Spark listens beyond loopback: {bound}"
        yield session
        session.stop()


def _listening(pid: int) -> set[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The local addresses the process's listening TCP sockets are bound to (from /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            if (target := os.readlink(fd)).startswith("socket:["):
                inodes.add(target[8:-1])
    found = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                raw = bytes.fromhex(fields[1].split(":")[0])  # 32-bit words in host (little-endian) order
                packed = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
                address = ipaddress.ip_address(packed)
                found.add(getattr(address, "ipv4_mapped", None) or address)
    return found


@pytest.mark.parametrize("copy", list(COPIES))
def test_same_results_on_every_engine(copies, copy, pg_server, spark):
    paths = copies[copy]
    release = str(paths["csv"] / "mimic-qa-synthetic.json")
    on_duckdb = validate(paths["duckdb"], checks="all")  # pandera and GX inside DuckDB
    on_parquet = validate(paths["parquet"], release=release)
    with fresh_database(pg_server) as dsn:
        load = subprocess.run([sys.executable, "-m", "mimic_qa", "load", str(paths["csv"]), dsn, "--no-constraints"],
                              capture_output=True, text=True)
        assert load.returncode == 0, load.stderr[-2000:]
        on_postgres = validate(dsn, release=release, checks="all")  # pandera and GX inside PostgreSQL
        on_postgres_sql = validate(dsn, release=release, checks="sql")
    on_spark = validate(paths["parquet"], engine="spark", spark_session=spark, release=release)
    reference = comparable(on_duckdb)
    assert on_parquet.run.summary.source_kind == "parquet"
    for result in (on_parquet, on_postgres, on_postgres_sql, on_spark):
        engine = result.run.summary.source_kind
        assert comparable(result) ^ reference == set(), f"{engine} differs from duckdb"
    ran = [c for c in on_postgres.run.checks if c.status.value != "skipped"]
    assert {(c.kind, c.engine) for c in ran if c.kind in PANDERA_KINDS | GX_KINDS} == \
        {(k, "pandera") for k in PANDERA_KINDS} | {(k, "gx") for k in GX_KINDS}
    assert {c.engine for c in on_postgres_sql.run.checks if c.status.value != "skipped"} == {"sql"}
    if copy == "clean":
        assert on_duckdb.ok
    else:
        injected = json.loads((paths["csv"] / "mimic-qa-synthetic.json").read_text())["injected"]
        expected = {cid for item in injected for cid in item["check_ids"]}
        assert {"hosp.emar.fk.subject_id", "hosp.procedures_icd.pk"} <= expected
        for result in (on_duckdb, on_postgres, on_spark):
            assert expected <= {c.id for c in result.failed}


def test_postgres_deleted_patient_and_orphan_fail_with_the_right_ids(copies, pg_server):
    with fresh_database(pg_server) as dsn:
        load = subprocess.run([sys.executable, "-m", "mimic_qa", "load", str(copies["clean"]["csv"]), dsn],
                              capture_output=True, text=True)
        assert load.returncode == 0, load.stderr[-2000:]
        release = str(copies["clean"]["csv"] / "mimic-qa-synthetic.json")
        assert validate(dsn, release=release).ok
        import psycopg

        with psycopg.connect(dsn, autocommit=True) as con:
            con.execute("ALTER TABLE mimiciv_icu.icustays DROP CONSTRAINT IF EXISTS icustays_hadm_fk")
            for fk in con.execute("SELECT conname, conrelid::regclass FROM pg_constraint WHERE contype = 'f'").fetchall():
                con.execute(f"ALTER TABLE {fk[1]} DROP CONSTRAINT {fk[0]}")
            con.execute("DELETE FROM mimiciv_hosp.patients WHERE subject_id = "
                        "(SELECT min(subject_id) FROM mimiciv_hosp.admissions)")
            con.execute("INSERT INTO mimiciv_hosp.labevents (labevent_id, subject_id, specimen_id, itemid) "
                        "SELECT max(labevent_id) + 1, min(subject_id), 1, 1 FROM mimiciv_hosp.labevents")
        result = validate(dsn, release=release)
        failed = {c.id for c in result.failed}
        assert {"hosp.patients.row_count", "hosp.admissions.fk.subject_id", "hosp.labevents.fk.itemid"} <= failed
        assert result.run.source.startswith("postgresql://") and "password" not in result.run.source


def test_postgres_password_never_recorded(copies, pg_server, tmp_path):
    out = subprocess.run([sys.executable, "-m", "mimic_qa", "validate", "postgresql://someone:hunter2@127.0.0.1:1/db",
                          "--json", str(tmp_path / "r.json")], capture_output=True, text=True,
                         env={**os.environ, "PGCONNECT_TIMEOUT": "2"})
    assert out.returncode == 2
    assert "hunter2" not in out.stderr + out.stdout
