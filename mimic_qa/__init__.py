"""mimic-qa: data-quality and governance checks for MIMIC-IV copies.

``mimic_qa.validate(source, ...)`` checks a copy from Python and returns a ``ValidationResult``
(``.ok``, ``.failed``, ``.raise_for_failures()``).
"""

from typing import Any

from mimic_qa.version import __version__

__all__ = ["ValidateOptions", "ValidationFailed", "ValidationResult", "__version__", "validate"]


def __getattr__(name: str) -> Any:
    """Import the validation machinery on first use, so that ``mimic-qa --version`` stays instant."""
    if name in ("validate", "ValidateOptions", "ValidationResult", "ValidationFailed"):
        from mimic_qa import validation

        return getattr(validation, name)
    raise AttributeError(f"module 'mimic_qa' has no attribute {name!r}")
