"""A real PostgreSQL server for tests: the one named by ``MIMIC_QA_TEST_PG``, or a throwaway cluster.

The throwaway cluster uses Debian's binaries (``/usr/lib/postgresql/<version>/bin``): ``initdb`` in a
fresh temporary directory, ``postgres`` on a free loopback port (another one when a parallel job takes
it before the server binds it) with its Unix socket in that directory and trust authentication, and a fast shutdown plus removal of the directory at the end.
PostgreSQL refuses to run as root, so under root every server command runs as the ``postgres`` system
user (``setpriv --reuid postgres``), which owns the directory.

Reuse it with ``from tests.postgres.server import postgres_server, fresh_database``, or, under
``tests/postgres/``, through the ``pg_server``, ``pg_database`` and ``synthetic_pg`` fixtures.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from tests import ci

ENV_DSN = "MIMIC_QA_TEST_PG"
SERVER_USER = "postgres"
# A role that must give its password (every other connection is trusted): tests of a wrong password use it.
PASSWORD_USER, PASSWORD = "mimic_qa_password_user", "the-right-password"
# Durability is pointless for a throwaway test cluster; these make loads several times faster.
FAST_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")
PORT_ATTEMPTS = 5


def unavailable(reason: str) -> None:
    """Skip the test locally; fail it under CI, where a silent skip would hide a gap."""
    ci.unavailable(f"PostgreSQL not available: {reason}")


def find_binaries() -> Path | None:
    """The ``bin`` directory of the newest Debian PostgreSQL install that has initdb and postgres."""
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    found = [d for d in found if (d / "postgres").is_file()]
    if not found:
        return None
    return max(found, key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else 0)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def silent_port() -> Iterator[int]:
    """A loopback port that listens but never accepts: the kernel completes the TCP handshake and queues what the
    client sends, and no reply ever comes, so only the client's own timeout ends its wait (a host that does not
    exist ends it too, when the OS gives up after ~2 minutes, which would hide a missing timeout)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        s.listen(64)  # room in the accept queue for every client of a test: none is turned away
        yield s.getsockname()[1]


