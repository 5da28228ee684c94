"""The private internals of other packages that mimic-qa relies on, each with a probe of whether it still holds.

``pyproject.toml`` caps these packages at the releases tested here; the probes make an upgrade past the cap safe
anyway: a hook whose assumption no longer holds either falls back (slower, same results) or stops the run with
one line that says which package changed and what to do, instead of returning wrong or empty results.
``tests/test_compat.py`` fails in CI the day an installed release breaks a probe.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from mimic_qa.errors import MimicQAError


class IncompatibleDependency(MimicQAError):
    """An installed package no longer has an internal a mimic-qa hook needs."""


def installed(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


@dataclass(frozen=True)
class Hook:
    """One reliance on another package's internals."""

    name: str
    package: str  # the distribution, for the message
    relies_on: str
    if_broken: str  # what mimic-qa does then
    probe: Callable[[], str | None]  # None while the assumption holds, else what changed

    def broken(self) -> str | None:
        return self.probe()

    def message(self, reason: str) -> str:
        return (f"{self.package} {installed(self.package)} changed what mimic-qa relies on ({self.relies_on}: "
                f"{reason}); {self.if_broken}")

    def require(self) -> None:
        """Stop with one line if the assumption no longer holds."""
        reason = self.broken()
        if reason is not None:
            raise IncompatibleDependency(self.message(reason))


def _gx_persisted_dialects() -> str | None:
    from great_expectations.execution_engine import sqlalchemy_execution_engine as engine_module

    dialects = getattr(engine_module, "_PERSISTED_CONNECTION_DIALECTS", None)
    if not isinstance(dialects, tuple):
        return "sqlalchemy_execution_engine._PERSISTED_CONNECTION_DIALECTS is gone"
    return None


UNEXPECTED_ROWS_HOOK = "_get_substituted_batch_subquery_from_query_and_batch_selectable"
UNEXPECTED_ROWS_PARAMETERS = ["cls", "query", "batch_selectable", "execution_engine", "query_parameters"]


def _gx_unexpected_rows() -> str | None:
    from great_expectations.expectations.metrics.query_metric_provider import QueryMetricProvider

    hook = QueryMetricProvider.__dict__.get(UNEXPECTED_ROWS_HOOK)
    if not isinstance(hook, classmethod):
        return f"QueryMetricProvider.{UNEXPECTED_ROWS_HOOK} is gone"
    if list(inspect.signature(hook.__func__).parameters) != UNEXPECTED_ROWS_PARAMETERS:
        return f"QueryMetricProvider.{UNEXPECTED_ROWS_HOOK} takes other arguments"
    return None


def _pandera_check_internals() -> str | None:
    import pandera.ibis as pa

    check = pa.Check.isin([1])
    if not callable(getattr(check, "_check_fn", None)) or not isinstance(getattr(check, "_check_kwargs", None), dict):
        return "Check._check_fn / Check._check_kwargs are gone"
    return None


GX_DUCKDB = Hook("gx-duckdb-connection", "great-expectations",
                 "a persisted connection for DuckDB, as GX keeps for SQLite",
                 "GX cannot run on DuckDB without it: use --checks sql, or great-expectations 1.24",
                 _gx_persisted_dialects)
GX_UNEXPECTED_ROWS = Hook("gx-unexpected-rows-once", "great-expectations",
                          "evaluating each unexpected-rows query once",
                          "GX then evaluates each key and foreign-key query twice (slower, same results)",
                          _gx_unexpected_rows)
PANDERA_CHECKS = Hook("pandera-check-expressions", "pandera",
                      "a check's own per-row expression, counted in one query per table",
                      "use --checks sql, or pandera 0.35", _pandera_check_internals)

HOOKS: tuple[Hook, ...] = (GX_DUCKDB, GX_UNEXPECTED_ROWS, PANDERA_CHECKS)
