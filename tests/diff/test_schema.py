"""Header changes between two release folders: columns added, removed, renamed, re-spelled, reordered, and
values that no longer parse; the damage is written here, on a copy of a small synthetic release."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from mimic_qa.diff.schema import pair_columns
from mimic_qa.diff.sides import StoredColumn
from tests.diff.conftest import Run, read_csv, run_diff, write_csv

TABLES = "admissions,patients,transfers,omr,services,icustays"


Rows = list[list[str]]
Change = Callable[[list[str], Rows], tuple[list[str], Rows]]


def _edit(path: Path, change: Change) -> None:
    header, rows = read_csv(path)
    header, rows = change(header, rows)
    write_csv(path, header, rows)


def _rename_last(header: list[str], rows: Rows) -> tuple[list[str], Rows]:
    return header[:-1] + [header[-1] + "_renamed"], rows


def _respell(header: list[str], rows: Rows) -> tuple[list[str], Rows]:
    """anchor_age re-spelled; gender only in capitals, which SQL and validate read as the spec's column (validate's
    header_case check reports that spelling, as PhysioNet's procedureevents.ORIGINALAMOUNT): no finding."""
    return [{"anchor_age": "AnchorAge", "gender": "GENDER"}.get(h, h) for h in header], rows


def _swap_first_two(header: list[str], rows: Rows) -> tuple[list[str], Rows]:
    return [header[1], header[0], *header[2:]], [[r[1], r[0], *r[2:]] for r in rows]


def _drop_last(header: list[str], rows: Rows) -> tuple[list[str], Rows]:
    return header[:-1], [r[:-1] for r in rows]


def _add_column(header: list[str], rows: Rows) -> tuple[list[str], Rows]:
    return [*header, "site_note"], [[*r, "x"] for r in rows]


def _text_in_los(header: list[str], rows: Rows) -> tuple[list[str], Rows]:
    i = header.index("los")
    for r in rows[:3]:
        r[i] = "n/a"
    return header, rows


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, int]:
    from mimic_qa import synth

    base = tmp_path_factory.mktemp("schema")
    a = base / "a"
    synth.generate(a, scale=0.001, seed=5)
    b = base / "b"
    shutil.copytree(a, b)
    for table, change in (("admissions", _rename_last), ("patients", _respell), ("transfers", _swap_first_two),
                          ("omr", _drop_last), ("services", _add_column), ("icustays", _text_in_los)):
        module = "icu" if table == "icustays" else "hosp"
        _edit(b / module / f"{table}.csv.gz", change)
    icustays = len(read_csv(a / "icu" / "icustays.csv.gz")[1])
    return run_diff(a, b, base / "out", "--tables", TABLES), icustays


def _table(run: Run, name: str) -> dict:
    return next(t for t in run.result["tables"] if t["name"] == name)


def test_each_header_change_is_named(changed: tuple[Run, int]):
    run, _ = changed
    assert run.code == 1
    found = {(f["table"], f["column"], f["statistic"], f["severity"]) for f in run.findings()
             if f["statistic"].startswith("schema")}
    assert found == {
        ("admissions", "hospital_expire_flag", "schema.renamed", "error"),
        ("patients", "anchor_age", "schema.respelled", "error"),
        ("transfers", None, "schema.reordered", "warning"),
        ("omr", "result_value", "schema.removed", "error"),
        ("services", "site_note", "schema.added", "warning"),
        ("icustays", "los", "schema.unparsed", "error"),
    }
    assert _table(run, "admissions")["header"]["renamed"] == [{"a": "hospital_expire_flag",
                                                               "b": "hospital_expire_flag_renamed"}]
    assert _table(run, "patients")["header"]["respelled"] == [{"a": "anchor_age", "b": "AnchorAge"}]
    gender = next(c for c in _table(run, "patients")["columns"] if c["name"] == "gender")
    assert gender["name_b"] in (None, "gender") and gender["tvd"] == 0
    assert _table(run, "transfers")["header"]["reordered"] in (["subject_id"], ["hadm_id"])


def test_renamed_and_respelled_columns_are_still_compared(changed: tuple[Run, int]):
    """The pairs keep their profiles: the data did not change, so their distances are 0."""
    run, _ = changed
    flag = next(c for c in _table(run, "admissions")["columns"] if c["name"] == "hospital_expire_flag")
    assert flag["name_b"] == "hospital_expire_flag_renamed" and flag["role"] == "categorical" and flag["tvd"] == 0
    age = next(c for c in _table(run, "patients")["columns"] if c["name"] == "anchor_age")
    assert age["name_b"] == "AnchorAge" and age["role"] == "numeric" and age["ks"] == 0
    moved = _table(run, "transfers")
    assert all(c["null_rate_delta"] == 0 for c in moved["columns"]) and moved["rows_a"] == moved["rows_b"]


def test_values_that_do_not_parse_are_counted_and_their_rows_left_out(changed: tuple[Run, int]):
    run, rows = changed
    icustays = _table(run, "icustays")
    assert icustays["header"]["unparsed_b"] == {"los": 3}
    assert (icustays["rows_a"], icustays["rows_b"]) == (rows, rows - 3)
    assert "n/a" not in run.outputs


def test_reordering_names_the_columns_that_moved():
    cols = [StoredColumn(n, None, "CSV") for n in "abcdef"]
    moved = [cols[i] for i in (0, 4, 1, 2, 3, 5)]  # e moved before b, c, d
    _, header = pair_columns(cols, moved)
    assert header.reordered == ["e"]
    _, same = pair_columns(cols, list(cols))
    assert not same.changed
