"""Report exports as byte streams: CSV, XLSX and JSON. No SQL here: rows come in as iterators.

The column header is always the first row. The report's facts (mode, filter, time of
creation) travel with every file: in the CSV as a block after the rows, separated by
one empty line; in the XLSX on the sheet "Info"; in JSON as fields beside "rows".
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Sequence

from learning.core.clock import DB_FORMAT
from learning.reports.cells import Column as Column
from learning.reports.cells import ExportInfo as ExportInfo
from learning.reports.cells import Row as Row
from learning.reports.cells import Style, cell_text
from learning.reports.cells import neutralise as neutralise
from learning.reports.workbook import xlsx_stream

FORMATS = ("csv", "xlsx", "json")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
_CHUNK = 64 * 1024


async def csv_stream(
    info: ExportInfo, columns: Sequence[Column], rows: AsyncIterator[Row], *, delimiter: str = ";"
) -> AsyncIterator[bytes]:
    """Semicolon: German Excel (decimal comma, TT.MM.JJJJ HH:MM); comma: decimal point, ISO."""
    style: Style = "de" if delimiter == ";" else "plain"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([neutralise(c.heading(info.zone)) for c in columns])
    async for row in rows:
        writer.writerow([cell_text(row.get(c.key), c.kind, info.zone, style) for c in columns])
        if buffer.tell() > _CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    writer.writerow([])
    for label, value in info.facts():
        writer.writerow([neutralise(label), neutralise(value)])
    yield buffer.getvalue().encode("utf-8")


async def json_stream(
    info: ExportInfo, columns: Sequence[Column], rows: AsyncIterator[Row]
) -> AsyncIterator[bytes]:
    """Machine-readable: times stay the stored UTC text, numbers stay numbers."""
    head = {
        "title": info.title,
        "mode": info.mode,
        "min_group": info.min_group,
        "filters": dict(info.filters),
        "generated_at": info.generated_at.strftime(DB_FORMAT),
        "times": "UTC",
        **({"note": info.note} if info.note else {}),
        "columns": [{"key": c.key, "title": c.title, "kind": c.kind} for c in columns],
    }
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": [\n').encode("utf-8")
    first = True
    async for row in rows:
        item = {c.key: row.get(c.key) for c in columns}
        yield (("" if first else ",\n") + json.dumps(item, ensure_ascii=False)).encode("utf-8")
        first = False
    yield b"\n]}\n"


def export_stream(
    fmt: str,
    info: ExportInfo,
    columns: Sequence[Column],
    rows: AsyncIterator[Row],
    *,
    delimiter: str = ";",
) -> AsyncIterator[bytes]:
    if fmt == "csv":
        return csv_stream(info, columns, rows, delimiter=delimiter)
    if fmt == "xlsx":
        return xlsx_stream(info, columns, rows)
    if fmt == "json":
        return json_stream(info, columns, rows)
    raise ValueError(fmt)
