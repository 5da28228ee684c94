"""The MIMIC-IV family spec: YAML files loaded into typed models, from which everything derives.

``family.yaml`` names the projects, their modules, identities and citations; ``releases/<project>.yaml`` holds a
project's releases; ``modules/<module>.yaml`` a module's tables and the quirks of their checks. Adding a module or
a release is adding data here.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml

from mimic_qa.spec.models import Column, ForeignKey, Module, Project, Quirk, Release, Spec, Table

__all__ = ["Column", "ForeignKey", "Module", "Project", "Quirk", "Release", "Spec", "Table", "load_spec",
           "merged_document", "spec_files"]


def spec_files() -> list[str]:
    """The spec's files, relative to the package folder (for docs and packaging tests)."""
    root = files("mimic_qa.spec")
    return ["family.yaml", *(f"{sub}/{p.name}" for sub in ("releases", "modules")
                             for p in sorted(root.joinpath(sub).iterdir(), key=lambda p: p.name)
                             if p.name.endswith(".yaml"))]


def _read(name: str) -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~10x faster start-up
    data = yaml.load(files("mimic_qa.spec").joinpath(name).read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    if not isinstance(data, dict):
        raise ValueError(f"spec file {name}: not a mapping")
    return data


def merged_document() -> dict[str, Any]:
    """One document from the spec's files: modules and tables in the projects' module order."""
    doc = _read("family.yaml")
    modules: dict[str, dict[str, Any]] = {}
    tables: dict[str, dict[str, dict[str, Any]]] = {}
    doc["releases"], doc["quirks"] = {}, []
    for name in spec_files()[1:]:
        part = _read(name)
        if name.startswith("releases/"):
            for key, release in part["releases"].items():
                if key in doc["releases"]:
                    raise ValueError(f"spec file {name}: release {key!r} defined twice")
                doc["releases"][key] = {**release, "project": part["project"]}
            continue
        module = part["module"]
        modules[module] = {"project": part["project"], "description": part["description"]}
        tables[module] = {t: {**spec, "module": module} for t, spec in part["tables"].items()}
        doc["quirks"] += part.get("quirks") or []
        doc.setdefault("identities", []).extend(part.get("identities") or [])
    projects = list(doc["projects"])  # releases in the projects' order (the clinical database's first)
    doc["releases"] = dict(sorted(doc["releases"].items(),
                                  key=lambda kv: projects.index(kv[1]["project"]) if kv[1]["project"] in projects
                                  else len(projects)))
    order = [m for p in doc["projects"].values() for m in p["modules"]]
    order += [m for m in modules if m not in order]  # reported by the model as belonging to no project
    doc["modules"] = {m: modules[m] for m in order if m in modules}
    doc["tables"] = {}
    for m in order:
        for t, spec in tables.get(m, {}).items():
            if t in doc["tables"]:
                raise ValueError(f"spec: table {t!r} defined in two modules")
            doc["tables"][t] = spec
    return doc


@lru_cache(maxsize=1)
def load_spec() -> Spec:
    """Load and validate the packaged spec (cached: it never changes at run time)."""
    return Spec.model_validate(merged_document())
