"""The MIMIC-IV release spec: one YAML file, loaded into typed models, from which everything derives."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import yaml

from mimic_qa.spec.models import Column, ForeignKey, Quirk, Release, Spec, Table

SPEC_FILE = "mimic_iv.yaml"

__all__ = ["Column", "ForeignKey", "Quirk", "Release", "Spec", "Table", "load_spec"]


@lru_cache(maxsize=1)
def load_spec() -> Spec:
    """Load and validate the packaged spec (cached: it never changes at run time)."""
    text = files("mimic_qa.spec").joinpath(SPEC_FILE).read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~10x faster start-up
    spec = Spec.model_validate(yaml.load(text, Loader=loader))  # noqa: S506  (a safe loader)
    from mimic_qa.checks.catalog import build_catalog  # the kinds read the spec's models: imported once they exist

    ids = {c.id for c in build_catalog(spec)}
    unknown = [q.check for q in spec.quirks if q.check not in ids]
    if unknown:
        raise ValueError(f"quirks refer to unknown check ids: {unknown}")
    return spec
