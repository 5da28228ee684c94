"""``scan_phi``: open a source, scan it, write findings, the summary and the PHI-report drafts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from mimic_qa.interrupts import removed_if_interrupted
from mimic_qa.phi.draft import DraftFacts, remove_drafts, write_drafts
from mimic_qa.phi.findings import PRIVATE_FILE, FindingsWriter, private_dir
from mimic_qa.phi.scan import Scanner, ScanOptions
from mimic_qa.phi.targets import open_scan
from mimic_qa.progress import PHASE, TableEvents, ignore
from mimic_qa.results.io import write_atomic
from mimic_qa.spec import load_spec
from mimic_qa.version import __version__
from mimic_qa.sources.release import choose_release

SUMMARY_FILE = "scan-summary.json"


@dataclass
class ScanOutcome:
    """Counts of one scan and where its outputs are."""

    out_dir: Path
    summary: dict
    findings_total: int


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def scan_phi(source: Path, out_dir: Path, *, tables: Sequence[str] = (), columns: Sequence[str] = (),
             key: Sequence[str] = (), options: ScanOptions | None = None, release: str | None = None,
             progress: TableEvents = ignore) -> ScanOutcome:
    """Scan ``source`` for residual PHI; findings at or above ``options.min_score`` go to ``out_dir``, and the
    PHI-report drafts only when there are findings.
    ``progress`` hears the phase (the tables to scan, as soon as they are known) and each table start and finish
    (bytes, rows scanned)."""
    options = options or ScanOptions()
    spec = load_spec()
    started = _now()
    src = open_scan(Path(source), spec, tables=list(tables), columns=list(columns), key=list(key))
    expectation = choose_release(spec, release, src.source)
    sizes = [t.size for t in src.targets]
    progress(PHASE, "scanned", None if None in sizes else sum(s for s in sizes if s is not None), len(sizes))
    out = private_dir(Path(out_dir))
    writer = FindingsWriter(out)
    try:
        with removed_if_interrupted(writer.tmp_path):
            stats = Scanner(src, options).run(writer, progress)
    except BaseException:
        writer.abort()
        raise
    finally:
        src.con.close()
    writer.close()
    summary = {
        "tool_version": __version__, "source": src.kind, "release": expectation.release,
        "started_at": started, "finished_at": _now(), "min_score": options.min_score,
        "tables_scanned": stats.tables_scanned, "columns_scanned": stats.columns_scanned,
        "tables_by_row": stats.tables_by_row,
        "rows_scanned": stats.rows_scanned, "distinct_values": stats.distinct_values,
        "values_analyzed": stats.values_analyzed, "findings_total": writer.total,
        "by_entity_type": dict(sorted(writer.by_entity_type.items())), "by_table": dict(sorted(writer.by_table.items())),
    }
    write_atomic(out / SUMMARY_FILE, (json.dumps(summary, indent=2) + "\n").encode("utf-8"), mode=PRIVATE_FILE)
    rel = spec.release(expectation.release)
    dataset = spec.dataset if src.kind != "file" else f"derived dataset {src.path.name} (from {rel.title})"
    if expectation.synthetic:
        dataset += " (synthetic copy)"
    if not writer.total:  # nothing to report: no draft, and none left from an earlier scan into this folder
        remove_drafts(out)
        return ScanOutcome(out, summary, 0)
    write_drafts(out, DraftFacts(
        dataset=dataset, version=rel.key, doi=rel.doi, source_kind=src.kind,
        files={t.table: t.location for t in src.targets}, generated_at=str(summary["finished_at"]),
        min_score=options.min_score, findings_total=writer.total, by_entity_type=dict(sorted(writer.by_entity_type.items())),
        locations=writer.locations))
    return ScanOutcome(out, summary, writer.total)
