"""The logical schema of a database, read back from the database itself.

Both backends answer in one shape (tables, their columns with a portable type,
primary keys, indexes), so a test can check that the SQLite migrations and their
PostgreSQL twins build the same thing, and a privacy check can walk every column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from learning.store.backend import Database

# Declared types, by what they hold: SQLite's affinities and PostgreSQL's types.
_KINDS = {
    "integer": "integer",
    "bigint": "integer",
    "text": "text",
    "citext": "text",
    "real": "real",
    "double precision": "real",
    "blob": "blob",
    "bytea": "blob",
}


@dataclass(frozen=True, slots=True)
class Table:
    columns: dict[str, str]
    primary_key: tuple[str, ...]
    indexes: dict[str, tuple[str, ...]] = field(default_factory=dict)


def kind(declared: str) -> str:
    return _KINDS.get(declared.strip().lower(), declared.strip().lower())


async def describe(db: Database) -> dict[str, Table]:
    if db.backend == "postgresql":
        return await _postgres(db)
    return await _sqlite(db)


async def _sqlite(db: Database) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    names = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name"
    )
    for (name,) in ((str(r[0]),) for r in names):
        info = await db.fetchall(f"SELECT name, type, pk FROM pragma_table_info('{name}')")  # noqa: S608 - names from sqlite_master
        columns = {str(r[0]): kind(str(r[1])) for r in info}
        key = tuple(str(r[0]) for r in sorted((r for r in info if r[2]), key=lambda r: r[2]))
        indexes: dict[str, tuple[str, ...]] = {}
        for index in await db.fetchall(
            f"SELECT name FROM pragma_index_list('{name}') WHERE origin = 'c'"  # noqa: S608 - names from sqlite_master
        ):
            cols = await db.fetchall(
                f"SELECT name FROM pragma_index_info('{index[0]}') ORDER BY seqno"  # noqa: S608 - names from sqlite_master
            )
            indexes[str(index[0])] = tuple(str(c[0]) for c in cols)
        tables[name] = Table(columns, key, indexes)
    return tables


_PG_COLUMNS = (
    "SELECT c.table_name, c.column_name, c.data_type, c.udt_name"
    " FROM information_schema.columns c JOIN information_schema.tables t"
    "  ON t.table_name = c.table_name AND t.table_schema = c.table_schema"
    " WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'"
    " ORDER BY c.table_name, c.ordinal_position"
)
_PG_KEYS = (
    "SELECT i.indrelid::regclass::text, a.attname, array_position(i.indkey, a.attnum)"
    " FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
    "  AND a.attnum = ANY(i.indkey)"
    " WHERE i.indisprimary AND i.indrelid::regclass::text IN"
    "  (SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema())"
    " ORDER BY 1, 3"
)
# Indexes made with CREATE INDEX: not the ones behind a primary key or UNIQUE rule.
_PG_INDEXES = (
    "SELECT t.relname, ic.relname, a.attname, array_position(i.indkey, a.attnum)"
    " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
    " JOIN pg_class t ON t.oid = i.indrelid"
    " JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()"
    " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey)"
    " WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"
    " ORDER BY 1, 2, 4"
)


async def _postgres(db: Database) -> dict[str, Table]:
    columns: dict[str, dict[str, str]] = {}
    for table, column, data_type, udt in await db.fetchall(_PG_COLUMNS):
        declared = str(udt) if str(data_type) == "USER-DEFINED" else str(data_type)
        columns.setdefault(str(table), {})[str(column)] = kind(declared)
    keys: dict[str, list[str]] = {}
    for table, column, _ in await db.fetchall(_PG_KEYS):
        keys.setdefault(str(table), []).append(str(column))
    indexes: dict[str, dict[str, list[str]]] = {}
    for table, index, column, _ in await db.fetchall(_PG_INDEXES):
        indexes.setdefault(str(table), {}).setdefault(str(index), []).append(str(column))
    return {
        name: Table(
            cols,
            tuple(keys.get(name, [])),
            {i: tuple(c) for i, c in indexes.get(name, {}).items()},
        )
        for name, cols in columns.items()
    }
