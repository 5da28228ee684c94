"""The MIMIC-IV release spec: one YAML file, loaded into typed models, from which everything derives."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import yaml

from mimic_qa.spec.catalog import CheckDef, build_catalog
from mimic_qa.spec.models import Column, ForeignKey, Quirk, Release, Spec, Table

SPEC_FILE = "mimic_iv.yaml"

__all__ = ["CheckDef", "Column", "ForeignKey", "Quirk", "Release", "Spec", "Table", "build_catalog", "load_spec"]


@lru_cache(maxsize=1)
def load_spec() -> Spec:
    """Load and validate the packaged spec (cached: it never changes at run time)."""
    text = files("mimic_qa.spec").joinpath(SPEC_FILE).read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~10x faster start-up
    spec = Spec.model_validate(yaml.load(text, Loader=loader))  # noqa: S506  (a safe loader)
    ids = {c.id for c in build_catalog(spec)}
    unknown = [q.check for q in spec.quirks if q.check not in ids]
    if unknown:
        raise ValueError(f"quirks refer to unknown check ids: {unknown}")
    return spec
