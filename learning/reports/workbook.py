"""The XLSX export: real numbers and dates with German formats, the report's facts on "Info"."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

import xlsxwriter

from learning.reports.cells import Column, ExportInfo, Row, calendar_day, cell_text, local_moment

_CHUNK = 64 * 1024
# Excel shows these with the reader's decimal mark: "87,5" and "02.12.2026 09:30" in German.
NUMBER_FORMATS = {
    "number": "0.0",
    "integer": "0",
    "datetime": "dd.mm.yyyy hh:mm",
    "date": "dd.mm.yyyy",
}


def _write_cell(
    sheet: Any, at: tuple[int, int], column: Column, value: object, fmt: Any, zone: ZoneInfo
) -> None:
    row, col = at
    if column.kind in ("number", "integer") and isinstance(value, int | float):
        sheet.write_number(row, col, float(value), fmt)
        return
    moment: date | datetime | None = None
    if column.kind == "datetime":
        moment = local_moment(value, zone)
    elif column.kind == "date":
        moment = calendar_day(value)
    if moment is not None:
        sheet.write_datetime(row, col, moment, fmt)
    else:
        sheet.write_string(row, col, cell_text(value, "text", zone, "de"))


def _info_sheet(book: Any, info: ExportInfo, bold: Any) -> None:
    sheet = book.add_worksheet("Info")
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 80)
    for i, (label, value) in enumerate(info.facts()):
        sheet.write_string(i, 0, label, bold)
        sheet.write_string(i, 1, value)


def write_xlsx(name: str, info: ExportInfo, columns: Sequence[Column], rows: list[Row]) -> None:
    """Build the workbook in a file. CPU-bound: runs in a worker thread, off the event loop."""
    book = xlsxwriter.Workbook(
        name, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    book.set_properties(
        {
            "title": info.title,
            "subject": f"Berichtsmodus: {info.mode}",
            "comments": info.mode_text(),
        }
    )
    bold = book.add_format({"bold": True, "text_wrap": True})
    formats = {
        c.key: book.add_format({"num_format": NUMBER_FORMATS.get(c.kind, "@")}) for c in columns
    }
    sheet = book.add_worksheet("Bericht")
    for col, column in enumerate(columns):
        sheet.write_string(0, col, column.heading(info.zone), bold)
        sheet.set_column(col, col, 22 if column.kind == "datetime" else 16)
    sheet.freeze_panes(1, 0)
    last = 0
    for row in rows:
        last += 1
        for col, column in enumerate(columns):
            value = row.get(column.key)
            if value is not None:
                _write_cell(sheet, (last, col), column, value, formats[column.key], info.zone)
    sheet.autofilter(0, 0, max(last, 1), len(columns) - 1)
    _info_sheet(book, info, bold)
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
        await asyncio.to_thread(write_xlsx, name, info, columns, collected)
        with open(name, "rb") as fh:  # noqa: ASYNC230 - a local temp file, read in a thread
            while chunk := await asyncio.to_thread(_read_chunk, fh):
                yield chunk
    finally:
        os.unlink(name)
