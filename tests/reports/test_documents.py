"""Exports parsed back: CSV with BOM and neutralised formulas, XLSX types, JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import openpyxl
import pytest

from learning.reports.documents import Column, ExportInfo, Row, export_stream, neutralise

COLUMNS = (
    Column("name", "Name"),
    Column("score", "Ergebnis", "number"),
    Column("attempts", "Versuche", "integer"),
    Column("done", "Abgeschlossen am", "datetime"),
)
INFO = ExportInfo("Bericht", "named", 5, {"group": "3"}, datetime(2026, 3, 1, tzinfo=UTC))
PAYLOADS = ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tx", "\rx"]


async def rows(data: list[Row]) -> AsyncIterator[Row]:
    for row in data:
        yield row


async def collect(stream: AsyncIterator[bytes]) -> bytes:
    return b"".join([chunk async for chunk in stream])


DATA: list[Row] = [
    {"name": "Anna Müller", "score": 87.5, "attempts": 2, "done": "2026-02-10 12:00:00"},
    {"name": "=1+2", "score": -1.5, "attempts": -3, "done": None},
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_neutralise_prefixes_formula_starts(payload: str) -> None:
    assert neutralise(payload) == "'" + payload
    assert neutralise("Anna") == "Anna"


@pytest.mark.parametrize(("delimiter", "sep"), [(";", ";"), (",", ",")])
async def test_csv_has_bom_mode_header_and_neutralised_cells(delimiter: str, sep: str) -> None:
    body = await collect(export_stream("csv", INFO, COLUMNS, rows(DATA), delimiter=delimiter))
    assert body.startswith(b"\xef\xbb\xbf")
    records = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=sep))
    assert records[1][0].startswith("# Berichtsmodus: named")
    header = records.index(["Name", "Ergebnis", "Versuche", "Abgeschlossen am"])
    assert records[header + 1] == ["Anna Müller", "87.5", "2", "2026-02-10 12:00:00"]
    assert records[header + 2][:3] == ["'=1+2", "-1.5", "-3"], "numbers are not text"


async def test_csv_neutralises_every_payload() -> None:
    data: list[Row] = [{"name": p, "score": 1, "attempts": 1, "done": None} for p in PAYLOADS]
    body = await collect(export_stream("csv", INFO, COLUMNS, rows(data)))
    records = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    names = [r[0] for r in records[-len(PAYLOADS) :]]
    assert all(name.startswith("'") for name in names), names


async def test_xlsx_types_frozen_header_and_autofilter(tmp_path: object) -> None:
    body = await collect(export_stream("xlsx", INFO, COLUMNS, rows(DATA)))
    book = openpyxl.load_workbook(io.BytesIO(body))
    sheet = book["Bericht"]
    assert [c.value for c in sheet[1]] == ["Name", "Ergebnis", "Versuche", "Abgeschlossen am"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D3"
    name, score, attempts, done = (c.value for c in sheet[2])
    assert name == "Anna Müller"
    assert isinstance(score, float) and score == 87.5
    assert isinstance(attempts, int | float) and attempts == 2
    assert isinstance(done, datetime) and done == datetime(2026, 2, 10, 12, 0)
    assert sheet["A3"].value == "'=1+2"
    assert sheet["A3"].data_type == "s"
    info = [row[0].value for row in book["Info"].iter_rows()]
    assert any("Berichtsmodus: named" in str(v) for v in info)
    assert "named" in (book.properties.subject or "")


async def test_json_has_mode_and_rows() -> None:
    body = await collect(export_stream("json", INFO, COLUMNS, rows(DATA)))
    data = json.loads(body)
    assert data["mode"] == "named" and data["min_group"] == 5
    assert data["rows"][0] == {
        "name": "Anna Müller",
        "score": 87.5,
        "attempts": 2,
        "done": "2026-02-10 12:00:00",
    }
    assert len(data["rows"]) == 2


async def test_exports_stream_in_chunks() -> None:
    async def many() -> AsyncIterator[Row]:
        for i in range(50_000):
            yield {"name": f"Person {i}", "score": i % 100, "attempts": 1, "done": None}

    chunks = 0
    size = 0
    async for chunk in export_stream("csv", INFO, COLUMNS, many()):
        chunks += 1
        size += len(chunk)
        assert len(chunk) < 200_000, "no chunk holds the whole file"
    assert chunks > 10 and size > 900_000
    xlsx = await collect(export_stream("xlsx", INFO, COLUMNS, many()))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True)["Bericht"]
    assert sheet.max_row == 50_001
