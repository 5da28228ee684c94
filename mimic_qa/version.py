"""The installed distribution's version (a module of its own: everything may import it, it imports nothing)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mimic-iv-qa")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+source"
