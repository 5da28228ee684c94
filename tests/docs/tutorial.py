"""Read the runnable shell blocks of a Markdown page and the test directives written just before them.

Directives are HTML comments on the line(s) right before a fenced block:
``<!-- skip-test -->`` (not run), ``<!-- exit-code: N -->`` (expected exit code, default 0),
``<!-- needs-postgres -->`` (needs ``$PG``), ``<!-- output-contains: TEXT -->`` (stdout or stderr
shows TEXT).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FENCE = re.compile(r"^```(\w*)\s*$")
DIRECTIVE = re.compile(r"^<!--\s*(skip-test|needs-postgres|exit-code:\s*(\d+)|output-contains:\s*(.+?))\s*-->\s*$")


@dataclass(frozen=True)
class Block:
    """One fenced ``bash`` block: its code, where it starts, and how the test runs it."""

    line: int  # 1-based line of the opening fence
    code: str
    skip: bool = False
    exit_code: int = 0
    needs_postgres: bool = False
    output_contains: tuple[str, ...] = ()


def shell_blocks(text: str) -> list[Block]:
    """Every ``bash`` block of ``text`` in order, with its directives."""
    lines = text.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        start, lang = i, m.group(1)
        end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), None)
        if end is None:
            raise ValueError(f"line {start + 1}: code block is never closed")
        if lang == "bash":
            flags: dict = {}
            k = start - 1
            while k >= 0 and (d := DIRECTIVE.match(lines[k])):
                if d.group(1) == "skip-test":
                    flags["skip"] = True
                elif d.group(1) == "needs-postgres":
                    flags["needs_postgres"] = True
                elif d.group(3):
                    flags["output_contains"] = (d.group(3), *flags.get("output_contains", ()))
                else:
                    flags["exit_code"] = int(d.group(2))
                k -= 1
            blocks.append(Block(start + 1, "\n".join(lines[start + 1:end]) + "\n", **flags))
        i = end + 1
    return blocks
