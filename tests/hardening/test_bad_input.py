"""Every command over a corpus of broken inputs: one clear line and exit 2 (unusable input), or exit 1 with a
named failed check or finding; never a traceback, never a hang, and the source stays byte-identical.

The observed matrix (case x command -> exit, message) is the generated section of docs/troubleshooting.md:
this test fails when the page is stale; ``MIMIC_QA_WRITE_DOCS=1 python -m pytest tests/hardening`` rewrites it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.ci import unavailable
from tests.damage import ReleaseCopy
from tests.hardening.corpus import CASES, TABLES, TARGET, Case, build
from tests.postgres.server import PASSWORD_USER, fresh_database, silent_port, with_database

DOCS = Path(__file__).resolve().parents[2] / "docs" / "troubleshooting.md"
START, END = "<!-- bad-input-matrix:start -->", "<!-- bad-input-matrix:end -->"
TIMEOUT = 180  # seconds: a run that takes longer counts as a hang
OTHER_USER = 65534  # nobody


@dataclass(frozen=True)
class Outcome:
    exit: int
    message: str  # the error line, the failed checks, or what was found
    stderr: str


def _hashes(root: Path) -> dict[str, str]:
    """Every entry under ``root``: a file's SHA-256, else its kind (a FIFO is never opened)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = "symlink -> " + os.readlink(path)
        elif path.is_file():
            try:
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            except PermissionError:
                out[rel] = "unreadable"
        else:
            out[rel] = "dir" if path.is_dir() else oct(path.lstat().st_mode)
    return out


def _run(args: list[str], cwd: Path, other_user: bool) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mimic_qa", *args]
    if other_user and os.geteuid() == 0:
        command = ["setpriv", f"--reuid={OTHER_USER}", f"--regid={OTHER_USER}", "--clear-groups", *command]
    env = {**os.environ, "HOME": str(cwd), "COLUMNS": "200"}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, env=env, check=False)


def _command_of(done: subprocess.CompletedProcess[str]) -> str:
    args = list(done.args)
    return args[args.index("mimic_qa") + 1]


def _summary(done: subprocess.CompletedProcess[str], work: Path, copy: Path) -> str:
    errors = [line for line in done.stderr.splitlines() if line.startswith("mimic-qa: error:")]
    if errors:
        text = errors[-1].removeprefix("mimic-qa: error: ")
    elif _command_of(done) == "validate" and (work / "v.json").is_file() and done.returncode == 1:
        run = json.loads((work / "v.json").read_text())
        text = ", ".join(c["id"] for c in run["checks"] if c["status"] in ("failed", "error") and c["severity"] == "error")
    else:
        text = (done.stdout.strip().splitlines() or [""])[-1]
    for path, name in ((copy, "COPY"), (work, "OUT")):
        text = text.replace(str(path), name)
    text = re.sub(r"(127\.0\.0\.1|localhost)(\\?\"?,? port |:)\d+", r"\1\2PORT", text)  # the test servers' ports
    return re.sub(r"\d+\.\d+ s\b", "N s", re.sub(r"/tmp/\S+", "TMP", text))


def _validate(source: str, work: Path, *extra: str, json_at: Path | None = None) -> list[str]:
    return ["validate", source, *[a for t in TABLES for a in ("--tables", t)], "--checks", "sql", "-q",
            "--json", str(json_at or work / "v.json"), *extra]


def _scan(source: str, out: Path) -> list[str]:
    return ["scan-phi", source, "--tables", "omr", "--out", str(out)]


def _diff(a: str, b: str, *extra: str) -> list[str]:
    return ["diff", a, b, "--tables", ",".join(TABLES), *extra]


def _load(source: str, dsn: str) -> list[str]:
    return ["load", source, dsn, "--tables", ",".join(TABLES), "--drop", "-q"]


# Each command over a damaged copy of the demo (diff: the real demo as A, the damaged copy as B).
COMMANDS: dict[str, Callable[[Path, Path, str, Path], list[str]]] = {
    "validate": lambda copy, work, dsn, demo: _validate(str(copy), work),
    "scan-phi": lambda copy, work, dsn, demo: _scan(str(copy), work / "phi"),
    "diff": lambda copy, work, dsn, demo: _diff(str(demo), str(copy)),
    "guard": lambda copy, work, dsn, demo: ["guard", str(copy)],
    "load": lambda copy, work, dsn, demo: _load(str(copy), dsn),
}


@pytest.fixture(scope="module")
def load_target(pg_server):
    with fresh_database(pg_server) as url:
        yield url


@pytest.fixture(scope="module")
def matrix() -> dict[str, dict[str, Outcome]]:
    return {}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_commands_meet_a_broken_input_cleanly(case: Case, real_demo, tmp_path, load_target, matrix):
    if case.as_other_user:  # the other user must reach the copy (pytest's own folders are private to root)
        tmp_path = Path(tempfile.mkdtemp(prefix="mimic-qa-other-user-"))
        tmp_path.chmod(0o755)
    try:
        _check(case, real_demo, tmp_path, load_target, matrix)
    finally:
        if case.as_other_user:
            shutil.rmtree(tmp_path, ignore_errors=True)


