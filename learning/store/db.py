"""Open the database a setting names: SQLite for a path, PostgreSQL for a URL.

The interface every store module uses is in `backend`; it is re-exported here so
that callers import one module.
"""

from __future__ import annotations

from pathlib import Path

from learning.store.backend import (
    EXPORT_SLOTS,
    INTEGRITY_ERRORS,
    Database,
    DatabaseUnavailable,
    Executed,
    ExportsBusy,
    NotFound,
    Params,
    Row,
    Transaction,
    is_postgres_url,
)
from learning.store.postgres_db import PostgresDatabase
from learning.store.sqlite_db import SqliteDatabase

__all__ = [
    "EXPORT_SLOTS",
    "INTEGRITY_ERRORS",
    "Database",
    "DatabaseUnavailable",
    "Executed",
    "ExportsBusy",
    "NotFound",
    "Params",
    "Row",
    "Transaction",
    "open_database",
]


def open_database(target: str | Path, *, readers: int = 3, exports: int = EXPORT_SLOTS) -> Database:
    """A handle on `target`, not yet open: `async with` it, or call open()."""
    if is_postgres_url(target):
        return PostgresDatabase(target, readers=readers, exports=exports)
    return SqliteDatabase(target, readers=readers, exports=exports)
