"""Mutation run: break the code on purpose, one mutant at a time, and see which fast CI tests notice.

Each mutant below is data: a file, an exact snippet of it (found exactly once), its replacement and what the
break means. The run copies this checkout (tracked and untracked files, nothing ignored) to a scratch folder,
checks the chosen tests pass there unbroken, then for each mutant: applies it, regenerates the GX suites when the
checks changed (so "the checked-in suites equal the generated ones" cannot be what notices, and the default path
runs the broken query, as a developer who regenerated the files would have it), runs the mutant's tests with
``pytest -x`` under a timeout, records killed or survived and the first failing test, and restores the copy.
The checkout itself is never written, except the table (``--out``).

    python bench/mutate.py                          # every mutant; table to stdout and bench/results/mutation.md
    python bench/mutate.py --only fk-inner-join     # some of them (repeatable; the table to stdout only)
    python bench/mutate.py --list                   # the mutants and the tests each runs

The tests run with ``CI=true`` (a prerequisite that is missing fails instead of skipping), the demos from
``$MIMIC_QA_DEMO_DIR`` / ``$MIMIC_QA_ED_DEMO_DIR`` or ``../shared/data`` beside the checkout, and the interpreter
this script runs under, with ``PYTHONPATH`` pointing at the scratch copy (checked before anything runs).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"

# --- the tests the mutants run (fast ones that run in CI; one pytest process per mutant, -x) --------------------
FAULTS = "tests/realdata/test_kind_faults.py::test_each_fault_fails_its_check_by_the_rows_counted_in_the_files"
FAULTS_ALL = f"{FAULTS}[all]"  # the default path: pandera and GX, suites generated in the run
FAULTS_SQL = f"{FAULTS}[sql]"  # --checks sql: the compiled SQL of Parquet, Spark and BigQuery
KEYS = "tests/realdata/test_key_nulls.py"
BOUNDS = "tests/realdata/test_domain_bounds.py"
IDENTITY = "tests/validate/test_identity.py"
GATE = "tests/validate/test_gate.py"
QUIRKS = "tests/realdata/test_quirk_tolerance.py"
ATOMIC = ("tests/reports/test_render.py", "tests/hardening/test_atomic_writes.py")
PHI_EVALUATE = "tests/phi/test_evaluate.py"
PHI_SYNTH = "tests/phi/test_synthetic.py"
PHI_GENERATED = "tests/phi/test_generated.py"
PHI_PLANTED = "tests/phi/test_real_demo.py::test_planted_dev_split_meets_the_targets"


@dataclass(frozen=True)
class Mutant:
    name: str
    file: str
    original: str
    replacement: str
    description: str
    tests: tuple[str, ...]


def m(name: str, file: str, original: str, replacement: str, description: str, *tests: str) -> Mutant:
    return Mutant(name, file, original, replacement, description, tests)


K = "mimic_qa/checks/kinds/"
MUTANTS: tuple[Mutant, ...] = (
    # --- the ones issue 24 names -------------------------------------------------------------------------------
    m("identity-reports-nothing", K + "identity.py", ".where(differs))", ".where(exp.false()))",
      "the identity kind reports nothing", FAULTS, IDENTITY),
    m("fk-inner-join", K + "fk.py", 'join_type="left"', 'join_type="inner"',
      "the foreign-key query an inner join (finds no orphan)", FAULTS),
    m("identity-zero-on-sql", "mimic_qa/checks/sql.py",
      'return counted(check, int(fetch(count_query(check, spec))[0]), rows, "sql")',
      'return counted(check, 0 if check.kind == "identity" else int(fetch(count_query(check, spec))[0]), rows, "sql")',
      "identity counted as 0 on the compiled-SQL path", FAULTS_SQL, IDENTITY),
    m("not-null-sql-false", K + "not_null.py", "return col(check.columns[0]).is_(exp.null())",
      "return exp.false()", "not-null's SQL predicate always false", FAULTS_SQL),
    m("atomic-in-place", "mimic_qa/results/io.py",
      '    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)\n',
      '    path.write_bytes(data)\n    os.chmod(path, mode)\n    return\n'
      '    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)\n',
      "atomic writes replaced by writing in place", *ATOMIC),
    m("junit-ignores-warnings", "mimic_qa/results/io.py", "    fail_on = run.summary.fail_on\n",
      '    fail_on = "error" if run.summary.fail_on == "warning" else run.summary.fail_on\n',
      "JUnit's gate ignoring warnings (--fail-on warning judged as error)", GATE),
    m("quirk-unlimited", "mimic_qa/validation/quirks.py", "if r.failing_rows <= tolerance:",
      'if r.failing_rows <= float("inf"):', "a quirk's tolerance made unlimited", QUIRKS),
    m("phi-drop-ssn-findings", "mimic_qa/phi/findings.py",
      "        record: dict[str, Any] = {",
      '        if hit.entity_type == "US_SSN":\n            return\n        record: dict[str, Any] = {',
      "scan-phi drops every SSN finding it writes", PHI_SYNTH, PHI_PLANTED),
    m("phi-no-ssn-recognizers", "mimic_qa/phi/recognizers/__init__.py",
      "        Gated(SsnShapeRecognizer(), SSN_GATE, 10, 10),\n", "",
      "the SSN-shape recognizer left out (Presidio's labelled SSN recognizer stays)", PHI_GENERATED, PHI_PLANTED),
    m("phi-evaluate-recall-zero", "mimic_qa/phi/evaluate.py", '"recall": _ratio(c["recalled"], c["truth"])',
      '"recall": _ratio(0, c["truth"])', "evaluate() reports every type's recall as 0.0", PHI_EVALUATE, PHI_SYNTH),
    m("phi-evaluate-touching-overlaps", "mimic_qa/phi/evaluate.py",
      'return a["start"] < b["end"] and b["start"] < a["end"]',
      'return a["start"] <= b["end"] and b["start"] <= a["end"]',
      "evaluate() counts spans that only touch as found", PHI_EVALUATE),
    # --- one break of each check kind ---------------------------------------------------------------------------
    m("files.unexpected", K + "files_unexpected.py", "extra = facts.unexpected", "extra = facts.unexpected[1:]",
      "the first unexpected file is not reported", FAULTS_SQL),
    m("sha256sums.listed", K + "sha256sums_listed.py", "len(facts.absent) + len(facts.mismatched)",
      "len(facts.absent)", "changed listed files not counted", FAULTS_SQL),
    m("file.present", K + "file_present.py", "return Outcome.of(found is None,", "return Outcome.of(False,",
      "a missing file passes", FAULTS_SQL),
    m("file.readable", K + "file_readable.py", "bad = file.bad_unicode_lines + file.malformed_lines",
      "bad = file.malformed_lines", "lines that are not UTF-8 not counted", FAULTS_SQL),
    m("file.sha256", K + "file_sha256.py", "return Outcome.of(not file.sha256_matches,", "return Outcome.of(False,",
      "a file that does not match its checksum passes", FAULTS_SQL),
    m("columns", K + "columns.py", "return Outcome.of(bool(found.differences), found.differences,",
      "return Outcome.of(bool(found.missing), len(found.missing),", "only missing columns counted", FAULTS_SQL),
    m("header_case", K + "header_case.py", "return Outcome.of(bool(found.other_case),", "return Outcome.of(False,",
      "a header in other letter case passes", FAULTS_SQL),
    m("type", K + "column_type.py", "rejected = facts.rejects.get(column.name)", "rejected = None",
      "values that do not parse not reported", FAULTS_SQL),
    m("not_null-pandera", K + "not_null.py", "return PanderaPart(check.columns[0], nullable=False)",
      "return PanderaPart(check.columns[0], nullable=True)", "not-null's pandera form allows NULL", FAULTS_ALL),
    m("empty_string", K + "empty_string.py", 'expression=exp.Literal.string("")', 'expression=exp.Literal.string(" ")',
      "zero-length strings compared with a space", FAULTS_SQL),
    m("max_length", K + "max_length.py", 'expression=exp.Literal.number(int(check.params["max_length"]))',
      'expression=exp.Literal.number(2 * int(check.params["max_length"]))', "the length limit doubled", FAULTS_SQL),
    m("domain-sql", K + "domain.py", 'return exp.Not(this=value.isin(*(literal(v) for v in p["values"])))',
      'return exp.and_(exp.Not(this=value.isin(*(literal(v) for v in p["values"]))), exp.false())',
      "a value-set domain's SQL reports nothing", FAULTS_SQL),
    m("domain-pandera", K + "domain.py",
      "return PanderaPart(column.name, check=PanderaCheck(test, args, check.id, check.description.rstrip(\".\")))",
      "return PanderaPart(column.name)", "the domain's pandera check left out", FAULTS_ALL),
    m("domain-min-off-by-one", K + "domain.py", 'exp.LT(this=value, expression=literal(p["min"]))',
      'exp.LT(this=value, expression=literal(p["min"] - 1))', "a range domain's SQL lets one below its minimum pass",
      FAULTS_SQL, BOUNDS),
    m("domain-range-pandera", K + "domain.py", 'test, args = "in_range", (bound(p["min"]), bound(p["max"]))',
      'test, args = "le", (bound(p["max"]),)', "a range domain's pandera form checks only its maximum",
      FAULTS_ALL, BOUNDS),
    m("rule-sql", K + "rule.py", 'return exp.Not(this=exp.Paren(this=parse(check.params["expr"])))',
      'return exp.and_(exp.Not(this=exp.Paren(this=parse(check.params["expr"]))), exp.false())',
      "a rule's SQL reports nothing", FAULTS_SQL),
    m("rule-pandera", K + "rule.py", 'PanderaCheck("rule", (check.params["expr"],),', 'PanderaCheck("rule", ("TRUE",),',
      "a rule's pandera form always true", FAULTS_ALL),
    m("pk-twice-is-fine", K + "pk.py", "many = exp.GT(this=exp.Count(this=exp.Star()), expression=exp.Literal.number(1))",
      "many = exp.GT(this=exp.Count(this=exp.Star()), expression=exp.Literal.number(2))",
      "a key held by two rows is not a duplicate (pk and unique)", FAULTS),
    m("pk-null-parts", K + "pk.py", "return duplicates(spec.tables[check.table or \"\"], check.columns, with_nulls=True)",
      "return duplicates(spec.tables[check.table or \"\"], check.columns, with_nulls=False)",
      "a primary key with a NULL part passes", FAULTS, KEYS),
    m("unique", K + "unique.py", "return duplicates(spec.tables[check.table or \"\"], check.columns, with_nulls=False)",
      "return duplicates(spec.tables[check.table or \"\"], check.columns, with_nulls=False).where(exp.false())",
      "the candidate key's query reports nothing", FAULTS),
    m("identity-null-subject", K + "identity.py", "exp.NullSafeNEQ(", "exp.NEQ(",
      "identity: a NULL on one side no longer counts as another stay's", FAULTS, KEYS),
    m("window", K + "window.py", '))] if p["start"] else [])', '))] if p["start"] and False else [])',
      "the window's start bound dropped", FAULTS),
    m("row_count", K + "row_count.py", "facts.rows != facts.expected_rows", "facts.rows < facts.expected_rows",
      "extra rows pass the row count", FAULTS_SQL),
)


# --- running ------------------------------------------------------------------------------------------------------
@dataclass
class Outcome:
    mutant: Mutant
    verdict: str  # killed, survived, timeout
    killer: str
    seconds: float


def scratch_copy(dest: Path) -> None:
    """Tracked and untracked files of this checkout (not the ignored ones: no venv, no caches)."""
    listed = subprocess.run(["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                            capture_output=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)


def environment(copy: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "MIMIC_QA_WRITE"))}
    env.update(PYTHONPATH=str(copy), PYTHONDONTWRITEBYTECODE="1", CI="true",
               MIMIC_QA_DEMO_DIR=os.environ.get("MIMIC_QA_DEMO_DIR") or str(SHARED / "mimic-iv-demo-2.2"),
               MIMIC_QA_ED_DEMO_DIR=os.environ.get("MIMIC_QA_ED_DEMO_DIR") or str(SHARED / "mimic-iv-ed-demo-2.2"))
    return env


def run(cmd: list[str], copy: Path, env: dict[str, str], timeout: float) -> tuple[int | None, str]:
    """(return code, or None on timeout; output). The whole process group goes on timeout."""
    proc = subprocess.Popen(cmd, cwd=copy, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        return None, out


FIRST_FAILURE = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.MULTILINE)


def pytest(tests: tuple[str, ...], copy: Path, env: dict[str, str], timeout: float) -> tuple[str, str, float]:
    """(verdict, first failing test id, seconds) of ``pytest -x`` on ``tests`` in the copy."""
    base = copy.parent / "pytest-tmp"
    shutil.rmtree(base, ignore_errors=True)
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--tb=no", "-rfE",
           f"--basetemp={base}", *tests]
    start = time.monotonic()
    code, out = run(cmd, copy, env, timeout)
    seconds = time.monotonic() - start
    if code is None:
        return "timeout", f"(no verdict in {timeout:.0f} s)", seconds
    if code == 0:
        return "survived", "", seconds
    found = FIRST_FAILURE.search(out)
    return "killed", found.group(1) if found else f"(pytest exit {code}) " + out.strip().splitlines()[-1], seconds


def covered(test: str, passed: list[str]) -> bool:
    """Did a test id (or a file) in ``passed`` include ``test``?"""
    return any(test == p or test.startswith((p + "[", p + "::")) for p in passed)


def regenerate_suites(copy: Path, env: dict[str, str]) -> None:
    code, out = run([sys.executable, "-m", "mimic_qa", "expectations", "build"], copy, env, 300)
    if code != 0:
        raise SystemExit(f"expectations build failed in the copy:\n{out[-2000:]}")


def apply(copy: Path, mutant: Mutant) -> str:
    """Apply ``mutant`` to the copy; returns the file's original text."""
    path = copy / mutant.file
    text = path.read_text(encoding="utf-8")
    if text.count(mutant.original) != 1:
        raise SystemExit(f"{mutant.name}: the snippet occurs {text.count(mutant.original)} times in {mutant.file}")
    path.write_text(text.replace(mutant.original, mutant.replacement), encoding="utf-8")
    return text