def _check(case: Case, real_demo: Path, tmp_path: Path, load_target: str, matrix: dict) -> None:
    copy = build(case, real_demo, tmp_path / "copy")
    before = _hashes(copy)
    works = {name: tmp_path / name for name in COMMANDS}
    for work in works.values():
        work.mkdir()
        if case.as_other_user:
            work.chmod(0o777)
    with ThreadPoolExecutor(max_workers=len(COMMANDS)) as pool:
        runs = {name: pool.submit(_run, make(copy, works[name], load_target, real_demo), works[name],
                                  case.as_other_user)
                for name, make in COMMANDS.items()}
        done = {name: future.result() for name, future in runs.items()}  # a hang raises TimeoutExpired
    row = matrix.setdefault(case.name, {})
    for name, result in done.items():
        row[name] = _judge(name, result, works[name], copy)
    assert _hashes(copy) == before, "a command changed its source"
    assert done["validate"].returncode != 0, "validate passed a damaged copy"
    if done["validate"].returncode == 1:
        assert TARGET.split("/")[1].split(".")[0] in row["validate"].message or "release." in row["validate"].message


@dataclass(frozen=True)
class Servers:
    """The loopback servers a place may point the commands at."""

    pg: str  # DSN of the test PostgreSQL server
    silent: str  # DSN of a port that completes the TCP handshake and then never says a word


@dataclass(frozen=True)
class Place:
    """A broken source or output that is not a release file: what each command is given (None: not applicable)."""

    name: str
    what: str
    commands: Callable[[Path, Path, Servers, Path], dict[str, list[str] | None]]  # (copy, work, servers, scratch)


def _not_duckdb(copy: Path, work: Path, servers: Servers, scratch: Path) -> dict[str, list[str] | None]:
    bad = scratch / "mimic.duckdb"
    bad.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 64)
    return {"validate": _validate(str(bad), work), "scan-phi": _scan(str(bad), work / "phi"),
            "diff": _diff(str(copy), str(bad)), "guard": ["guard", str(bad)], "load": _load(str(bad), servers.pg)}


def _database(dsn: str, copy: Path, work: Path, load: bool = True) -> dict[str, list[str] | None]:
    return {"validate": _validate(dsn, work), "scan-phi": _scan(dsn, work / "phi"), "diff": _diff(str(copy), dsn),
            "guard": None, "load": _load(str(copy), dsn) if load else None}


def _wrong_password(copy: Path, work: Path, servers: Servers, scratch: Path) -> dict[str, list[str] | None]:
    dsn = with_database(servers.pg, "postgres").replace("postgresql://postgres@",
                                                    f"postgresql://{PASSWORD_USER}:not-the-password@")
    return _database(dsn, copy, work)


def _unreachable(copy: Path, work: Path, servers: Servers, scratch: Path) -> dict[str, list[str] | None]:
    # only the commands' connect timeout can end these runs: without it they wait for a reply that never comes,
    # until TIMEOUT calls it a hang
    return _database(servers.silent, copy, work)


def _missing_schemas(copy: Path, work: Path, servers: Servers, scratch: Path) -> dict[str, list[str] | None]:
    return _database(servers.pg, copy, work, load=False)  # load creates the schemas: not a broken target for it


def _unwritable(copy: Path, work: Path, servers: Servers, scratch: Path) -> dict[str, list[str] | None]:
    blocker = scratch / "a-file"
    blocker.write_text("not a folder\n")
    out = blocker / "out"  # under a regular file: no one can create it, root included
    return {"validate": _validate(str(copy), work, json_at=out / "v.json"),
            "scan-phi": _scan(str(copy), out / "phi"),
            "diff": _diff(str(copy), str(copy), "--json", str(out / "d.json"), "--report-dir", str(out / "r")),
            "guard": None, "load": None}


def _disk_full(copy: Path, work: Path, servers: Servers, scratch: Path) -> dict[str, list[str] | None]:
    full = scratch / "full"  # a nearly full file system (see _small_disk)
    return {"validate": _validate(str(copy), work, "--keep-db", str(full / "mimic.duckdb")),
            "scan-phi": _scan(str(copy), full / "phi"),
            "diff": _diff(str(copy), str(copy), "--json", str(full / "d.json"), "--report-dir", str(full / "r")),
            "guard": None, "load": None}


PLACES: tuple[Place, ...] = (
    Place("not-a-duckdb", "a file that is not a DuckDB database, given as the source", _not_duckdb),
    Place("pg-wrong-password", "PostgreSQL refuses the password", _wrong_password),
    Place("pg-unreachable", "a PostgreSQL port that takes the connection and never answers", _unreachable),
    Place("pg-missing-schemas", "a PostgreSQL database without the mimiciv schemas", _missing_schemas),
    Place("unwritable-output", "an output path that cannot be created", _unwritable),
    Place("disk-full", "the disk fills up while outputs (the kept database) are written", _disk_full),
)

FULL_DISK_FREE = 8 << 10  # bytes left free on the small file system