class TemporaryCluster:
    """A throwaway PostgreSQL cluster in its own temporary directory.

    The server runs as a child of the test process with a parent-death signal (``setpriv --pdeathsig``),
    so it shuts down even when the test run is killed (e.g. by ``timeout``) before its teardown.
    """

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.as_root = os.geteuid() == 0
        # /tmp: reachable by the postgres user under root, and short enough for a Unix socket path.
        self.root = Path(tempfile.mkdtemp(prefix="mimic-qa-pg-", dir="/tmp"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = 0  # chosen by start()
        self.server: subprocess.Popen[bytes] | None = None

    def _command(self, program: str, *args: str) -> list[str]:
        """``program`` from the PostgreSQL bin directory, as the postgres user when we are root,
        interrupted (fast shutdown) if this process dies."""
        user = ["--reuid", SERVER_USER, "--regid", SERVER_USER, "--init-groups"] if self.as_root else []
        return ["setpriv", *user, "--pdeathsig", "INT", "--", str(self.bindir / program), *args]

    def _log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""

    def start(self) -> str:
        """Create and start the cluster; returns a DSN for its superuser."""
        if self.as_root:
            account = pwd.getpwnam(SERVER_USER)
            os.chown(self.root, account.pw_uid, account.pw_gid)
        done = subprocess.run(
            self._command("initdb", "-D", str(self.data), "-U", SERVER_USER, "-A", "trust", "-E", "UTF8",
                          "--locale=C", "--no-sync"),
            capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed ({done.returncode}): {done.stderr.strip()}")
        hba = self.data / "pg_hba.conf"  # first match wins: the password role is checked before the trust lines
        hba.write_text(f"host all {PASSWORD_USER} 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
        # A free port can be taken by another job between our look and the server's bind: then the server exits
        # with "Address already in use" and we try another port.
        for _ in range(PORT_ATTEMPTS):
            self.port = _free_port()
            if self._serve():
                break
        else:
            raise RuntimeError(f"postgres found no free port in {PORT_ATTEMPTS} attempts:\n{self._log_tail()}")
        dsn = f"postgresql://{SERVER_USER}@127.0.0.1:{self.port}/postgres"
        with psycopg.connect(dsn, connect_timeout=10, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(PASSWORD_USER), sql.Literal(PASSWORD)))
        return dsn

    def _serve(self) -> bool:
        """Start the server on ``self.port`` and wait until it is ready (True), or until it exits because the port
        was taken meanwhile (False). The server says it is ready in the 8th line of ``postmaster.pid`` once it
        listens on the port, so a ready server holds the port and answers on it: no other server can."""
        logged = self.log.stat().st_size if self.log.exists() else 0
        settings = [f"-c{s}" for s in ("listen_addresses=127.0.0.1", *FAST_SETTINGS)]
        with open(self.log, "ab") as log:
            self.server = subprocess.Popen(
                self._command("postgres", "-D", str(self.data), "-p", str(self.port), "-k", str(self.root), *settings),
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                said = self.log.read_bytes()[logged:].decode(errors="replace")
                if "Address already in use" in said:
                    return False
                raise RuntimeError(f"postgres exited ({self.server.returncode}):\n{self._log_tail()}")
            with contextlib.suppress(OSError):
                lines = (self.data / "postmaster.pid").read_text().splitlines()
                if len(lines) >= 8 and lines[7].strip() == "ready":
                    return True
            time.sleep(0.1)
        raise RuntimeError(f"postgres was not ready within 60 s:\n{self._log_tail()}")

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove the directory."""
        try:
            if self.server is not None and self.server.poll() is None:
                self.server.send_signal(signal.SIGINT)
                try:
                    self.server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.server.kill()
                    self.server.wait()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Yield the DSN of a running server: ``$MIMIC_QA_TEST_PG``, else a throwaway cluster.

    Skips the calling test when neither is possible (fails instead under ``CI=true``).
    """
    dsn = os.environ.get(ENV_DSN)
    if dsn:
        yield dsn
        return
    bindir = find_binaries()
    if bindir is None:
        unavailable(f"no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql) and {ENV_DSN} is unset")
    if shutil.which("setpriv") is None:
        unavailable("setpriv (util-linux) is not on PATH")
    if os.geteuid() == 0 and not _has_user(SERVER_USER):
        unavailable(f"running as root and there is no '{SERVER_USER}' system user to own the cluster")
    cluster = TemporaryCluster(bindir)
    try:
        yield cluster.start()
    finally:
        cluster.stop()


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def with_database(dsn: str, dbname: str) -> str:
    """The same server and credentials as ``dsn`` (URL or key=value), as a ``postgresql://`` URL to ``dbname``."""
    p = conninfo_to_dict(dsn)
    auth = quote(str(p.get("user", SERVER_USER)), safe="")
    if p.get("password"):
        auth += ":" + quote(str(p["password"]), safe="")
    host = str(p.get("host", "127.0.0.1"))
    port = f":{p['port']}" if p.get("port") else ""
    if host.startswith("/"):  # Unix socket directory: pass it as a query parameter
        return f"postgresql://{auth}@{port}/{dbname}?host={quote(host, safe='')}"
    return f"postgresql://{auth}@{host}{port}/{dbname}"


@contextlib.contextmanager
def fresh_database(server_dsn: str) -> Iterator[str]:
    """Create an empty database on the server, yield its DSN, drop it afterwards."""
    name = f"mimic_qa_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_database(server_dsn, name)
    finally:
        with psycopg.connect(server_dsn, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@dataclass(frozen=True)
class SyntheticDatabase:
    """A database `mimic-qa load` filled from a synthetic release (the `synthetic_pg` fixture)."""

    url: str  # postgresql:// URL of the loaded database
    release: Path  # the synthetic release directory it was loaded from
    load: subprocess.CompletedProcess[str]  # the `mimic-qa load` run (exit code, stderr)
