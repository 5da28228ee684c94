"""``mimic-qa synth``: a faithful synthetic MIMIC-IV release (spec-driven, DuckDB-vectorised) with fault injection."""

from mimic_qa.synth.faults import FAULTS, list_faults
from mimic_qa.synth.generate import SynthResult, generate

__all__ = ["FAULTS", "SynthResult", "generate", "list_faults"]
