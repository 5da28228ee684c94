"""Google BigQuery, where PhysioNet hosts MIMIC-IV (project ``physionet-data``), checked in place.

SOURCE forms:
  ``bigquery://physionet-data``                      each project's default release in its versioned datasets
                                                     (``mimiciv_3_1_hosp`` / ``mimiciv_3_1_icu``, as the spec records)
  ``bigquery://physionet-data/latest``               the unversioned aliases (``mimiciv_hosp``, ``mimiciv_icu``, ...):
                                                     their release is detected from row counts
  ``bigquery://PROJECT/HOSP_DATASET/ICU_DATASET``    your own copy: datasets in the spec's module order, or
  ``bigquery://PROJECT/hosp=DATASET/ed=DATASET``     named by module
The billing project is ``?billing_project=...`` or the client's default. Cost-aware: every query is dry-run
first and the total bytes are shown before anything runs; ``max_bytes_billed`` caps it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs, urlparse

from sqlglot import exp

from mimic_qa.errors import UsageError
from mimic_qa.sources.base import Columns, Source
from mimic_qa.spec import Spec, Table

FORMS = ("bigquery://PROJECT, bigquery://PROJECT/latest, bigquery://PROJECT/HOSP_DATASET/ICU_DATASET or "
         "bigquery://PROJECT/MODULE=DATASET/...")


def parse_source(source: str, spec: Spec) -> tuple[str, dict[str, str], str | None, bool]:
    """(project, {module: dataset}, billing project, unversioned) from a ``bigquery://`` SOURCE."""
    url = urlparse(source)
    project = url.netloc
    if not project:
        raise UsageError("BigQuery source needs a project: bigquery://physionet-data")
    parts = [p for p in url.path.split("/") if p]
    unversioned = parts == ["latest"]
    datasets = {m: mod.schema_name for m, mod in spec.modules.items()}
    if not parts:
        for p in spec.projects.values():
            datasets.update(spec.release(p.default_release).bigquery)
    elif not unversioned:
        named = [p.partition("=") for p in parts]
        if all(sep for _, sep, _ in named):
            unknown = [m for m, _, _ in named if m not in spec.modules]
            if unknown:
                raise UsageError(f"BigQuery source: unknown module(s) {', '.join(unknown)}; modules are "
                                 f"{', '.join(spec.modules)}")
            datasets = {m: d for m, _, d in named}
        elif not any(sep for _, sep, _ in named) and len(parts) <= len(spec.modules):
            datasets = dict(zip(spec.modules, parts))
        else:
            raise UsageError(f"BigQuery source: {FORMS}")
    billing = parse_qs(url.query).get("billing_project", [None])[0]
    return project, datasets, billing, unversioned


class BigQuerySource(Source):
    kind = "BigQuery"
    engine = "bigquery"
    dialect = "bigquery"

    def __init__(self, spec: Spec, source: str, *, max_bytes_billed: int | None = None, client: Any = None,
                 notify: Callable[[str], None] | None = None):
        self.project, self.datasets, self.billing, self.unversioned = parse_source(source, spec)
        super().__init__(spec, f"bigquery://{self.project}/" + "/".join(self.datasets.values()))
        self.max_bytes_billed = max_bytes_billed
        self.notify = notify or (lambda _msg: None)
        self._client = client
        self._columns: Columns | None = None
        self.bytes_planned = 0

    @property
    def client(self) -> Any:
        if self._client is None:
            try:
                from google.cloud import bigquery
            except ImportError:
                raise UsageError("the BigQuery engine needs google-cloud-bigquery: "
                                 "pip install google-cloud-bigquery (the package's [bigquery] extra)") from None
            try:
                self._client = bigquery.Client(project=self.billing)
            except Exception as exc:  # noqa: BLE001  (auth errors: say what to do, in one line)
                raise UsageError(f"cannot create a BigQuery client ({type(exc).__name__}); run "
                                 "`gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS") from None
        return self._client

    def relation(self, table: Table) -> exp.Table:
        """`project`.dataset.table."""
        return exp.table_(table.name, db=self.datasets[table.module], catalog=self.project, quoted=True)

    def _job_config(self, dry_run: bool) -> Any:
        from google.cloud import bigquery

        return bigquery.QueryJobConfig(dry_run=dry_run, use_query_cache=not dry_run,
                                       maximum_bytes_billed=None if dry_run else self.max_bytes_billed)

    def plan(self, queries: Iterable[exp.Expr]) -> int:
        """Dry-run every query; refuse to start when the total exceeds ``max_bytes_billed``."""
        total, count = 0, 0
        for query in queries:
            job = self.client.query(self.compile(query), job_config=self._job_config(True))
            total += int(job.total_bytes_processed or 0)
            count += 1
        self.bytes_planned = total
        self.notify(f"BigQuery dry run: {count} queries will process {total / 1e9:,.2f} GB")
        if self.max_bytes_billed is not None and total > self.max_bytes_billed:
            raise UsageError(f"the checks would process {total / 1e9:,.2f} GB, more than --max-bytes-billed "
                             f"({self.max_bytes_billed / 1e9:,.2f} GB); select fewer --tables or raise the limit")
        return total

    def columns(self) -> Columns:
        if self._columns is not None:
            return self._columns
        found: Columns = {}
        for module, dataset in self.datasets.items():
            try:
                rows = list(self.client.query(
                    f"SELECT table_name, column_name, data_type FROM `{self.project}.{dataset}.INFORMATION_SCHEMA.COLUMNS` "
                    "ORDER BY table_name, ordinal_position", job_config=self._job_config(False)).result())
            except Exception as exc:  # noqa: BLE001  (a dataset you cannot see is a module the copy lacks)
                if type(exc).__name__ in ("NotFound", "Forbidden"):
                    continue
                raise
            for table, column, type_name in rows:
                if table in self.spec.tables and self.spec.tables[table].module == module:
                    found.setdefault(table, []).append((column, type_name))
        self._columns = {t: found[t] for t in self.spec.tables if t in found}
        return self._columns

    def _rows(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.client.query(sql, job_config=self._job_config(False)).result()]
