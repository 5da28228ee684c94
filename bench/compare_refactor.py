"""Does a refactor change what validate finds? The same sources validated by an earlier checkout and by this one,
in twelve modes (a synthetic copy with faults and the real demos: each folder checked only (``stream``, no
``--keep-db``), checked while kept (``folder``, ``--keep-db``) and its kept database (``kept``); each with
``--checks all`` and ``--checks sql``), compared check by check with ``compare_results.py``.

    git worktree add /tmp/before <commit>
    python bench/compare_refactor.py --before /tmp/before [--scale 0.01] [--demo ../shared/data/mimic-iv-demo-2.2]
        [--ed-demo ../shared/data/mimic-iv-ed-demo-2.2]

The earlier code runs from its checkout (``PYTHONPATH``) in this environment. Each side keeps its own database
(a kept database records its release in each version's own way). Prints one line per mode and exits 1 on any
difference.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FAULTS = ("orphan-fk", "duplicate-pk", "null-in-not-null", "out-of-domain", "time-order", "unparseable-value",
          "missing-row", "truncated-gzip")


def run(code: Path | None, *args: str) -> int:
    """``mimic-qa ARGS`` with the checkout at ``code`` (None: this one); returns the exit code."""
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    done = subprocess.run([sys.executable, "-m", "mimic_qa", *args], env=env, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"mimic-qa {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-400:]}")
    return done.returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", type=Path, required=True, help="root of the earlier checkout")
    ap.add_argument("--scale", type=float, default=0.01)
    ap.add_argument("--demo", type=Path, default=HERE.parent.parent / "shared" / "data" / "mimic-iv-demo-2.2")
    ap.add_argument("--ed-demo", type=Path, default=HERE.parent.parent / "shared" / "data" / "mimic-iv-ed-demo-2.2",
                    help="validated together with --demo (left out when absent)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mimic-qa-refactor-"))
    synthetic = work / "synthetic"
    subprocess.run([sys.executable, "-m", "mimic_qa", "synth", str(synthetic), "--scale", str(args.scale), "--seed",
                    "3", "--quiet", *(a for f in FAULTS for a in ("--inject", f))], check=True, capture_output=True)
    demos = [args.demo, *([args.ed_demo] if args.ed_demo.is_dir() else [])]
    demo_tables = [a for d in demos for p in sorted(d.glob("*/*.csv.gz")) for a in ("--tables", p.name.split(".")[0])]
    sources = {"synthetic": ([str(synthetic)], []), "demo": ([str(d) for d in demos], demo_tables)}
    differ = 0
    for name, (folder, narrow) in sources.items():
        for checks in ("all", "sql"):
            for side, code in (("before", args.before), ("after", None)):
                kept = work / f"{name}-{checks}-{side}.duckdb"
                run(code, "validate", *folder, *narrow, "--checks", checks, "--keep-db", str(kept),
                    "--json", str(work / f"{name}-folder-{checks}-{side}.json"))
                run(code, "validate", str(kept), *narrow, "--checks", checks,
                    "--json", str(work / f"{name}-kept-{checks}-{side}.json"))
                run(code, "validate", *folder, *narrow, "--checks", checks,
                    "--json", str(work / f"{name}-stream-{checks}-{side}.json"))
            for mode in ("stream", "folder", "kept"):
                stem = f"{name}-{mode}-{checks}"
                done = subprocess.run([sys.executable, str(HERE / "compare_results.py"), str(work / f"{stem}-before.json"),
                                       str(work / f"{stem}-after.json")], capture_output=True, text=True)
                print(f"{stem}: {done.stdout.strip()}")
                differ += done.returncode != 0
    print(f"{differ} of 12 comparisons differ (results in {work})")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
