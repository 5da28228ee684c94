"""``mimic_qa.require_validated(source, results)``: analysis code asserts that it reads the copy that passed.

The source's fingerprints are computed again (``mimic_qa.sources.fingerprint``) and compared with those the results
recorded. A DuckDB database that ``validate DIR --keep-db`` built also answers for results of the release folder it
was parsed from: its metadata records each table's fingerprint as built and its file's, so an unchanged database
whose files are the ones validated passes. Messages name tables and check ids only, never a value.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mimic_qa.errors import NotValidated
from mimic_qa.results import RunResult
from mimic_qa.results.gate import blocking
from mimic_qa.sources.base import Meta
from mimic_qa.sources.fingerprint import Fingerprint, supported, table_fingerprints
from mimic_qa.sources.open import open_sources
from mimic_qa.spec import load_spec
from mimic_qa.validation.result import ValidationResult
from mimic_qa.validation.reuse import read_earlier

Results = RunResult | ValidationResult | str | Path


def _run(results: Results) -> RunResult:
    if isinstance(results, ValidationResult):
        return results.run
    if isinstance(results, RunResult):
        return results
    run = read_earlier(Path(results).expanduser())
    if run is None:
        raise NotValidated(f"{results}: no such results file")
    return run


def _as_built(table: str, now: Fingerprint | None, meta: Meta | None, validated: Fingerprint) -> bool:
    """A table of a database mimic-qa built, unchanged since, from the very release file the results validated."""
    if now is None or meta is None or table not in meta.fingerprints or table not in meta.file_fingerprints:
        return False
    return now.same(Fingerprint.of(meta.fingerprints[table])) and \
        validated.same(Fingerprint.of(meta.file_fingerprints[table]))


def require_validated(source: str | Path | Sequence[str | Path], results: Results,
                      tables: Sequence[str] | None = None) -> RunResult:
    """Raise ``mimic_qa.errors.NotValidated`` unless ``results`` passed their gate and ``source`` holds the content
    they validated: every table they fingerprinted (or those of ``tables``, the ones the analysis reads) unchanged.

    ``results``: a results file (``validate --json``), a ``RunResult`` or what ``mimic_qa.validate`` returned.
    ``source``: as ``validate`` takes it. Returns the results' run record."""
    run = _run(results)
    if run.summary.ok is not True:
        failed = blocking(run.checks, run.summary.fail_on)
        ids = ", ".join(c.id for c in failed[:10]) + (f" and {len(failed) - 10} more" if len(failed) > 10 else "")
        raise NotValidated(f"the results ({run.started_at}) did not pass the gate (--fail-on {run.summary.fail_on}): "
                           f"{len(failed)} check(s) failed or could not run" + (f": {ids}" if ids else ""))
    wanted = list(tables) if tables is not None else list(run.fingerprints)
    if not run.fingerprints:
        raise NotValidated("the results record no fingerprints (an older mimic-qa, or an engine that records none): "
                           "validate the copy again")
    if missing := [t for t in wanted if t not in run.fingerprints]:
        raise NotValidated(f"not validated by these results: {', '.join(missing)}", missing)
    spec = load_spec()
    arguments = [str(source)] if isinstance(source, (str, Path)) else [str(s) for s in source]
    with open_sources(arguments, spec, command="require_validated") as opened:
        if not supported(opened):
            raise NotValidated(f"{opened.location}: fingerprints are not computed on {opened.engine}")
        now = table_fingerprints(opened, wanted)
        meta = opened.meta()
        shown = opened.location
    changed = []
    for t in wanted:
        validated = Fingerprint(run.fingerprints[t].method, run.fingerprints[t].value)
        if not validated.same(now.get(t)) and not _as_built(t, now.get(t), meta, validated):
            changed.append(t)
    if changed:
        raise NotValidated(f"{shown}: {len(changed)} table(s) differ from the copy validated at {run.started_at}: "
                           f"{', '.join(changed)}", changed)
    return run
