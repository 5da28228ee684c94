"""Apache Spark: checks run as Spark SQL (local mode, a cluster, or a session passed from Python).

SOURCE is a Parquet directory in the release layout (registered as external tables, nothing is copied) or, with a
``spark://`` / ``local[...]`` master, the session catalog's databases named as mimic-code names its schemas
(``mimiciv_hosp``, ``mimiciv_icu``, ...; Hive metastore, Databricks, Delta tables).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sqlglot import exp

from mimic_qa.errors import UsageError
from mimic_qa.sources.base import Columns, Source
from mimic_qa.sources.naming import qualified, relation
from mimic_qa.sources.parquet import parquet_location
from mimic_qa.spec import Spec, Table


def _session(master: str) -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UsageError("the Spark engine needs pyspark: pip install pyspark (the package's [spark] extra)") from None
    warehouse = tempfile.mkdtemp(prefix="mimic-qa-spark-")
    return (SparkSession.builder.master(master).appName("mimic-qa")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.sql.warehouse.dir", warehouse)
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate())


def is_spark_catalog(source: str) -> bool:
    """A Spark master URL: the session catalog's databases are the copy."""
    return source.startswith(("spark://", "local[")) or source == "local"


class SparkSource(Source):
    kind = "Spark"
    engine = "spark"
    dialect = "spark"

    def __init__(self, spec: Spec, source: str, *, master: str = "local[*]", session: Any = None):
        super().__init__(spec, source)
        catalog_only = is_spark_catalog(source)
        self.spark = session or _session(source if catalog_only else master)
        self.spark.sparkContext.setLogLevel("ERROR")
        if not catalog_only:
            self._register_parquet(Path(source).expanduser())

    def _register_parquet(self, root: Path) -> None:
        """External tables over the Parquet files, in databases named as mimic-code names its schemas."""
        if not root.is_dir():
            raise UsageError(f"{root}: not a Parquet directory (<module>/<table>.parquet)")
        for module in self.spec.modules.values():
            self.spark.sql(f"CREATE DATABASE IF NOT EXISTS {module.schema_name}")
        for table in self.spec.tables.values():
            where = parquet_location(root, table)
            if where:
                folder = where.split("/**/")[0]
                self.spark.sql(f"DROP TABLE IF EXISTS {qualified(self.spec, table)}")
                self.spark.sql(f"CREATE TABLE {qualified(self.spec, table)} USING parquet LOCATION '{folder}'")

    def relation(self, table: Table) -> exp.Table:
        return relation(self.spec, table)

    def columns(self) -> Columns:
        found: Columns = {}
        for name, module in self.spec.modules.items():
            if self.spark.catalog.databaseExists(module.schema_name):
                for t in self.spark.catalog.listTables(module.schema_name):
                    if t.name in self.spec.tables and self.spec.tables[t.name].module == name:
                        fields = self.spark.table(qualified(self.spec, self.spec.tables[t.name])).schema.fields
                        found[t.name] = [(f.name, f.dataType.simpleString()) for f in fields]
        return {t: found[t] for t in self.spec.tables if t in found}

    def _rows(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.spark.sql(sql).collect()]
