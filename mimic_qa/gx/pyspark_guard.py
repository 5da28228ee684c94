"""Keep pyspark from ending the process when GX imports it.

GX imports pyspark's Spark Connect modules whenever pyspark is installed (our ``spark`` extra). Those modules call
``sys.exit(0)`` at import when the main module looks like a doctest run (``python -c``, a script piped to
``python -``, some embedders) and Spark Connect's optional dependencies are missing: a pipeline calling
``mimic_qa.validate(...)`` would stop in the middle of the run with exit status 0, as if it had passed. In exactly
that case the Spark Connect package is marked unavailable, which GX already treats as "not installed".
"""

from __future__ import annotations

import importlib.util
import sys

SPARK_CONNECT = "pyspark.sql.connect"
#: What pyspark checks before it lets its Spark Connect modules load in a doctest-like process.
SPARK_CONNECT_DEPENDENCIES = ("pandas", "pyarrow", "grpc", "grpc_status", "google.rpc", "zstandard")


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a missing parent package ("google" for "google.rpc")
        return False


def _doctest_like_main() -> bool:
    """pyspark's test: a main module with neither a spec nor a file, outside an interactive prompt."""
    main = sys.modules.get("__main__")
    return (main is not None and getattr(main, "__spec__", None) is None and not hasattr(main, "__file__")
            and not hasattr(sys, "ps1"))


def block_exiting_spark_connect() -> bool:
    """Mark Spark Connect unavailable when importing it would exit the process; True when it was marked."""
    if SPARK_CONNECT in sys.modules or not _doctest_like_main() or not _installed("pyspark"):
        return False
    if all(_installed(m) for m in SPARK_CONNECT_DEPENDENCIES):
        return False
    # an import of it then raises ImportError
    sys.modules[SPARK_CONNECT] = None  # type: ignore[assignment]
    return True
