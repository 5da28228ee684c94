"""Google BigQuery, where PhysioNet hosts MIMIC-IV (project ``physionet-data``), checked in place.

SOURCE forms:
  ``bigquery://physionet-data``                      datasets mimiciv_3_1_hosp / mimiciv_3_1_icu (v3.1)
  ``bigquery://physionet-data/latest``               the unversioned aliases mimiciv_hosp / mimiciv_icu
                                                     (their release is detected from row counts)
  ``bigquery://PROJECT/HOSP_DATASET/ICU_DATASET``    your own copy
The billing project is ``?billing_project=...`` or the client's default. Cost-aware: every query
is dry-run first and the total bytes are shown before anything runs; ``max_bytes_billed`` caps it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlparse

from sqlglot import exp

from mimic_qa.checks.sql import compile_query
from mimic_qa.engines.base import Engine
from mimic_qa.errors import UsageError
from mimic_qa.sources.database import Columns
from mimic_qa.spec import Table, load_spec

VERSIONED = ("mimiciv_3_1_hosp", "mimiciv_3_1_icu")
UNVERSIONED = ("mimiciv_hosp", "mimiciv_icu")


def parse_source(source: str) -> tuple[str, dict[str, str], str | None]:
    """(project, {module: dataset}, billing project) from a ``bigquery://`` SOURCE."""
    url = urlparse(source)
    project = url.netloc
    if not project:
        raise UsageError("BigQuery source needs a project: bigquery://physionet-data")
    parts = [p for p in url.path.split("/") if p]
    if not parts:
        hosp, icu = VERSIONED
    elif parts == ["latest"]:
        hosp, icu = UNVERSIONED
    elif len(parts) == 2:
        hosp, icu = parts
    else:
        raise UsageError("BigQuery source: bigquery://PROJECT, bigquery://PROJECT/latest or "
                         "bigquery://PROJECT/HOSP_DATASET/ICU_DATASET")
    billing = parse_qs(url.query).get("billing_project", [None])[0]
    return project, {"hosp": hosp, "icu": icu}, billing


class BigQueryEngine(Engine):
    name = "bigquery"
    dialect = "bigquery"

    def __init__(self, source: str, *, max_bytes_billed: int | None = None, client: Any = None,
                 notify: Callable[[str], None] | None = None):
        self.project, self.datasets, self.billing = parse_source(source)
        super().__init__(f"bigquery://{self.project}/{self.datasets['hosp']}/{self.datasets['icu']}")
        self.unversioned = (self.datasets["hosp"], self.datasets["icu"]) == UNVERSIONED
        self.max_bytes_billed = max_bytes_billed
        self.notify = notify or (lambda _msg: None)
        self._client = client
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

    def plan(self, queries: list[exp.Expr]) -> int:
        """Dry-run every query; refuse to start when the total exceeds ``max_bytes_billed``."""
        total = 0
        spec = load_spec()
        for query in queries:
            job = self.client.query(compile_query(query, spec, self), job_config=self._job_config(True))
            total += int(job.total_bytes_processed or 0)
        self.bytes_planned = total
        self.notify(f"BigQuery dry run: {len(queries)} queries will process {total / 1e9:,.2f} GB")
        if self.max_bytes_billed is not None and total > self.max_bytes_billed:
            raise UsageError(f"the checks would process {total / 1e9:,.2f} GB, more than --max-bytes-billed "
                             f"({self.max_bytes_billed / 1e9:,.2f} GB); select fewer --tables or raise the limit")
        return total

    def list_columns(self) -> Columns:
        spec = load_spec()
        found: Columns = {}
        for module, dataset in self.datasets.items():
            rows = self.client.query(
                f"SELECT table_name, column_name, data_type FROM `{self.project}.{dataset}.INFORMATION_SCHEMA.COLUMNS` "
                "ORDER BY table_name, ordinal_position", job_config=self._job_config(False)).result()
            for table, column, type_name in rows:
                if table in spec.tables and spec.tables[table].module == module:
                    found.setdefault(table, []).append((column, type_name))
        return found

    def _fetch_one(self, sql: str) -> tuple[Any, ...]:
        return tuple(next(iter(self.client.query(sql, job_config=self._job_config(False)).result())))