def mutation_run(mutants: list[Mutant], timeout: float, log) -> tuple[list[Outcome], dict[tuple[str, ...], float]]:
    work = Path(tempfile.mkdtemp(prefix="mimic-qa-mutate-"))
    copy = work / "repo"
    try:
        scratch_copy(copy)
        env = environment(copy)
        where = subprocess.run([sys.executable, "-c", "import mimic_qa; print(mimic_qa.__file__)"], cwd=copy, env=env,
                               capture_output=True, text=True, check=True).stdout.strip()
        if not Path(where).resolve().is_relative_to(copy.resolve()):
            raise SystemExit(f"mimic_qa imports from {where}, not from the scratch copy {copy}")
        log(f"scratch copy {copy} (mimic_qa from {where})")
        suites = copy / "expectations"
        pristine_suites = work / "expectations"
        shutil.copytree(suites, pristine_suites)
        baseline: dict[tuple[str, ...], float] = {}
        passed: list[str] = []
        for tests in dict.fromkeys(mu.tests for mu in mutants):
            fresh = tuple(t for t in tests if not covered(t, passed))  # not one parameter of a test passed already
            if not fresh:
                continue
            verdict, failed, seconds = pytest(fresh, copy, env, timeout)
            log(f"baseline {' '.join(fresh)}: {'pass' if verdict == 'survived' else verdict} ({seconds:.0f} s)")
            if verdict != "survived":
                raise SystemExit(f"the unbroken copy fails {failed}: fix that before a mutation run")
            baseline[tests] = seconds
            passed += fresh
        outcomes = []
        for mutant in mutants:
            original = apply(copy, mutant)
            try:
                if mutant.file.startswith("mimic_qa/checks/"):
                    regenerate_suites(copy, env)
                verdict, killer, seconds = pytest(mutant.tests, copy, env, timeout)
            finally:
                (copy / mutant.file).write_text(original, encoding="utf-8")
                if mutant.file.startswith("mimic_qa/checks/"):
                    shutil.rmtree(suites)
                    shutil.copytree(pristine_suites, suites)
            outcomes.append(Outcome(mutant, verdict, killer, seconds))
            log(f"{mutant.name}: {verdict} {killer} ({seconds:.0f} s)")
        return outcomes, baseline
    finally:
        shutil.rmtree(work, ignore_errors=True)


