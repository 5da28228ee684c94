"""``mimic-qa diff``: what changed between two MIMIC-IV copies (schema, row counts, key sets, per-column and
per-item distributions), computed in the engines, reported as counts and distances.

From Python::

    from mimic_qa.diff import compare, Thresholds
    result = compare("real-demo/", "synthetic/", tables=["labevents", "patients"])
    result.column("patients", "anchor_age").ks        # a drift statistic
    [s for s in result.statistics() if s.statistic == "tvd"]   # every statistic, flat
    result.findings, result.ok                           # judged with Thresholds() and fail_on
    rejudge(result, Thresholds(ks=Levels(info=0.02, warning=0.05, error=0.1)))   # without reading again
"""

from mimic_qa.diff.compare import compare
from mimic_qa.diff.findings import judge, rejudge
from mimic_qa.diff.model import DiffResult, Finding, Statistic
from mimic_qa.diff.thresholds import Levels, Thresholds

__all__ = ["DiffResult", "Finding", "Levels", "Statistic", "Thresholds", "compare", "judge", "rejudge"]
