"""pandera schemas derived from the spec, run inside DuckDB or PostgreSQL through pandera's ibis backend."""

import warnings

# pandera imports pyspark.pandas when pyspark is installed, which warns about pandas 3 on stderr at import.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=FutureWarning, module="pyspark")
    from mimic_qa.schemas.build import build_schema
    from mimic_qa.schemas.run import StreamedSchema, run_schemas, stream_schema

__all__ = ["StreamedSchema", "build_schema", "run_schemas", "stream_schema"]
