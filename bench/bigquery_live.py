"""Validate ``patients`` on PhysioNet's own BigQuery copy, live (the test suite talks to this machine only).

    GOOGLE_APPLICATION_CREDENTIALS=key.json python bench/bigquery_live.py [--billing-project my-lab]

Needs credentialed PhysioNet access to ``physionet-data``. Prints the row-count check and the time taken;
exit 1 when the row count differs from v3.1's.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mimic_qa import validate  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--billing-project", help="the Google Cloud project billed for the queries")
    args = ap.parse_args()
    source = "bigquery://physionet-data" + (f"?billing_project={args.billing_project}" if args.billing_project else "")
    start = time.perf_counter()
    result = validate(source, tables=["patients"], max_bytes_billed=2 * 10**9)
    check = next(c for c in result.run.checks if c.id == "hosp.patients.row_count")
    print(f"{check.id}: {check.status.value}, {check.failing_rows} failing ({time.perf_counter() - start:.1f} s)")
    return 0 if check.failing_rows == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
