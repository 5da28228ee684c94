"""Write results atomically: JSON for tools and reports, JUnit XML for CI systems."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from xml.etree import ElementTree as ET

from pydantic import ValidationError

from mimic_qa.errors import UsageError
from mimic_qa.interrupts import removed_if_interrupted
from mimic_qa.results.gate import blocks, waived
from mimic_qa.results.model import CheckResult, RunResult, Status


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with removed_if_interrupted(Path(tmp)), os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            os.chmod(tmp, mode)
            os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(run: RunResult, path: Path) -> None:
    write_atomic(path, run.model_dump_json(indent=2).encode("utf-8"))


def read_json(path: Path) -> RunResult:
    return RunResult.model_validate_json(Path(path).read_bytes())


def load_results(path: Path) -> RunResult:
    """The run recorded in a results JSON file, or a one-line usage error."""
    try:
        return read_json(path)
    except FileNotFoundError:
        raise UsageError(f"no results file at {path}") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder, not a results file") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "file"
        raise UsageError(f"{path} is not a mimic-qa results file ({where}: {first['msg']})") from None


def junit_xml(run: RunResult) -> bytes:
    """One testcase per check; a failure (or error) element where the check fails the run's gate; a failure under a
    site's waiver that holds is skipped, with the waiver's reason, owner and expiry as its message."""
    fail_on = run.summary.fail_on
    suites = ET.Element("testsuites", name="mimic-qa validate")
    by_table: dict[str, list[CheckResult]] = {}
    for c in run.checks:
        by_table.setdefault(c.table or "release", []).append(c)
    for table, checks in by_table.items():
        blocking = [c for c in checks if blocks(c, fail_on)]
        suite = ET.SubElement(suites, "testsuite", name=table, tests=str(len(checks)),
                              failures=str(sum(c.status is Status.FAILED for c in blocking)),
                              errors=str(sum(c.status is Status.ERROR for c in blocking)),
                              skipped=str(sum(c.status is Status.SKIPPED or waived(c) for c in checks)))
        for c in checks:
            case = ET.SubElement(suite, "testcase", classname=f"mimic_qa.{table}", name=c.id)
            text = f"[{c.severity}/{c.category}] {c.message}" + (f" [{c.waiver.why}]" if c.waiver else "")
            if waived(c):
                ET.SubElement(case, "skipped", message=f"waived: {text}")
            elif blocks(c, fail_on):
                tag = "error" if c.status is Status.ERROR else "failure"
                ET.SubElement(case, tag, message=text, type=c.kind).text = text
            elif c.status is Status.SKIPPED:
                ET.SubElement(case, "skipped", message=c.message)
            elif c.status is Status.FAILED:
                ET.SubElement(case, "system-out").text = f"not blocking: {text}"
    return ET.tostring(suites, encoding="utf-8", xml_declaration=True)
