"""pandera schemas derived from the spec, run inside DuckDB or PostgreSQL through pandera's ibis backend."""

from mimic_qa.schemas.build import build_schema
from mimic_qa.schemas.run import run_schemas

__all__ = ["build_schema", "run_schemas"]
