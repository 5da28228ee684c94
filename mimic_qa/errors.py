"""Errors a user can cause and fix; the CLI prints them as one line, never a traceback."""


class MimicQAError(Exception):
    """An error with a message meant for the user. ``exit_code`` is what the CLI returns."""

    exit_code = 2


class UsageError(MimicQAError):
    """Bad arguments or an unreadable source."""


class WriteError(MimicQAError):
    """An output (a report, the kept database, scratch space) cannot be written: a full disk, a quota."""

