"""A throwaway PostgreSQL server for the tests: Debian's package, `initdb` in a temporary
folder, listening on a unix socket only, stopped (and the folder removed) at the end.

PostgreSQL refuses to run as root, so under root the server runs as `nobody`.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

USER = "learning"


def postgres_bin() -> Path | None:
    """The newest installed server's bin folder, or None when the package is missing."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    return Path(found[-1]).parent if found else None


def _version(path: str) -> int:
    part = Path(path).parts[-3]
    return int(part) if part.isdigit() else 0


class PostgresServer:
    def __init__(self) -> None:
        bin_dir = postgres_bin()
        if bin_dir is None:
            raise RuntimeError(
                "PostgreSQL fehlt: scripts/install-test-deps installiert Debians Paket postgresql"
            )
        self.bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="learning-pg-"))
        self.data = self.folder / "data"
        self.socket_dir = self.folder
        self._as: list[str] = []
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(self.folder, nobody.pw_uid, nobody.pw_gid)
            self._as = ["runuser", "-u", "nobody", "--"]
        self._counter = 0

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as, *args], check=True, capture_output=True, cwd=self.folder)

    def start(self, *, durable: bool = False) -> PostgresServer:
        """`durable` keeps PostgreSQL's defaults (fsync, synchronous commit): for
        benchmarks. Tests turn durability off: a test database lives for one test."""
        self._run(
            str(self.bin / "initdb"),
            "-D", str(self.data),
            "-U", USER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        )  # fmt: skip
        # listen_addresses='' means no TCP port at all, only the socket in our folder.
        options = f"-c listen_addresses='' -c max_connections=200 -c unix_socket_directories={self.socket_dir}"
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(
            str(self.bin / "pg_ctl"),
            "-D", str(self.data),
            "-o", options,
            "-l", str(self.folder / "server.log"),
            "-w",
            "start",
        )  # fmt: skip
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@/{database}?host={self.socket_dir}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        done = subprocess.run(
            [str(self.bin / "psql"), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
             "-h", str(self.socket_dir), "-U", USER, "-d", database, "-c", sql],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        return done.stdout

    def create_database(self, template: str | None = None) -> str:
        """A new empty (or template-copied) database; returns its URL."""
        self._counter += 1
        name = f"t{os.getpid()}_{self._counter}_{int(time.time() * 1000) % 100000}"
        suffix = f" TEMPLATE {template}" if template else ""
        self.psql(f"CREATE DATABASE {name}{suffix}")
        return self.url(name)

    def restart(self) -> None:
        """pg_ctl restart, fast mode: every connection is cut; back when this returns."""
        self._run(
            str(self.bin / "pg_ctl"),
            "-D", str(self.data),
            "-l", str(self.folder / "server.log"),
            "-m", "fast",
            "-w",
            "restart",
        )  # fmt: skip

    def emptying_sql(self, database: str) -> str:
        """SQL that empties every table of `database` but the migration record.

        Much faster than a new database or TRUNCATE (about 15 ms against 1 s): each
        test starts from the migrated, empty schema. Triggers and foreign keys are
        off meanwhile (session_replication_role), so the order does not matter.
        """
        tables = self.psql(
            "SELECT quote_ident(tablename) FROM pg_tables"
            " WHERE schemaname = 'public' AND tablename <> 'schema_migrations'",
            database,
        ).split()
        sequences = self.psql(
            "SELECT quote_ident(sequencename) FROM pg_sequences WHERE schemaname = 'public'",
            database,
        ).split()
        statements = [f"DELETE FROM {t};" for t in tables]  # noqa: S608 - names from pg_tables
        statements += [f"ALTER SEQUENCE {q} RESTART;" for q in sequences]
        return "SET session_replication_role = replica; " + " ".join(statements)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                [*self._as, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                 "-w", "stop"],
                capture_output=True, cwd=self.folder,
            )  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)
