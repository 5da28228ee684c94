"""Compare two ``mimic-qa validate --json`` results check by check: the same ids, outcomes, severities and counts?

For refactors that must not change what validate finds: run the same source with the old and the new code
and compare. Checks only one side has (new kinds) are listed apart; messages are compared only with
``--messages``.

    python bench/compare_results.py before.json after.json [--messages]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def outcomes(path: Path, messages: bool) -> dict[str, tuple]:
    run = json.loads(path.read_text(encoding="utf-8"))
    return {c["id"]: (c["status"], c["severity"], c["failing_rows"], c.get("quirk_reference"))
            + ((c["message"],) if messages else ()) for c in run["checks"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--messages", action="store_true", help="also compare the messages")
    args = ap.parse_args()
    a, b = outcomes(args.before, args.messages), outcomes(args.after, args.messages)
    shared = sorted(set(a) & set(b))
    differ = [i for i in shared if a[i] != b[i]]
    print(f"{args.before.name} vs {args.after.name}: {len(shared)} shared checks, {len(differ)} differ; "
          f"only before: {len(set(a) - set(b))}, only after: {len(set(b) - set(a))} "
          f"(of which not passed: {sum(1 for i in set(b) - set(a) if b[i][0] != 'passed')})")
    for i in differ[:20]:
        print(f"  {i}: {a[i]} -> {b[i]}")
    return 1 if differ or set(a) - set(b) else 0


if __name__ == "__main__":
    sys.exit(main())
