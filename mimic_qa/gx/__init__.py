"""Great Expectations: suites generated from the spec, and a runner for them on a DuckDB or PostgreSQL database."""

from mimic_qa.gx.pyspark_guard import block_exiting_spark_connect

block_exiting_spark_connect()  # before anything imports great_expectations

from mimic_qa.gx.runner import RUN_KINDS, import_great_expectations, run_suites
from mimic_qa.gx.suites import build_suite, drifted_suites, render_suites, write_suites

__all__ = ["RUN_KINDS", "build_suite", "import_great_expectations", "drifted_suites", "render_suites", "run_suites", "write_suites"]
