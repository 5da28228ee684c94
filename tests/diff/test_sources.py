"""diff between kinds of copies: a release folder against the DuckDB database, Parquet folder and PostgreSQL
database made from it, and copies that cannot be read."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from mimic_qa.spec import load_spec
from tests.cli import run_cli
from tests.diff.conftest import Run, run_diff

SCALE = 0.001


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from mimic_qa import synth

    out = tmp_path_factory.mktemp("synth") / "mimic"
    synth.generate(out, scale=SCALE, seed=3)
    return out


@pytest.fixture(scope="module")
def kept_db(synthetic: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The DuckDB database validate parses the synthetic copy into (mimic-code's layout, the spec's types)."""
    db = tmp_path_factory.mktemp("db") / "mimic.duckdb"
    proc = run_cli("validate", str(synthetic), "--checks", "sql", "--keep-db", str(db), "--quiet")
    assert proc.returncode == 0, proc.stderr
    return db


def _same(run: Run) -> None:
    """No warning or error; row counts and key sets identical; categories identical."""
    assert run.code == 0, run.stdout + run.stderr
    assert [f for f in run.findings() if f["severity"] != "info"] == []
    for t in run.result["tables"]:
        assert t["rows_a"] == t["rows_b"], t["name"]
        assert all(k["only_a"] == k["only_b"] == 0 and k["distinct_a"] == k["distinct_b"] for k in t["keys"]), t["name"]
        assert all(c["tvd"] in (None, 0) for c in t["columns"]), t["name"]


def test_folder_against_its_duckdb_database(synthetic: Path, kept_db: Path, tmp_path: Path):
    run = run_diff(synthetic, kept_db, tmp_path)
    _same(run)
    assert run.result["b"]["kind"] == "DuckDB database"
    assert run.result["b"]["release"] == "3.1" and run.result["b"]["synthetic"] is True  # recorded by validate
    assert len(run.result["tables"]) == 31
    assert all(t["header"]["columns_a"] == t["header"]["columns_b"] for t in run.result["tables"])


def test_folder_against_parquet(synthetic: Path, kept_db: Path, tmp_path: Path):
    parquet = tmp_path / "parquet"
    tables = ["patients", "labevents", "d_labitems"]
    con = duckdb.connect(str(kept_db), read_only=True)
    for name in tables:
        module = load_spec().tables[name].module
        (parquet / module).mkdir(parents=True, exist_ok=True)
        con.execute(f"COPY mimiciv_{module}.{name} TO '{parquet / module / name}.parquet' (FORMAT parquet)")
    con.close()
    run = run_diff(synthetic, parquet, tmp_path / "out", "--tables", ",".join(tables))
    _same(run)
    assert {t["name"] for t in run.result["tables"]} == set(tables)
    assert run.result["b"]["kind"] == "Parquet folder"


def test_folder_against_postgresql(synthetic_pg, tmp_path: Path):
    """The release `mimic-qa load` put in PostgreSQL: same rows, keys (CHAR(n) codes trimmed) and categories
    (1.0 in DuckDB and 1 in PostgreSQL are one category); quantiles there are exact, in DuckDB sketched, so KS
    distances from 50 values on stay within 0.03 (below the info threshold)."""
    assert synthetic_pg.load.returncode == 0, synthetic_pg.load.stderr
    run = run_diff(synthetic_pg.release, synthetic_pg.url, tmp_path)
    _same(run)
    assert run.result["b"]["kind"] == "PostgreSQL database"
    assert "password" not in json.dumps(run.result["b"])
    assert len(run.result["tables"]) == 31
    diagnoses = next(t for t in run.result["tables"] if t["name"] == "diagnoses_icd")
    assert any(k["columns"] == ["icd_code", "icd_version"] and k["distinct_a"] > 0 for k in diagnoses["keys"])
    judged = 0
    for t in run.result["tables"]:
        for c in t["columns"]:
            if c["a"] and min(c["a"]["rows"] - c["a"]["nulls"], c["b"]["rows"] - c["b"]["nulls"]) >= 50:
                assert (c["ks"] or 0) <= 0.03 and (c["length_ks"] or 0) <= 0.03, (t["name"], c["name"])
                judged += c["ks"] is not None
    assert judged > 50


def test_retyped_column_between_databases(kept_db: Path, tmp_path: Path):
    altered = tmp_path / "altered.duckdb"
    shutil.copy(kept_db, altered)
    con = duckdb.connect(str(altered))
    con.execute("ALTER TABLE mimiciv_hosp.patients ALTER anchor_age TYPE VARCHAR")
    con.close()
    run = run_diff(kept_db, altered, tmp_path / "out", "--tables", "patients")
    assert run.code == 1
    (finding,) = run.findings("error")
    assert (finding["table"], finding["column"], finding["statistic"]) == ("patients", "anchor_age", "schema.retyped")
    retyped = run.result["tables"][0]["header"]["retyped"]
    assert [(r["column"], r["kind_a"], r["kind_b"]) for r in retyped] == [("anchor_age", "integer", "string")]


def test_unreadable_table_is_an_error_finding(synthetic: Path, tmp_path: Path):
    copy = tmp_path / "copy"
    shutil.copytree(synthetic, copy)
    path = copy / "hosp" / "omr.csv.gz"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # truncated gzip stream
    run = run_diff(synthetic, copy, tmp_path / "out", "--tables", "omr,patients")
    assert run.code == 1
    (finding,) = run.findings("error")
    assert finding["table"] == "omr" and finding["statistic"] == "table" and "cannot be read in B" in finding["message"]
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("args, message", [
    (["{missing}", "{demo}"], "no such file or directory"),
    (["{file}", "{demo}"], "not a DuckDB database"),
    (["bigquery://physionet-data", "{demo}"], "not supported"),
    (["{demo}", "{demo}", "--tables", "nosuchtable"], "unknown table(s): nosuchtable"),
    (["{demo}", "{demo}", "--fail-on", "severe"], "--fail-on must be one of: error, warning, info"),
    (["{demo}", "{demo}", "--threshold", "ks=0.1"], "--threshold ks=0.1: give STAT=WARNING,ERROR"),
    (["{demo}", "{demo}", "--threshold", "nosuch=0.1,0.2"], "--threshold nosuch=0.1,0.2"),
])
def test_usage_errors_are_one_line_and_exit_2(args: list[str], message: str, synthetic: Path, tmp_path: Path):
    not_db = tmp_path / "notes.txt"
    not_db.write_text("hello")
    filled = [a.format(missing=tmp_path / "nowhere", demo=synthetic, file=not_db) for a in args]
    proc = run_cli("diff", *filled)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mimic-qa: error:") and message in lines[0], proc.stderr


def test_outputs_are_written_whole(synthetic: Path, tmp_path: Path):
    """JSON and report files appear complete, with no temporary files left beside them."""
    run = run_diff(synthetic, synthetic, tmp_path, "--tables", "patients")
    assert run.code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["diff.json", "report"]
    assert sorted(p.name for p in run.report.iterdir()) == ["diff.html", "diff.md"]
    assert run.result["summary"]["compared"] == 1
    with gzip.open(synthetic / "hosp" / "patients.csv.gz", "rt") as fh:
        assert run.result["tables"][0]["rows_a"] == sum(1 for _ in fh) - 1