@contextmanager
def _small_disk(folder: Path) -> Iterator[bool]:
    """``folder`` as a 1 MB tmpfs filled to its last 8 KB (mounting needs root: elsewhere the case is skipped
    by ``test_commands_meet_a_broken_source_or_output_cleanly``)."""
    folder.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True).returncode == 0
    try:
        if mounted:
            free = shutil.disk_usage(folder).free
            (folder / "filler").write_bytes(b"\0" * max(0, free - FULL_DISK_FREE))
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture(scope="module")
def servers(pg_server) -> Iterator[Servers]:
    with silent_port() as port:
        yield Servers(pg_server, f"postgresql://postgres@127.0.0.1:{port}/mimiciv")


@pytest.mark.parametrize("place", PLACES, ids=lambda p: p.name)
def test_commands_meet_a_broken_source_or_output_cleanly(place: Place, real_demo, tmp_path, servers, matrix):
    copy = ReleaseCopy(real_demo, tmp_path / "copy", tables=TABLES).root
    before = _hashes(copy)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with _small_disk(scratch / "full") as mounted:
        if place.name == "disk-full" and not mounted:
            unavailable("a small file system needs root to mount (tmpfs)")
        work = tmp_path / "out"  # the commands' working folder; validate's JSON goes here
        work.mkdir()
        given = {k: v for k, v in place.commands(copy, work, servers, scratch).items() if v is not None}
        with ThreadPoolExecutor(max_workers=len(given)) as pool:
            runs = {name: pool.submit(_run, args, work, False) for name, args in given.items()}
            done = {name: future.result() for name, future in runs.items()}
        row = matrix.setdefault(place.name, {})
        for name, result in done.items():
            row[name] = _judge(name, result, work, copy)
        assert _hashes(copy) == before, "a command changed its source"
        assert done["validate"].returncode != 0, "validate passed a broken source or output"
        if place.name == "disk-full":
            _assert_no_partial_output(scratch / "full")


def _assert_no_partial_output(folder: Path) -> None:
    """What a run left on the full disk is complete: no temporary or partial file, every JSON file parses,
    and no database file (validate cannot have finished one in 8 KB)."""
    for path in folder.rglob("*"):
        if path.is_dir() or path.name == "filler":
            continue
        assert not path.name.startswith(".") and path.suffix not in (".partial", ".tmp", ".wal"), path
        assert path.suffix != ".duckdb", f"a database was kept on a full disk: {path}"
        if path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        if path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                json.loads(line)


def _judge(name: str, result: subprocess.CompletedProcess[str], work: Path, copy: Path) -> Outcome:
    """The run's outcome, after asserting it is a clean one: no traceback, exit 0/1/2, and exit 2 with
    exactly one error line (exit 1: a failed check or finding; load: at most one line naming what failed)."""
    assert "Traceback" not in result.stderr, (name, result.stderr[-3000:])
    assert result.returncode in (0, 1, 2), (name, result.returncode, result.stderr[-2000:])
    errors = [line for line in result.stderr.splitlines() if line.startswith("mimic-qa: error:")]
    assert len(errors) == (1 if result.returncode == 2 else len(errors[:1])), (name, result.stderr[-2000:])
    return Outcome(result.returncode, _summary(result, work, copy), result.stderr)


def render(matrix: dict[str, dict[str, Outcome]]) -> str:
    what = {c.name: c.what for c in CASES} | {c.name: c.what for c in PLACES}
    head = "| case | " + " | ".join(COMMANDS) + " |"
    lines = [START, "", head, "|" + "---|" * (len(COMMANDS) + 1)]
    for case in (c.name for c in (*CASES, *PLACES) if c.name in matrix):
        cells = [f"**{matrix[case][cmd].exit}** {matrix[case][cmd].message}".strip().replace("|", "\\|")
                 if cmd in matrix[case] else "n/a" for cmd in COMMANDS]
        lines.append(f"| `{case}`: {what[case]} | " + " | ".join(cells) + " |")
    return "\n".join([*lines, "", END])


def test_the_troubleshooting_page_shows_the_matrix(matrix):
    """The page shows the matrix the cases above recorded. A case that did not record its row (run alone with -k,
    or failed before recording) leaves the matrix incomplete: skipped locally, a failure under CI. With
    MIMIC_QA_WRITE_DOCS=1 a stale page is rewritten, and the test still fails for it (review and commit it)."""
    missing = [c.name for c in (*CASES, *PLACES) if c.name not in matrix]
    if missing:
        unavailable(f"the matrix is incomplete (run the whole module): {', '.join(missing)}")
    text = DOCS.read_text(encoding="utf-8")
    table = render(matrix)
    if table not in text and os.environ.get("MIMIC_QA_WRITE_DOCS") == "1":
        head, _, rest = text.partition(START)
        _, _, tail = rest.partition(END)
        DOCS.write_text(head + table + tail if rest else text.rstrip("\n") + "\n\n" + table + "\n", encoding="utf-8")
    assert table in text, "docs/troubleshooting.md is stale: MIMIC_QA_WRITE_DOCS=1 python -m pytest tests/hardening"

