"""The check-only pass (a release folder without ``--keep-db``): each file is read once, only key columns are kept,
and it finds what a full parse finds."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import duckdb

from mimic_qa import validate as validate_api
from mimic_qa.results import Status
from mimic_qa.spec import load_spec


def _outcomes(result) -> dict[str, tuple]:
    return {c.id: (c.status, c.failing_rows, c.message) for c in result.run.checks}


def test_each_file_read_once_and_only_key_columns_kept(clean_copy, monkeypatch):
    import mimic_qa.sources.csv_loader as loader
    from mimic_qa.validation import stream

    reads: list[str] = []
    real_read = loader.csv_read
    monkeypatch.setattr(stream, "csv_read", lambda path, *a, **k: reads.append(str(path)) or real_read(path, *a, **k))
    kept: dict[str, list[str]] = {}
    real_stream = stream.stream_files

    def spy(con: duckdb.DuckDBPyConnection, *args, **kwargs):
        real_stream(con, *args, **kwargs)
        for table, column in con.execute("SELECT table_name, column_name FROM information_schema.columns "
                                         "WHERE table_schema LIKE 'mimiciv_%'").fetchall():
            kept.setdefault(table, []).append(column)

    monkeypatch.setattr(stream, "stream_files", spy)
    result = validate_api(clean_copy, checks="sql")
    files = sorted(str(p) for p in clean_copy.glob("*/*.csv.gz"))
    assert sorted(reads) == files  # once each, and no table parsed whole afterwards
    spec = load_spec()
    # free text and measured values are never part of a key, a reference or an identity
    assert "comments" not in kept["labevents"] and "valuenum" not in kept["labevents"]
    assert {"labevent_id", "subject_id", "hadm_id"} <= set(kept["labevents"])
    assert "gender" not in kept["patients"] and "subject_id" in kept["patients"]
    assert sum(map(len, kept.values())) < sum(len(spec.tables[t].columns) for t in kept) / 2
    assert result.ok


def _spoil(copy: Path, relative: str, column: str, line: int, text: str) -> None:
    """Write ``text`` into ``column`` of data line ``line`` (1 = the first row after the header)."""
    path = copy / relative
    with gzip.open(path, "rt", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[line][rows[0].index(column)] = text
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_bytes(gzip.compress(out.getvalue().encode()))


def test_value_that_does_not_parse_in_a_column_not_kept_rejects_its_row(clean_copy, copy_of, tmp_path):
    """DuckDB casts only the columns a query uses: the pass still reads every column, as a full parse does."""
    copy = copy_of(clean_copy)
    with gzip.open(copy / "hosp" / "admissions.csv.gz", "rt") as fh:
        rows = sum(1 for _ in fh) - 1
    _spoil(copy, "hosp/admissions.csv.gz", "edregtime", 3, "not a time")  # no key, reference or window reads it
    streamed = validate_api(copy)
    kept = validate_api(copy, keep_db=tmp_path / "kept.duckdb")
    checks = {c.id: c for c in streamed.run.checks}
    bad = checks["hosp.admissions.type.edregtime"]
    assert bad.status is Status.FAILED and bad.failing_rows == 1 and "line 4" in bad.message
    assert checks["hosp.admissions.row_count"].failing_rows == 1
    assert streamed.run.row_counts["admissions"]["observed"] == rows - 1  # that row is not counted
    assert _outcomes(streamed) == _outcomes(kept)

