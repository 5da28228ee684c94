"""Results of running checks: the model every command writes and every report reads."""

from mimic_qa.results.model import CheckResult, RunResult, Status

__all__ = ["CheckResult", "RunResult", "Status"]
