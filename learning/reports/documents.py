"""Report exports as byte streams: CSV, XLSX and JSON. No SQL here: rows come in as iterators.

Every export starts with the report mode, so a file never travels without it.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import tempfile
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO, Literal

import xlsxwriter

from learning.core.clock import DB_FORMAT

Kind = Literal["text", "number", "integer", "datetime"]
FORMATS = ("csv", "xlsx", "json")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    kind: Kind = "text"


@dataclass(frozen=True, slots=True)
class ExportInfo:
    title: str
    mode: str  # "aggregate" or "named"
    min_group: int
    filters: Mapping[str, str]
    generated_at: datetime
    note: str | None = None  # why an aggregate export holds no figures

    def lines(self) -> list[str]:
        mode = (
            f"aggregiert (nur Gruppen ab {self.min_group} Personen, keine Namen)"
            if self.mode == "aggregate"
            else "namentlich"
        )
        filters = ", ".join(f"{k}={v}" for k, v in self.filters.items() if v) or "keine"
        return [
            f"# {self.title}",
            f"# Berichtsmodus: {self.mode} – {mode}",
            f"# Filter: {filters}",
            f"# Erstellt: {self.generated_at.strftime(DB_FORMAT)} UTC",
            *([f"# Hinweis: {self.note}"] if self.note else []),
        ]


Row = Mapping[str, object]


def neutralise(value: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading quote."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return neutralise(str(value))


async def csv_stream(
    info: ExportInfo, columns: Sequence[Column], rows: AsyncIterator[Row], *, delimiter: str = ";"
) -> AsyncIterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    buffer.write("\ufeff")
    for line in info.lines():
        writer.writerow([neutralise(line)])
    writer.writerow([neutralise(c.title) for c in columns])
    async for row in rows:
        writer.writerow([_cell(row.get(c.key)) for c in columns])
        if buffer.tell() > _CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _as_datetime(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, str) and value:
        try:
            return datetime.strptime(value, DB_FORMAT)
        except ValueError:
            return None
    return None


def _write_xlsx(name: str, info: ExportInfo, columns: Sequence[Column], rows: list[Row]) -> None:
    """Build the workbook in a file. CPU-bound: runs in a worker thread, off the event loop."""
    book = xlsxwriter.Workbook(
        name, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    book.set_properties(
        {
            "title": info.title,
            "subject": f"Berichtsmodus: {info.mode}",
            "comments": info.lines()[1][2:],
        }
    )
    bold = book.add_format({"bold": True})
    date_format = book.add_format({"num_format": "dd.mm.yyyy hh:mm"})
    sheet = book.add_worksheet("Bericht")
    for col, column in enumerate(columns):
        sheet.write_string(0, col, column.title, bold)
        sheet.set_column(col, col, 18 if column.kind == "datetime" else 14)
    sheet.freeze_panes(1, 0)
    last = 0
    for row in rows:
        last += 1
        for col, column in enumerate(columns):
            value = row.get(column.key)
            if value is None:
                continue
            if column.kind in ("number", "integer") and isinstance(value, int | float):
                sheet.write_number(last, col, float(value))
            elif column.kind == "datetime" and (moment := _as_datetime(value)):
                sheet.write_datetime(last, col, moment, date_format)
            else:
                sheet.write_string(last, col, _cell(value))
    sheet.autofilter(0, 0, max(last, 1), len(columns) - 1)
    info_sheet = book.add_worksheet("Info")
    for i, line in enumerate(info.lines()):
        info_sheet.write_string(i, 0, line[2:])
    book.close()


def _read_chunk(fh: BinaryIO) -> bytes:
    return fh.read(_CHUNK)


async def xlsx_stream(
    info: ExportInfo, columns: Sequence[Column], rows: AsyncIterator[Row]
) -> AsyncIterator[bytes]:
    """The workbook is built in a worker thread into a temporary file, then streamed.

    Building it takes about a second per 10,000 rows of pure Python: on the event loop
    that would stall every other request for as long.
    """
    collected = [row async for row in rows]
    fd, name = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        await asyncio.to_thread(_write_xlsx, name, info, columns, collected)
        with open(name, "rb") as fh:  # noqa: ASYNC230 - a local temp file, read in a thread
            while chunk := await asyncio.to_thread(_read_chunk, fh):
                yield chunk
    finally:
        os.unlink(name)


async def json_stream(
    info: ExportInfo, columns: Sequence[Column], rows: AsyncIterator[Row]
) -> AsyncIterator[bytes]:
    head = {
        "title": info.title,
        "mode": info.mode,
        "min_group": info.min_group,
        "filters": dict(info.filters),
        "generated_at": info.generated_at.strftime(DB_FORMAT),
        **({"note": info.note} if info.note else {}),
        "columns": [{"key": c.key, "title": c.title} for c in columns],
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
