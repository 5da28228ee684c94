"""Each format the guard reads: compressed and renamed text, printed rows, Arrow, Excel, pickles, release copies."""

from __future__ import annotations

import gzip
import hashlib
import io
import pickle
import shutil
from pathlib import Path

import pytest

from mimic_qa.guard import run_guard
from mimic_qa.guard.config import GuardConfig
from mimic_qa.guard.release_copy import ReleaseFile, ReleaseIndex, build_release_index
from mimic_qa.guard.scanner import Scanner, scan_files
from mimic_qa.guard.signals import default_signals
from mimic_qa.spec import load_spec
from tests.guard.mimic_like import mimic_rows, notebook, write_csv


def scan(path: Path):
    return run_guard([path], cwd=path.parent)


def only_finding(path: Path):
    result = scan(path)
    assert len(result.findings) == 1, result
    return result.findings[0]


def test_gzip_csv(tmp_path):
    src = write_csv(tmp_path / "x.csv", "admissions", 30)
    gz = tmp_path / "extract.csv.gz"
    gz.write_bytes(gzip.compress(src.read_bytes()))
    src.unlink()
    f = only_finding(gz)
    assert (f.kind, f.rows, f.table) == ("data-rows", 30, "hosp.admissions")


@pytest.mark.parametrize("damage", ["cut in half", "bytes after the stream", "corrupt deflate data"])
def test_a_damaged_gzip_still_shows_the_rows_before_the_damage(tmp_path, damage):
    src = write_csv(tmp_path / "x.csv", "admissions", 1000)  # smaller than the guard's read: it meets the damage
    data = gzip.compress(src.read_bytes(), mtime=0)
    src.unlink()
    if damage == "cut in half":
        data = data[: len(data) // 2]
    elif damage == "bytes after the stream":
        data += b"this is not gzip\n" * 4
    else:
        data = data[: len(data) // 2] + bytes(512) + data[len(data) // 2 + 512:]
    gz = tmp_path / "extract.csv.gz"
    gz.write_bytes(data)
    f = only_finding(gz)
    assert (f.kind, f.table) == ("data-rows", "hosp.admissions") and f.rows >= 100


@pytest.mark.parametrize("compressed", [False, True])
def test_utf16_text_is_read_as_text(tmp_path, compressed):
    src = write_csv(tmp_path / "x.csv", "transfers", 40)
    data = src.read_text(encoding="utf-8").encode("utf-16")
    src.unlink()
    path = tmp_path / ("rows.csv.gz" if compressed else "rows.csv")
    path.write_bytes(gzip.compress(data) if compressed else data)
    f = only_finding(path)
    assert (f.rows, f.table) == (40, "hosp.transfers")


def test_tsv_without_extension(tmp_path):
    f = only_finding(write_csv(tmp_path / "dump", "transfers", 12, delimiter="\t"))
    assert (f.rows, f.table) == (12, "hosp.transfers")


def test_headerless_rows_need_two_signals(tmp_path):
    _, rows = mimic_rows("labevents", 25)
    path = tmp_path / "rows.csv"
    path.write_text("".join(",".join(map(str, r)) + "\n" for r in rows), encoding="utf-8")
    f = only_finding(path)
    assert (f.rows, f.table, f.location.line) == (25, None, 1)


def test_rows_below_the_threshold_are_not_flagged(tmp_path):
    path = write_csv(tmp_path / "few.csv", "icustays", 4)
    assert scan(path).findings == []
    (tmp_path / ".mimic-qa-guard.yaml").write_text("min_rows: 3\n", encoding="utf-8")
    assert len(scan(path).findings) == 1


def test_rows_at_the_end_of_a_large_file_are_sampled(tmp_path):
    cols, rows = mimic_rows("icustays", 30)
    filler = "".join(f"{i},0,0,x,x,,,0\n" for i in range(40_000))  # > head + tail bytes of harmless rows
    body = ",".join(cols) + "\n" + filler + "".join(",".join(map(str, r)) + "\n" for r in rows)
    path = tmp_path / "big.csv"
    path.write_text(body, encoding="utf-8")
    f = only_finding(path)
    assert f.rows == 30 and f.location.line is None  # line numbers are unknown in a tail sample


def test_printed_rows_in_a_stream_output(tmp_path):
    _, rows = mimic_rows("emar", 8)
    printed = "".join(" ".join(map(str, r)) + "\n" for r in rows)  # print(row) in a loop, no header
    nb = notebook(tmp_path / "p.ipynb", [{"output_type": "stream", "name": "stdout", "text": printed}])
    f = only_finding(nb)
    assert (f.kind, f.rows, f.location.cell, f.location.output) == ("notebook-output", 8, 1, 0)
    assert "<subject_id>-<seq> ids" in f.reason


@pytest.mark.parametrize("mime", ["text/plain", "text/html"])
def test_each_dataframe_rendering_alone(tmp_path, mime):
    import pandas as pd

    cols, rows = mimic_rows("labevents", 20)
    df = pd.DataFrame(rows, columns=cols)
    text = df.to_string() if mime == "text/plain" else df.to_html()
    out = {"output_type": "display_data", "metadata": {}, "data": {mime: text}}
    f = only_finding(notebook(tmp_path / "r.ipynb", [{"output_type": "stream", "name": "stdout", "text": "ok\n"}, out]))
    assert (f.rows, f.location.output, f.table) == (20, 1, "hosp.labevents")


def test_aggregate_output_in_a_notebook_is_clean(tmp_path):
    import pandas as pd

    df = pd.DataFrame({"anchor_year_group": ["2008 - 2010", "2011 - 2013"], "n_subjects": [41234, 38012]})
    out = {"output_type": "execute_result", "execution_count": 1, "metadata": {},
           "data": {"text/plain": df.to_string(), "text/html": df.to_html()}}
    assert scan(notebook(tmp_path / "agg.ipynb", [out])).findings == []


def test_arrow_ipc_stream(tmp_path):
    import nanoarrow as na
    from nanoarrow.ipc import StreamWriter

    cols, rows = mimic_rows("icustays", 15)
    children = []
    for j in range(len(cols)):
        values = [r[j] for r in rows]
        children.append(na.c_array(values, na.int64() if isinstance(values[0], int) else
                                   na.float64() if isinstance(values[0], float) else na.string()))
    batch = na.c_array_from_buffers(na.struct({c: ch.schema for c, ch in zip(cols, children, strict=True)}), length=len(rows),
                                    buffers=[None], children=children)
    path = tmp_path / "cohort.arrow"
    with StreamWriter.from_path(str(path)) as w:
        w.write_stream(batch)
    f = only_finding(path)
    assert (f.rows, f.table) == (15, "icu.icustays")


def test_excel_sheet(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "notes"
    wb.active.append(["summary"])
    ws = wb.create_sheet("cohort")
    cols, rows = mimic_rows("icustays", 12)
    ws.append(cols)
    for r in rows:
        ws.append(r)
    path = tmp_path / "cohort.xlsx"
    wb.save(path)
    f = only_finding(path)
    assert (f.rows, f.location.sheet, f.location.line, f.table) == (12, "cohort", 2, "icu.icustays")


def test_pickled_dataframe(tmp_path):
    import pandas as pd

    cols, rows = mimic_rows("admissions", 30)
    path = tmp_path / "adm.pkl"
    pd.DataFrame(rows, columns=cols).to_pickle(path)
    f = only_finding(path)
    assert (f.rows, f.table) == (30, "hosp.admissions")


def test_pickled_model_weights_are_clean(tmp_path):
    import numpy as np

    rng = np.random.default_rng(3)
    blob = {"features": ["subject_id", "hadm_id", "valuenum"], "w32": rng.integers(0, 2**31, 500_000, dtype=np.int32),
            "w64": rng.random(500_000)}
    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps(blob, protocol=5))
    assert scan(path).findings == []


class _Boom:
    def __reduce__(self):
        return (Path.touch, (Path(_Boom.target),))


def test_pickles_are_never_unpickled(tmp_path):
    _Boom.target = str(tmp_path / "executed")
    cols, rows = mimic_rows("admissions", 10)
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps({"boom": _Boom(), "cols": cols, "rows": rows}))
    f = only_finding(path)
    assert f.rows == 10
    assert not (tmp_path / "executed").exists()


def test_byte_identical_release_copy(tmp_path):
    data = io.BytesIO()
    cols, rows = mimic_rows("d_labitems", 5)  # a dictionary table: no identifiers, so only the hash can tell
    csv_text = ",".join(cols) + "\n" + "".join(",".join(map(str, r)) + "\n" for r in rows)
    with gzip.GzipFile(fileobj=data, mode="wb", mtime=0) as gz:
        gz.write(csv_text.encode())
    release = tmp_path / "d_labitems.csv.gz"
    release.write_bytes(data.getvalue())
    index = ReleaseIndex()
    index.add(len(csv_text.encode()), ReleaseFile("hosp/d_labitems.csv.gz", "hosp.d_labitems",
                                                  hashlib.sha256(data.getvalue()).hexdigest(), "3.1", "MIMIC-IV v3.1"))
    copy = tmp_path / "repo" / "lookup.gz"
    copy.parent.mkdir()
    shutil.copy(release, copy)
    same_size = tmp_path / "repo" / "other.gz"
    same_size.write_bytes(gzip.compress(csv_text.upper().encode()))  # same uncompressed size, other bytes
    result = scan_files([copy, same_size], tmp_path / "repo", Scanner(default_signals(), index, GuardConfig()))
    assert [(f.path, f.kind, f.table) for f in result.findings] == [("lookup.gz", "release-file", "hosp.d_labitems")]
    assert "hosp/d_labitems.csv.gz" in result.findings[0].reason


def test_release_index_holds_the_spec_checksums_of_v31_and_the_open_demo():
    spec = load_spec()
    index = build_release_index(spec)
    entries = list(index.by_sha256.values())
    clinical = spec.module_tables("hosp") + spec.module_tables("icu")
    assert len(entries) == 2 * len(clinical) + len(spec.module_tables("ed")) == 68  # 3.1, demo-2.2, ed-demo-2.2
    labevents = [e for e in entries if e.table == "hosp.labevents"]
    assert {(e.release, e.sha256, e.open_access) for e in labevents} == {
        ("3.1", spec.release("3.1").files["labevents"]["sha256"], False),
        ("demo-2.2", spec.release("demo-2.2").files["labevents"]["sha256"], True)}
    # v3.1's files are found through their gzip trailer; so are the demo's whose size the spec records
    sized = [e for group in index.by_isize.values() for e in group]
    assert len([e for e in sized if e.release == "3.1"]) == 31 and len(sized) == 61 + 6  # no size for demo chartevents


def test_corrupt_files_are_skipped_as_unreadable(tmp_path):
    (tmp_path / "broken.parquet").write_bytes(b"PAR1" + b"\x00" * 100)
    result = run_guard([tmp_path], cwd=tmp_path)
    assert result.findings == []
    assert [(s.path, s.reason) for s in result.skipped] == [("broken.parquet", "unreadable")]


def test_binary_files_are_not_read_as_text(tmp_path):
    path = tmp_path / "plot.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00" + b"10000032,20000019,2180-01-01\n" * 20)
    assert scan(path).findings == []


