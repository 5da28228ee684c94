"""mimic-qa: data-quality and governance checks for MIMIC-IV copies.

``mimic_qa.validate(source, ...)`` checks a copy from Python and returns a ``ValidationResult``
(``.ok``, ``.failed``, ``.raise_for_failures()``).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mimic-iv-qa")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+source"

from mimic_qa.validation import ValidationFailed, ValidationResult, validate  # noqa: E402

__all__ = ["ValidationFailed", "ValidationResult", "__version__", "validate"]
