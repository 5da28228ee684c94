"""Checks: one definition per kind (``kinds/``), the catalogue of check ids the spec gives rise to, and the
compiled-SQL runner."""

from mimic_qa.checks.catalog import build_catalog
from mimic_qa.checks.definition import CheckDef

__all__ = ["CheckDef", "build_catalog"]
