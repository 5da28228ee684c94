"""Apache Spark: checks run as Spark SQL (local mode, a cluster, or a session passed from Python).

SOURCE is a Parquet directory in the release layout (registered as external tables, nothing is
copied) or, with a ``spark://`` / ``local[...]`` master, the session catalog's ``mimiciv_hosp`` and
``mimiciv_icu`` databases (Hive metastore, Databricks, Delta tables).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sqlglot import exp

from mimic_qa.engines.base import Engine
from mimic_qa.errors import UsageError
from mimic_qa.sources.database import Columns
from mimic_qa.sources.naming import MODULES, qualified, relation, schema_name
from mimic_qa.sources.parquet import parquet_location
from mimic_qa.spec import Table, load_spec


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


class SparkEngine(Engine):
    name = "spark"
    dialect = "spark"

    def __init__(self, source: str, *, master: str = "local[*]", session: Any = None):
        super().__init__(source)
        catalog_only = source.startswith(("spark://", "local[")) or source == "local"
        self.spark = session or _session(source if catalog_only else master)
        self.spark.sparkContext.setLogLevel("ERROR")
        if not catalog_only:
            self._register_parquet(Path(source).expanduser())

    def _register_parquet(self, root: Path) -> None:
        """External tables over the Parquet files, in databases named as mimic-code names its schemas."""
        if not root.is_dir():
            raise UsageError(f"{root}: not a Parquet directory (hosp/<table>.parquet, icu/<table>.parquet)")
        for module in MODULES:
            self.spark.sql(f"CREATE DATABASE IF NOT EXISTS {schema_name(module)}")
        for table in load_spec().tables.values():
            where = parquet_location(root, table)
            if where:
                folder = where.split("/**/")[0]
                self.spark.sql(f"DROP TABLE IF EXISTS {qualified(table)}")
                self.spark.sql(f"CREATE TABLE {qualified(table)} USING parquet LOCATION '{folder}'")

    def relation(self, table: Table) -> exp.Table:
        return relation(table)

    def list_columns(self) -> Columns:
        spec = load_spec()
        found: Columns = {}
        for module in MODULES:
            if self.spark.catalog.databaseExists(schema_name(module)):
                for t in self.spark.catalog.listTables(schema_name(module)):
                    if t.name in spec.tables and spec.tables[t.name].module == module:
                        fields = self.spark.table(qualified(spec.tables[t.name])).schema.fields
                        found[t.name] = [(f.name, f.dataType.simpleString()) for f in fields]
        return found

    def _fetch_one(self, sql: str) -> tuple[Any, ...]:
        return tuple(self.spark.sql(sql).collect()[0])
