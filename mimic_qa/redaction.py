"""Hide secrets in anything mimic-qa prints or records (commands, connection strings)."""

from __future__ import annotations

import re

_SECRET = re.compile(r"(://[^/:@\s]+:)[^@\s]+@|(password=)\S+", re.IGNORECASE)


def redact(text: str) -> str:
    """Hide passwords in connection strings (``scheme://user:secret@host``, ``password=secret``)."""
    return _SECRET.sub(lambda m: (m.group(1) or m.group(2)) + "***" + ("@" if m.group(1) else ""), text)
