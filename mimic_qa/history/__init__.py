"""Run history (``--history DIR``): each run's results kept as ids and counts, compared with the run before it,
and the trend of the last runs per table."""

from mimic_qa.history.store import KeptRun, compare, find_run, keep_run, load_runs

__all__ = ["KeptRun", "compare", "find_run", "keep_run", "load_runs"]
