"""The source layer: every kind of copy (release folder, DuckDB, Parquet, PostgreSQL, Spark, BigQuery) behind one
``Source`` interface, opened by one dispatcher (``mimic_qa.sources.open.open_source``)."""
