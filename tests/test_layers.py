"""Layers point one way: cli -> commands -> adapters -> checks -> sources -> spec, with no import cycle (imports
inside functions included), read from the source by ``tests/layers.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.layers import counts, cycles, package_graph, read_tree

ROOT = Path(__file__).resolve().parents[1] / "mimic_qa"
# A package may import only packages of a lower rank (or itself).
RANK = {
    "version": 0, "errors": 0, "hashing": 0, "progress": 0, "redaction": 0, "resources": 0, "display": 0,
    "spec": 0,
    "interrupts": 1, "selection": 1, "compat": 1,
    "results": 2, "sources": 2,
    "checks": 3,
    "gx": 4, "schemas": 4, "reports": 4, "config": 4, "history": 4,  # config: the site's file and local checks
    "validation": 5, "diff": 5, "phi": 5, "load": 5, "guard": 5,
    "synth": 6,  # plants the PHI scan-phi looks for
    "docs": 6,  # renders the commands' outputs' schemas
    "cli": 7,
    "": 8, "__main__": 8,  # the package's own lazy API, and ``python -m mimic_qa``
}


@pytest.fixture(scope="module")
def tree():
    return read_tree(ROOT)


def test_no_import_cycle_between_modules_or_packages(tree):
    assert cycles(tree.imports) == []
    assert cycles(package_graph(tree)) == []


def test_every_import_points_down_the_layers(tree):
    graph = package_graph(tree)
    assert set(graph) | {t for ts in graph.values() for t in ts} <= set(RANK), "a new package needs a rank here"
    upward = sorted(f"{a} -> {b}" for a, targets in graph.items() for b in targets if RANK[b] >= RANK[a])
    assert upward == []


def test_checks_use_only_the_spec_and_the_results_model(tree):
    assert package_graph(tree)["checks"] <= {"spec", "results"}


def test_one_source_dispatcher_one_csv_reader_no_release_or_module_named_in_code(tree):
    found = counts(tree)
    assert found["source dispatchers (functions deciding what a SOURCE is)"] == ["mimic_qa.sources.open.source_kind"]
    assert found["read_csv builders (modules writing a read_csv call)"] == ["mimic_qa.sources.csv_loader"]
    assert found["modules naming a release key or a module in code"] == []


def test_the_graph_reader_sees_a_cycle_and_an_inner_import(tmp_path):
    """The reader itself: a cycle through an import inside a function is a cycle."""
    pkg = tmp_path / "mimic_qa"
    (pkg / "a").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a" / "__init__.py").write_text("from mimic_qa.b import x\n")
    (pkg / "b.py").write_text("x = 1\ndef f():\n    from mimic_qa.a import y\n")
    found = read_tree(pkg)
    assert cycles(found.imports) == [["mimic_qa.a", "mimic_qa.b"]]
    assert found.inner_imports["mimic_qa.b"] == {"mimic_qa.a"}
