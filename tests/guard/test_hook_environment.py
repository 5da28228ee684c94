"""The pre-commit hook's environment is light: mimic-iv-qa without its dependencies (``--no-deps``) plus the
hook's list, and guard reads every format it knows with only that list importable.

The run below blocks the import of every installed distribution the hook does not list, as an environment built
from the list would lack them; the list must also hold everything those distributions require in turn (their
metadata, read here), or ``pip install --no-deps`` would leave a hole.
"""

from __future__ import annotations

import gzip
import importlib.metadata as md
import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.guard.mimic_like import dataframe_output, mimic_rows, notebook, write_csv, write_parquet

ROOT = Path(__file__).resolve().parents[2]
TOOLING = {"pip", "setuptools", "wheel"}  # in every virtualenv pre-commit builds

# Runs mimic-qa guard with only the distributions named in argv[1] importable; reports what it imported.
BLOCKED_RUN = """
import importlib.abc, importlib.metadata as md, json, re, sys
allowed = set(json.loads(sys.argv[1]))
owners = md.packages_distributions()
canon = lambda name: re.sub(r"[-_.]+", "-", name).lower()
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        dists = {canon(d) for d in owners.get(name.partition(".")[0], [])}
        if dists and not dists & allowed:
            raise ModuleNotFoundError(f"No module named {name!r} (not in the hook environment)", name=name)
sys.meta_path.insert(0, Block())
from mimic_qa.cli import main
sys.argv = ["mimic-qa", "guard", *sys.argv[2:], "--format", "json"]
try:
    main()
except SystemExit as done:
    code = done.code
used = sorted({canon(d) for m in list(sys.modules) for d in owners.get(m.partition(".")[0], [])})
print(json.dumps({"exit": code, "used": used}), file=sys.stderr)
"""


def hook_requirements() -> list[Requirement]:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    deps = hook["additional_dependencies"]
    assert deps[0] == "--no-deps" and hook["language"] == "python"
    return [Requirement(d) for d in deps[1:]]


def _here(req: Requirement) -> bool:
    return req.marker is None or req.marker.evaluate({**default_environment(), "extra": ""})


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    """One MIMIC-shaped file in each format guard reads."""
    import pandas as pd
    import pyarrow.feather
    from openpyxl import Workbook

    folder = tmp_path_factory.mktemp("formats")
    csv = write_csv(folder / "cohort.csv", "admissions", 20)
    (folder / "cohort.csv.gz").write_bytes(gzip.compress(csv.read_bytes()))
    write_parquet(folder / "stays.parquet", "icustays", 20)
    notebook(folder / "labs.ipynb", [dataframe_output("labevents", 20)])
    cols, rows = mimic_rows("admissions", 20)
    frame = pd.DataFrame(rows, columns=cols)
    (folder / "frame.pkl").write_bytes(pickle.dumps(frame))
    frame.to_json(folder / "rows.json", orient="records")
    pyarrow.feather.write_feather(frame, folder / "rows.feather")
    book = Workbook()
    book.active.append(cols)
    for row in rows:
        book.active.append(row)
    book.save(folder / "rows.xlsx")
    return folder


@pytest.fixture(scope="module")
def blocked_run(files) -> dict:
    allowed = {canonicalize_name(r.name) for r in hook_requirements()} | {"mimic-iv-qa"} | TOOLING
    done = subprocess.run([sys.executable, "-c", BLOCKED_RUN, json.dumps(sorted(allowed)), str(files)], cwd=files,
                          capture_output=True, text=True, timeout=300)
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    return {**json.loads(done.stderr.strip().splitlines()[-1]), "result": json.loads(done.stdout)}


def test_guard_reads_every_format_with_only_the_hook_dependencies(files, blocked_run):
    assert blocked_run["exit"] == 1
    assert {f["path"] for f in blocked_run["result"]["findings"]} == {p.name for p in files.iterdir()}
    assert blocked_run["result"]["skipped"] == []  # nothing unreadable for want of a package


def test_the_hook_list_is_what_guard_imports_and_all_they_require(blocked_run):
    """The list is the closure of what guard imported: nothing missing (a hole in the hook environment), nothing
    more (weight nobody uses)."""
    closure: set[str] = set()
    todo = [n for n in blocked_run["used"] if n not in TOOLING | {"mimic-iv-qa"}]
    while todo:
        name = canonicalize_name(todo.pop())
        if name not in closure:
            closure.add(name)
            todo += [r.name for r in map(Requirement, md.requires(name) or []) if _here(r)]
    listed = {canonicalize_name(r.name) for r in hook_requirements() if _here(r)}
    assert listed == closure, f"missing: {sorted(closure - listed)}; not needed: {sorted(listed - closure)}"


def test_the_hook_list_keeps_the_product_specifiers():
    """Where the product requires a package, the hook asks for the same versions (or pins one inside them)."""
    product = {canonicalize_name(r.name): r for r in map(Requirement, md.requires("mimic-iv-qa") or [])
               if r.marker is None}  # the installed metadata of pyproject's dependencies (extras carry a marker)
    for req in hook_requirements():
        wanted = product.get(canonicalize_name(req.name))
        if wanted is None:
            continue
        pins = [s.version for s in req.specifier if s.operator == "=="]
        if pins:
            assert wanted.specifier.contains(pins[0]), (req, wanted)
        else:
            assert req.specifier == wanted.specifier, (req, wanted)


@pytest.mark.ci_may_skip("pydantic's requirement of pydantic-core is read from the installed pydantic: another "
                         "version's would need the package index")
def test_pydantic_and_its_core_are_pinned_as_a_pair():
    pins = {canonicalize_name(r.name): r for r in hook_requirements() if r.name.startswith("pydantic")}
    core = next(iter(pins["pydantic-core"].specifier)).version
    pydantic = next(iter(pins["pydantic"].specifier)).version
    if md.version("pydantic") != pydantic:
        pytest.skip(f"pydantic {md.version('pydantic')} is installed here, the hook pins {pydantic}: "
                    "its required pydantic-core cannot be read offline")
    wanted = next(Requirement(r) for r in md.requires("pydantic") or [] if r.startswith("pydantic-core"))
    assert wanted.specifier.contains(core), f"pydantic {pydantic} requires {wanted}, the hook pins {core}"
