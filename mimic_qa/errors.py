"""Errors a user can cause and fix, and the exit codes of every command.

The CLI prints an error as one line, never a traceback, and exits with its ``exit_code``."""

from enum import IntEnum


class ExitCode(IntEnum):
    """What a ``mimic-qa`` command's exit status means, the same for every command."""

    OK = 0
    FAILED = 1
    USAGE = 2
    INTERRUPTED = 130

    @property
    def meaning(self) -> str:
        return _MEANINGS[self]


_MEANINGS = {
    ExitCode.OK: "success: nothing found at or above the gate",
    ExitCode.FAILED: "the command found a problem (a failed check at or above `--fail-on`, drift, PHI findings, "
    "data in a repository, stale generated files)",
    ExitCode.USAGE: "a usage error or unreadable input, printed as one line on stderr",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C or SIGTERM): partial outputs were removed",
}


class MimicQAError(Exception):
    """An error with a message meant for the user. ``exit_code`` is what the CLI returns."""

    exit_code: int = ExitCode.USAGE


class UsageError(MimicQAError):
    """Bad arguments or an unreadable source."""


class WriteError(MimicQAError):
    """An output (a report, the kept database, scratch space) cannot be written: a full disk, a quota."""


class NotValidated(MimicQAError):
    """``mimic_qa.require_validated``: the source is not the copy that passed, or the results did not pass the gate.

    ``changed`` names the tables whose content differs from the validated copy's (identifiers only)."""

    exit_code = ExitCode.FAILED

    def __init__(self, message: str, changed: list[str] | None = None):
        super().__init__(message)
        self.changed = changed or []
