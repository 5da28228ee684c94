"""The test server helper and the DSN masking: no silent skip in CI, no password in any message."""

from __future__ import annotations

import pytest

from mimic_qa.errors import UsageError
from mimic_qa.sources.postgres import mask_dsn
from tests.postgres.server import unavailable, with_database


def test_missing_server_skips_locally_but_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="PostgreSQL not available: no binaries"):
        unavailable("no binaries")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="PostgreSQL is required in CI: no binaries"):
        unavailable("no binaries")


@pytest.mark.parametrize("dsn", [
    "postgresql://alice:Secr3t%40x@db.example:6543/mimic",
    "host=db.example port=6543 user=alice password=Secr3t@x dbname=mimic",
])
def test_mask_dsn_drops_the_password(dsn: str) -> None:
    assert mask_dsn(dsn) == "postgresql://alice@db.example:6543/mimic"


def test_invalid_dsn_is_a_usage_error_that_does_not_echo_it() -> None:
    with pytest.raises(UsageError) as err:
        mask_dsn("postgresql://alice:Secr3t@[db.example/mimic")  # libpq would quote it all
    assert "Secr3t" not in str(err.value)


def test_with_database_keeps_server_and_credentials() -> None:
    url = with_database("host=127.0.0.1 port=5433 user=bob password=p@ss dbname=postgres", "t1")
    assert url == "postgresql://bob:p%40ss@127.0.0.1:5433/t1"
