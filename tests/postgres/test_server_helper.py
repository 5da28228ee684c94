"""The test server helper and the DSN masking: no silent skip in CI, no password in any message."""

from __future__ import annotations

import socket

import psycopg
import pytest

from mimic_qa.errors import UsageError
from mimic_qa.sources.postgres import mask_dsn
from tests.postgres import server
from tests.postgres.server import find_binaries, unavailable, with_database


def test_missing_server_skips_locally_but_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="PostgreSQL not available: no binaries"):
        unavailable("no binaries")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"PostgreSQL not available: no binaries \(required under CI\)"):
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


def test_a_port_taken_before_the_server_binds_it_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another job takes the port we found free before our server binds it: the server starts on another one."""
    bindir = find_binaries()
    if bindir is None:
        unavailable("no /usr/lib/postgresql/*/bin/initdb")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        ports = iter([taken.getsockname()[1], server._free_port()])
        monkeypatch.setattr(server, "_free_port", lambda: next(ports))
        cluster = server.TemporaryCluster(bindir)
        try:
            dsn = cluster.start()
            assert cluster.port != taken.getsockname()[1]
            with psycopg.connect(dsn, connect_timeout=10) as conn:
                assert conn.execute("SHOW data_directory").fetchone() == (str(cluster.data),)
        finally:
            cluster.stop()