def checkout_state() -> str:
    """This checkout's commit, and whether the copy holds changes not committed."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + (" (with uncommitted changes)" if git("status", "--porcelain") else "")


def table(outcomes: list[Outcome], baseline: dict[tuple[str, ...], float], started: str, commit: str,
          load: tuple[str, str], wall: float) -> str:
    survived = [o for o in outcomes if o.verdict != "killed"]
    lines = [
        "# Mutation run (bench/mutate.py)",
        "",
        (f"Started {started} on commit {commit}, Python {platform.python_version()}, {os.cpu_count()} cores shared "
         f"with other jobs; load average {load[0]} before, {load[1]} after; {wall / 60:.1f} min in all (baseline "
         "runs included)."),
        "",
        f"**{len(outcomes) - len(survived)} of {len(outcomes)} mutants killed**"
        + (f"; not killed: {', '.join(o.mutant.name for o in survived)}." if survived else "."),
        ("Each mutant was applied alone to a scratch copy (the GX suites regenerated when it touched "
         "`mimic_qa/checks/`), its tests run with `pytest -x` under `CI=true`, then the copy restored."),
        "",
        "| mutant | break | killed? | killing test (first failure) | seconds |",
        "|---|---|---|---|---:|",
    ]
    for o in outcomes:
        lines.append(f"| `{o.mutant.name}` | {o.mutant.description} (`{o.mutant.file}`) | "
                     f"{'yes' if o.verdict == 'killed' else o.verdict.upper()} | "
                     f"{'`' + o.killer + '`' if o.killer else '-'} | {o.seconds:.0f} |")
    lines += ["", "Tests each mutant ran (the unbroken copy passes each set first):", "",
              "| tests | mutants | baseline seconds (the tests not run above) |", "|---|---|---:|"]
    for tests in dict.fromkeys(o.mutant.tests for o in outcomes):
        names = ", ".join(f"`{o.mutant.name}`" for o in outcomes if o.mutant.tests == tests)
        seconds = f"{baseline[tests]:.0f}" if tests in baseline else "(run above)"
        lines.append(f"| {'<br>'.join(f'`{t}`' for t in tests)} | {names} | {seconds} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", metavar="NAME", help="run this mutant (repeatable)")
    ap.add_argument("--list", action="store_true", help="list the mutants and their tests, run nothing")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per pytest run (default 600)")
    ap.add_argument("--out", type=Path, help="the table's file (default: bench/results/mutation.md for a run of "
                    "every mutant; none with --only)")
    args = ap.parse_args()
    names = {mu.name for mu in MUTANTS}
    unknown = set(args.only or ()) - names
    if unknown:
        ap.error(f"no mutant named {', '.join(sorted(unknown))}")
    mutants = [mu for mu in MUTANTS if not args.only or mu.name in args.only]
    if args.list:
        for mu in mutants:
            print(f"{mu.name:32} {mu.file:44} {' '.join(mu.tests)}")
        return 0

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    started, commit = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), checkout_state()
    load_before, start = f"{os.getloadavg()[0]:.1f}", time.monotonic()
    outcomes, baseline = mutation_run(mutants, args.timeout, log)
    text = table(outcomes, baseline, started, commit, (load_before, f"{os.getloadavg()[0]:.1f}"),
                 time.monotonic() - start)
    print(text, end="")
    out = args.out or (None if args.only else ROOT / "bench" / "results" / "mutation.md")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return 1 if any(o.verdict != "killed" for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
