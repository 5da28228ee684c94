"""Benchmark ``mimic-qa guard`` on a repository of 10,000 source files and about 1 GB of data files.

Builds, in a temporary git repository: N source files (.py / .sql / .md / .R, naming MIMIC
columns, committed) and data files left untracked (as a user about to commit them would have):
CSV extracts with MIMIC-shaped rows, clean CSV exports of the same size, gzip CSV, Parquet,
notebooks with and without saved outputs, and random binary blobs. Then times
``mimic-qa guard --format json`` as a user runs it (a fresh process, imports included).

    python bench/guard.py [--sources 10000] [--data-mb 1024] [--out bench/results/guard-<date>.txt]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.guard.mimic_like import GIT_ENV, dataframe_output, init_repo, mimic_rows, notebook, write_parquet

SOURCE_TEMPLATES = {
    ".py": 'import duckdb\n\nCOLS = ["subject_id", "hadm_id", "itemid", "charttime"]\n\n\ndef f{i}(con):\n'
           '    return con.sql("SELECT " + ", ".join(COLS) + " FROM mimiciv_hosp.labevents WHERE itemid = {i}")\n',
    ".sql": "SELECT subject_id, hadm_id, stay_id, intime\nFROM mimiciv_icu.icustays\nWHERE los > {i} / 1000.0;\n",
    ".md": "# Note {i}\n\nJoin `labevents` to `admissions` on hadm_id; subject_id identifies the patient.\n",
    ".R": "library(DBI)\nx{i} <- dbGetQuery(con, 'SELECT subject_id, count(*) FROM mimiciv_hosp.labevents GROUP BY 1')\n",
}


def csv_block(table: str, n: int) -> tuple[bytes, bytes]:
    """Rows (repeatable block) and header line of a MIMIC-shaped CSV."""
    cols, rows = mimic_rows(table, n)
    return ("\n".join(",".join(map(str, r)) for r in rows) + "\n").encode(), (",".join(cols) + "\n").encode()


def write_repeated(path: Path, header: bytes, block: bytes, target: int) -> int:
    with path.open("wb") as fh:
        fh.write(header)
        written = len(header)
        while written < target:
            fh.write(block)
            written += len(block)
    return written


def build(repo: Path, n_sources: int, data_bytes: int) -> dict[str, int]:
    init_repo(repo)
    exts = list(SOURCE_TEMPLATES)
    for i in range(n_sources):
        ext = exts[i % len(exts)]
        folder = repo / "src" / f"pkg{i // 500:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"mod{i:05d}{ext}").write_text(SOURCE_TEMPLATES[ext].format(i=i) * 20, encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env={**os.environ, **GIT_ENV})
    subprocess.run(["git", "commit", "-q", "-m", "sources"], cwd=repo, check=True, env={**os.environ, **GIT_ENV})

    data = repo / "data"
    data.mkdir()
    leak_body, leak_head = csv_block("labevents", 20_000)
    clean_head = b"icd_chapter,n_patients,n_admissions,mean_los\n"
    clean_body = b"".join(f"C{i % 22},{1000 + i},{2000 + i},{i % 9}.5\n".encode() for i in range(20_000))
    share = data_bytes // 8
    sizes = {"leak_csv": 0, "clean_csv": 0, "gzip": 0, "parquet": 0, "notebooks": 0, "binary": 0}
    for k in range(3):
        sizes["leak_csv"] += write_repeated(data / f"extract{k}.csv", leak_head, leak_body, share)
        sizes["clean_csv"] += write_repeated(data / f"summary{k}.csv", clean_head, clean_body, share)
    gz = data / "extract.csv.gz"
    with gzip.open(gz, "wb", compresslevel=1) as fh:
        fh.write(leak_head)
        for _ in range(20):
            fh.write(leak_body)
    sizes["gzip"] = gz.stat().st_size
    for k in range(2):
        sizes["parquet"] += write_parquet(data / f"cohort{k}.parquet", "icustays", 200_000).stat().st_size
    for k in range(20):
        outputs = [dataframe_output("labevents", 20)] if k % 2 == 0 else []
        sizes["notebooks"] += notebook(data / f"nb{k:02d}.ipynb", outputs).stat().st_size
    remaining = data_bytes - sum(sizes.values())
    for k in range(2):
        blob = data / f"weights{k}.bin"
        with blob.open("wb") as fh:
            for _ in range(max(remaining // 2, 0) // (8 << 20)):
                fh.write(os.urandom(8 << 20))
        sizes["binary"] += blob.stat().st_size
    return sizes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sources", type=int, default=10_000)
    ap.add_argument("--data-mb", type=int, default=1024)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / f"guard-{date.today()}.txt")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="guard-bench-") as tmp:
        repo = Path(tmp) / "repo"
        t0 = time.perf_counter()
        sizes = build(repo, args.sources, args.data_mb << 20)
        build_s = time.perf_counter() - t0
        subprocess.run(["sync"], check=False)
        t1 = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "mimic_qa", "guard", "--format", "json"], cwd=repo,
                              capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t1
        if done.returncode not in (0, 1):
            raise SystemExit(done.stderr.strip())
        report = json.loads(done.stdout)
    n_files = report["scanned"] + len(report["skipped"])
    flagged = sorted({f["path"].split("/")[-1] for f in report["findings"]})
    total_mb = sum(sizes.values()) / (1 << 20)
    lines = [
        (f"mimic-qa guard benchmark, {date.today()} ({platform.node()}, {os.cpu_count()} cores, "
         f"Python {platform.python_version()})"),
        (f"repository: {args.sources} committed source files + {total_mb:,.0f} MiB of untracked data files "
         f"({', '.join(f'{k} {v / (1 << 20):,.0f} MiB' for k, v in sizes.items())}); built in {build_s:.0f} s"),
        f"command: mimic-qa guard --format json (fresh process, imports included), exit {done.returncode}",
        f"wall time: {wall:.1f} s   (scan loop alone: {report['seconds']:.1f} s)",
        f"files: {n_files:,} ({n_files / wall:,.0f} files/s end to end; {total_mb / wall:,.0f} MiB/s of data)",
        f"findings: {len(report['findings'])} in {', '.join(flagged)}",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = args.out.with_suffix(".tmp")
    tmp_out.write_text(text, encoding="utf-8")
    tmp_out.replace(args.out)


if __name__ == "__main__":
    main()
