"""mimic-qa: data-quality and governance checks for MIMIC-IV copies."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mimic-iv-qa")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
