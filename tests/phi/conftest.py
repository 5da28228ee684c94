"""Fixtures for the PHI scanner: the labelled corpus, one shared analyzer, small sources built from the spec."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from mimic_qa.spec import load_spec

CORPUS = Path(__file__).with_name("corpus.jsonl")
# words a real copy's dictionaries would contribute (drug and item names that look like names)
DICTIONARY_WORDS = ["Foley catheter", "Lasix furosemide", "Zosyn", "Swan Ganz", "Heparin", "Levofloxacin",
                    "Vancomycin", "Metoprolol", "Acetaminophen", "MS Contin", "Insulin glargine", "Levophed"]


def corpus_rows() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def corpus() -> list[dict]:
    return corpus_rows()


@pytest.fixture(scope="session")
def vocabulary():
    from mimic_qa.phi.vocabulary import Vocabulary

    return Vocabulary.build(DICTIONARY_WORDS)


@pytest.fixture(scope="session")
def analyzer(vocabulary):
    from mimic_qa.phi.engine import PhiAnalyzer

    return PhiAnalyzer(vocabulary)


def _create(con: duckdb.DuckDBPyConnection, table: str) -> str:
    t = load_spec().tables[table]
    con.execute(f"CREATE SCHEMA IF NOT EXISTS mimiciv_{t.module}")
    cols = ", ".join(f'"{c.name}" {c.sql_type("duckdb")}' for c in t.columns)
    con.execute(f"CREATE TABLE mimiciv_{t.module}.{table} ({cols})")
    return f"mimiciv_{t.module}.{table}"


def build_db(path: Path, comments: list[str | None], d_items_labels: list[str] = ()) -> Path:
    """A DuckDB database in mimic-code layout: labevents with ``comments`` (labevent_id = 1..n), plus d_items."""
    con = duckdb.connect(str(path))
    lab = _create(con, "labevents")
    con.executemany(f"INSERT INTO {lab} (labevent_id, subject_id, itemid, comments) VALUES (?, ?, 50912, ?)",
                    [[i, 10000000 + i, text] for i, text in enumerate(comments, 1)])
    items = _create(con, "d_items")
    if d_items_labels:
        con.executemany(f"INSERT INTO {items} (itemid, label) VALUES (?, ?)",
                        [[220000 + i, label] for i, label in enumerate(d_items_labels)])
    con.close()
    return path


def export_release(db: Path, out: Path) -> Path:
    """The database's tables as a release directory of csv.gz files (header, spec column order)."""
    con = duckdb.connect(str(db), read_only=True)
    spec = load_spec()
    for schema, table in con.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall():
        (out / spec.tables[table].module).mkdir(parents=True, exist_ok=True)
        con.execute(f"COPY {schema}.{table} TO '{out / spec.tables[table].file}' (HEADER, COMPRESSION gzip)")
    con.close()
    return out
