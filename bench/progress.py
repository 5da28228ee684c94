"""What a user watching a log sees: the progress lines of ``synth``, ``validate`` (both check modes) and
``scan-phi`` on a synthetic copy, each line stamped with the seconds since its command started, and the longest
silence of each command (the gap between two lines).

No TTY: stdout and stderr go to a pipe, as in CI. Every long phase must announce its total and report its tables.

    python bench/progress.py --scale 0.01 [--copy DIR] [--out bench/results/progress-0.01.txt]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from phases import report_run  # bench/phases.py (bench/ is on the path when a script in it runs)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def stamped(args: list[str], shown: str) -> str:
    """Run a command with its output in a pipe: its lines, each with the seconds since start, and a footer."""
    start = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    assert proc.stdout is not None
    lines, last, longest = [f"$ {shown} 2>&1"], 0.0, (0.0, "the start")
    for line in proc.stdout:
        now = time.monotonic() - start
        if now - last > longest[0]:
            longest = (now - last, line.strip()[:60])
        last = now
        if not any(c in line for c in "━│┃─"):  # the summary table's frame
            lines.append(f"[{now:6.1f} s] {line.rstrip()}")
    code = proc.wait()
    wall = time.monotonic() - start
    lines.append(f"[exit {code}, wall {wall:.1f} s, longest silence {longest[0]:.1f} s (before: {longest[1]}), "
                 f"load average after: {_load()}]")
    return "\n".join(lines) + "\n\n"


def run(work: Path, scale: float, copy: Path | None) -> str:
    mimic = [sys.executable, "-m", "mimic_qa"]
    out = [f"# mimic-qa progress in a log (no TTY: stdout and stderr to a pipe), scale {scale}, "
           f"{os.cpu_count()} cores, Python {platform.python_version()}",
           f"# started {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC; load average at start: {_load()} "
           "(the machine is shared: other work runs beside it)", ""]
    if copy is None:
        copy = work / "copy"
        out.append(stamped([*mimic, "synth", str(copy), "--scale", str(scale), "--seed", "0"],
                           f"mimic-qa synth COPY --scale {scale} --seed 0"))
    out.append(stamped([*mimic, "validate", str(copy)], "mimic-qa validate COPY"))
    out.append(stamped([*mimic, "validate", str(copy), "--checks", "sql", "--keep-db", str(work / "kept.duckdb")],
                       "mimic-qa validate COPY --checks sql --keep-db KEPT.duckdb"))
    out.append(stamped([*mimic, "validate", str(work / "kept.duckdb")], "mimic-qa validate KEPT.duckdb"))
    out.append(stamped([*mimic, "scan-phi", str(copy), "--out", str(work / "scan")], "mimic-qa scan-phi COPY --out SCAN"))
    out.append(f"# finished {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC.\n"
               "# A phase starts with its total ('31 tables to be parsed (229.3 MB)'), then one line per finished "
               "table; on a\n# terminal each phase is a live bar against that total instead; --quiet prints none.\n")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--copy", type=Path, help="an existing synthetic copy (default: synth one)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    return report_run(lambda work: run(work, args.scale, args.copy), args.out)


if __name__ == "__main__":
    sys.exit(main())