@pytest.mark.parametrize("orient, lines", [("records", True), ("records", False), ("columns", False),
                                           ("split", False), ("values", False), ("table", False)])
def test_json_and_ndjson(tmp_path, orient, lines):
    import pandas as pd

    cols, rows = mimic_rows("icustays", 12)
    path = tmp_path / ("cohort.ndjson" if lines else "cohort.json")
    pd.DataFrame(rows, columns=cols).to_json(path, orient=orient, lines=lines, indent=None if lines else 2)
    f = only_finding(path)
    assert f.rows == 12
    if orient != "values":  # bare value rows carry no column names
        assert f.table == "icu.icustays"


def test_json_without_identifiers_is_clean(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{"subject_id": "int", "hadm_id": "int", "version": 20240101, "items": [1, 2, 3]}\n',
                    encoding="utf-8")
    assert scan(path).findings == []


def test_json_table_schema_output_in_a_notebook(tmp_path):
    import json

    import pandas as pd

    cols, rows = mimic_rows("labevents", 10)
    payload = json.loads(pd.DataFrame(rows, columns=cols).to_json(orient="table"))
    out = {"output_type": "display_data", "metadata": {}, "data": {"application/vnd.dataresource+json": payload,
                                                                   "text/plain": "<DataFrame>"}}
    f = only_finding(notebook(tmp_path / "t.ipynb", [out]))
    assert (f.rows, f.table) == (10, "hosp.labevents")


@pytest.mark.parametrize("compression", ["lz4", "uncompressed"])
def test_feather_v2_file(tmp_path, compression):
    import pyarrow.feather as pa_feather
    import pandas as pd

    cols, rows = mimic_rows("icustays", 15)
    path = tmp_path / "cohort.feather"
    pa_feather.write_feather(pd.DataFrame(rows, columns=cols), path, compression=compression)
    f = only_finding(path)
    assert (f.rows, f.table) == (15, "icu.icustays")
