"""MIMIC-shaped fixture rows for the guard tests, built from the spec (columns, identifier domains, 21xx dates).

The values are made up; only their shape (identifier blocks, shifted dates) is MIMIC's.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
from functools import cache
from pathlib import Path

from mimic_qa.spec import load_spec

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}


@cache
def _id_base(column: str) -> int | None:
    """Lower bound of the identifier block the spec gives a column (subject_id, hadm_id, stay_id, ...)."""
    for t in load_spec().tables.values():
        for d in t.domains:
            if d.column == column and d.min is not None and d.min >= 1_000_000:
                return int(d.min)
    return None


def _value(table: str, column: str, i: int) -> object:
    spec = load_spec()
    col = spec.tables[table].column(column)
    base = _id_base(column)
    if base is not None:
        return base + 4321 + 17 * i
    if column in ("emar_id", "poe_id"):
        return f"{_id_base('subject_id') + 4321 + 17 * i}-{i + 1}"  # '<subject_id>-<seq>'
    if col.kind == "integer":
        return i + 1
    if col.kind == "float":
        return round(1.5 + i / 4, 2)
    if col.kind == "date":
        return f"2180-05-{1 + i % 28:02d}"
    if col.kind == "timestamp":
        return f"2180-05-{1 + i % 28:02d} {i % 24:02d}:15:00"
    return "abc"


def mimic_rows(table: str, n: int) -> tuple[list[str], list[list[object]]]:
    """The spec's columns of ``table`` and ``n`` made-up rows shaped like the real ones."""
    cols = load_spec().tables[table].column_names
    return cols, [[_value(table, c, i) for c in cols] for i in range(n)]


def write_csv(path: Path, table: str, n: int, delimiter: str = ",") -> Path:
    cols, rows = mimic_rows(table, n)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(cols)
        w.writerows(rows)
    return path


def write_parquet(path: Path, table: str, n: int) -> Path:
    import duckdb

    src = write_csv(path.with_suffix(".tmp.csv"), table, n)
    with duckdb.connect() as con:
        con.execute(f"COPY (SELECT * FROM read_csv('{src}', header=true)) TO '{path}' (FORMAT parquet)")
    src.unlink()
    return path


def notebook(path: Path, outputs: list[dict]) -> Path:
    """A minimal nbformat-4 notebook: one code cell holding the given outputs, one markdown cell before it."""
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Lab values\n"]},
            {"cell_type": "code", "execution_count": 3, "metadata": {},
             "source": ["df = con.sql('SELECT * FROM mimiciv_hosp.labevents LIMIT 20').df()\n", "df"],
             "outputs": outputs},
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return path


def dataframe_output(table: str, n: int) -> dict:
    """An execute_result as Jupyter saves a displayed pandas DataFrame: text/plain and text/html."""
    import pandas as pd

    cols, rows = mimic_rows(table, n)
    df = pd.DataFrame(rows, columns=cols)
    return {"output_type": "execute_result", "execution_count": 3, "metadata": {},
            "data": {"text/plain": df.to_string().splitlines(keepends=True),
                     "text/html": df.to_html().splitlines(keepends=True)}}


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True,
                          env={**os.environ, **GIT_ENV})


def init_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    return path
