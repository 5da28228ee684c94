"""No silent skip under CI. A test that needs something this machine lacks (the real demos, PostgreSQL, Chromium,
root for a small file system, the reference documents) skips locally and fails under CI, where .ci/run provides
all of it; and under CI any skip at all is reported as a failure (``pytest_runtest_makereport``, loaded by
tests/conftest.py), but for the tests marked ``ci_may_skip`` with the reason they cannot run anywhere offline.

CI is on when the ``CI`` variable holds anything but an empty or negative word, in any letter case: CI systems
spell it ``true``, ``True``, ``1`` or ``yes``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import NoReturn

import pytest

OFF = ("", "0", "false", "no", "off")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in OFF


def unavailable(reason: str) -> NoReturn:
    """Skip the test for want of ``reason`` locally; fail it under CI."""
    if in_ci():
        pytest.fail(f"{reason} (required under CI)", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under CI a skipped test fails, naming why it skipped (a test marked ``ci_may_skip`` may skip)."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and in_ci() and not hasattr(report, "wasxfail") and item.get_closest_marker("ci_may_skip") is None:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI ({os.environ.get('CI')!r}): {reason}"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "ci_may_skip(reason): the test may skip under CI (it cannot run offline)")
