"""``generate()``: one synthetic MIMIC-IV release, written atomically into a new or empty folder."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import duckdb

from mimic_qa.version import __version__
from mimic_qa.errors import UsageError
from mimic_qa.progress import TableEvents, ignore
from mimic_qa.sources.database import scalar
from mimic_qa.sources.layout import SYNTH_MARKER
from mimic_qa.spec import load_spec
from mimic_qa.synth import calibration, phi
from mimic_qa.synth import faults as fl
from mimic_qa.synth.counts import base_of, default_scale, target_counts
from mimic_qa.synth.engine import Builder
from mimic_qa.synth.plans import ORDER
from mimic_qa.synth.ed import EdBuilder
from mimic_qa.synth.notes import NoteBuilder
from mimic_qa.synth.release import write_license, write_module_license, write_release_file, write_sha256sums
from mimic_qa.synth.sqlfn import install_macros
from mimic_qa.synth.writer import CsvGzWriter

THREADS = 2
MEMORY_LIMIT = "3GB"


@dataclass
class SynthResult:
    out_dir: Path
    row_counts: dict[str, int]  # rows actually in each file
    expected_row_counts: dict[str, int]  # rows of the clean copy (what validate expects)
    injected: list[dict] = field(default_factory=list)
    release: str = ""
    scale: float = 0.01
    seed: int = 0


def _check_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise UsageError(f"{out_dir}: exists and is not an empty directory")
    if not out_dir.parent.exists():
        raise UsageError(f"{out_dir.parent}: no such directory")


def generate(out_dir: Path, *, scale: float | None = None, seed: int = 0, release: str | None = None,
             inject: list[str] | tuple[str, ...] = (), tables: TableEvents = ignore) -> SynthResult:
    """Write a synthetic release imitating ``release`` (default: the clinical database's default release) at
    ``scale`` (default 0.01 of a full release, 1.0 = a demo's own size) into ``out_dir`` (new or empty), with the
    faults named in ``inject``. ``tables`` hears each table's file start and finish (its compressed bytes and
    rows)."""
    out_dir = Path(out_dir)
    spec = load_spec()
    release = release or next(iter(spec.projects.values())).default_release
    scale = default_scale(spec, release) if scale is None else float(scale)
    counts = target_counts(spec, release, scale)
    requests = fl.parse(list(inject), spec)
    _check_out_dir(out_dir)
    content = [r for r in requests if r.fault.stage in ("content", "phi")]
    tmp = out_dir.parent / f".{out_dir.name}.synth-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        if base_of(spec, release) == release:
            result = _generate(tmp, spec, counts, release, scale, seed, requests, bool(content), tables)
        else:
            result = _generate_module(tmp, spec, counts, release, scale, seed, requests, tables)
        if out_dir.exists():
            out_dir.rmdir()
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    result.out_dir = out_dir
    return result


def _written(tables: TableEvents, name: str, path: Path, rows: int) -> None:
    tables("done", name, path.stat().st_size, rows)


def _generate(root: Path, spec, counts: dict[str, int], release: str, scale: float, seed: int,
              requests: list[fl.Request], materialize_all: bool, tables: TableEvents) -> SynthResult:
    work = root / ".work"
    work.mkdir()
    con = duckdb.connect(config={"threads": THREADS, "memory_limit": MEMORY_LIMIT,
                                 "temp_directory": str(work / "spill"), "preserve_insertion_order": True})
    try:
        install_macros(con, seed)
        calibration.install_macros(con)
        builder = Builder(con, spec, counts, set(spec.tables) if materialize_all else set(), release)
        builder.build_all()
        injected: list[dict] = []
        _apply_content(con, spec, requests, seed, root, set(ORDER), injected)
        row_counts = {}
        with CsvGzWriter(work) as writer:
            for name in ORDER:
                t = spec.tables[name]
                n = scalar(con, f'SELECT count(*) FROM "{name}"') \
                    if name in builder.materialized else counts[name]
                top = scalar(con, f'SELECT coalesce(max(_i) + 1, 0) FROM "{name}"') \
                    if name in builder.materialized else n
                path = root / t.file
                tables("start", name, None, None)
                writer.write(con, partial(builder.source, name), top, path, partial(_written, tables, name, path, n))
                row_counts[name] = n
    finally:
        con.close()
        shutil.rmtree(work, ignore_errors=True)
    rel = spec.release(release)
    demo = spec.demo_of(rel.project)
    assert demo is not None, "synth calibrates on the project's demo"
    write_license(root, title=rel.title, release=release, scale=scale, seed=seed, demo_title=demo.title,
                  attribution=[demo.citation or demo.doi, spec.citations["physionet"].text])
    return _finish(root, spec, counts, row_counts, injected, requests, release, scale, seed)


def _finish(root: Path, spec, counts: dict[str, int], row_counts: dict[str, int], injected: list[dict],
            requests: list[fl.Request], release: str, scale: float, seed: int) -> SynthResult:
    """The byte and file faults, the release file and SHA256SUMS.txt, once the tables and LICENSE.txt are written."""
    for req in requests:
        if req.fault.stage == "bytes":
            injected.append(fl.inject_non_utf8(root / fl.resolve_table(spec, req.target).file,
                                               fl.resolve_table(spec, req.target)))
    file_reqs = [r for r in requests if r.fault.stage == "file"]
    for req in file_reqs:
        t = fl.resolve_table(spec, req.target)
        injected.append(fl.file_fault(root, req, t))
        if req.fault.name in ("missing-file", "empty-file"):
            row_counts[t.name] = 0
    write_release_file(root, SYNTH_MARKER, {
        "generator": "mimic-qa synth",
        "tool_version": __version__,
        "synthetic": True,
        "release": release,
        "scale": scale,
        "seed": seed,
        "expectation_field": "expected_row_counts",
        "note": "expected_row_counts are the clean copy's rows: validate compares files against them. "
                "row_counts are the rows actually written (they differ only where a fault added or removed rows "
                "or files). Each injected fault lists the check ids a correct validator must fail.",
        "expected_row_counts": dict(counts),
        "row_counts": row_counts,
        "injected": injected,
    })
    write_sha256sums(root)
    for req in file_reqs:
        fl.apply_file_fault(root, req, fl.resolve_table(spec, req.target))
    return SynthResult(root, row_counts, dict(counts), injected, release, scale, seed)


def _connect(work: Path, seed: int) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config={"threads": THREADS, "memory_limit": MEMORY_LIMIT,
                                 "temp_directory": str(work / "spill"), "preserve_insertion_order": True})
    install_macros(con, seed)
    calibration.install_macros(con)
    return con


def _generate_module(root: Path, spec, counts: dict[str, int], release: str, scale: float, seed: int,
                     requests: list[fl.Request], tables: TableEvents) -> SynthResult:
    """A copy of the ED or Note module: the clinical copy of the same seed and scale is built in memory (never
    written), so the module's identifiers are that copy's patients, admissions and ED visits."""
    base = base_of(spec, release)
    work = root / ".work"
    work.mkdir()
    con = _connect(work, seed)
    injected: list[dict] = []
    row_counts: dict[str, int] = {}
    try:
        builder = Builder(con, spec, target_counts(spec, base, scale), set(), base)
        for name in ORDER[:ORDER.index("icustays") + 1]:
            builder.build(name)
        module = spec.projects[spec.release(release).project].modules[0]
        if module == "ed":
            EdBuilder(con, spec, counts, release).build_all()
            _apply_content(con, spec, requests, seed, root, set(counts), injected)
            _write_tables(con, spec, counts, work, root, tables, row_counts,
                          {t: f'SELECT * FROM "{t}" WHERE _i >= {{lo}} AND _i < {{hi}}' for t in counts})
        else:
            notes = NoteBuilder(con, spec, counts, seed)
            notes.place()
            planted = []
            for req in requests:
                if req.fault.stage == "phi":
                    planted += notes.plant(phi.parse_entities(req.target), seed, phi.ROWS_PER_ENTITY)
                elif req.fault.stage == "content":
                    raise UsageError(f"{req.fault.name}: content faults are not available for the note module")
            truth = []
            for name in ("discharge", "radiology"):
                path = root / spec.tables[name].file
                tables("start", name, None, None)
                _, found = notes.write_text(name, path, planted)
                truth += found
                row_counts[name] = counts[name]
                tables("done", name, path.stat().st_size, counts[name])
            queries = {t: f"SELECT * FROM ({q}) WHERE _i >= {{lo}} AND _i < {{hi}}" for t, q in notes.detail_queries().items()}
            _write_tables(con, spec, {t: counts[t] for t in queries}, work, root, tables, row_counts, queries)
            if planted:
                injected += phi.write_ground_truth(root, truth)
    finally:
        con.close()
        shutil.rmtree(work, ignore_errors=True)
    write_module_license(root, spec, release, scale, seed)
    return _finish(root, spec, counts, row_counts, injected, requests, release, scale, seed)


def _apply_content(con: duckdb.DuckDBPyConnection, spec, requests: list[fl.Request], seed: int, root: Path,
                   module_tables: set[str], injected: list[dict]) -> None:
    applier = fl.ContentFaults(con, spec)
    for req in requests:
        if req.fault.stage == "content":
            injected.append(applier.apply(req))
    for req in requests:
        if req.fault.stage == "phi":
            injected.extend(phi.inject(con, spec, phi.parse_entities(req.target), seed, root, module_tables))


def _write_tables(con: duckdb.DuckDBPyConnection, spec, counts: dict[str, int], work: Path, root: Path,
                  tables: TableEvents, row_counts: dict[str, int], queries: dict[str, str]) -> None:
    """Each table of ``queries`` (a SELECT over rows {lo}..{hi} ending with ``_i``) written as its .csv.gz."""
    with CsvGzWriter(work) as writer:
        for name, query in queries.items():
            t = spec.tables[name]
            everything = query.format(lo=0, hi=2 ** 62)
            n = scalar(con, f"SELECT count(*) FROM ({everything})")
            top = scalar(con, f"SELECT coalesce(max(_i) + 1, 0) FROM ({everything})")
            path = root / t.file
            tables("start", name, None, None)
            writer.write(con, partial(_between, query), top, path,
                         partial(_written, tables, name, path, n))
            row_counts[name] = n


def _between(query: str, lo: int, hi: int) -> str:
    return query.format(lo=lo, hi=hi)
