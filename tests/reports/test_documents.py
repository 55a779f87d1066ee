"""Exports parsed back: CSV with BOM and neutralised formulas, XLSX types, JSON."""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from learning.reports.documents import Column, ExportInfo, Row, export_stream, neutralise
from tests.helpers import split_export

COLUMNS = (
    Column("name", "Name"),
    Column("score", "Ergebnis", "number"),
    Column("attempts", "Versuche", "integer"),
    Column("done", "Abgeschlossen am", "datetime"),
)
INFO = ExportInfo("Bericht", "named", 5, {"Gruppe": "Nord"}, datetime(2026, 3, 1, 8, 5, tzinfo=UTC))
HEADER = ["Name", "Ergebnis", "Versuche", "Abgeschlossen am (Europe/Berlin)"]
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


async def test_semicolon_csv_is_german_excel_header_first_facts_after() -> None:
    body = await collect(export_stream("csv", INFO, COLUMNS, rows(DATA), delimiter=";"))
    assert body.startswith(b"\xef\xbb\xbf")
    records, facts = split_export(body)
    assert records[0] == HEADER, "the header is the first row"
    # 12:00 UTC in February is 13:00 in Berlin; decimal comma, German date.
    assert records[1] == ["Anna Müller", "87,5", "2", "10.02.2026 13:00"]
    assert records[2] == ["'=1+2", "-1,5", "-3", ""], "numbers are not text"
    assert facts["Berichtsmodus"].startswith("named")
    assert facts["Filter"] == "Gruppe: Nord"
    assert facts["Erstellt (Europe/Berlin)"] == "01.03.2026 09:05"


async def test_comma_csv_keeps_decimal_point_and_iso_dates() -> None:
    body = await collect(export_stream("csv", INFO, COLUMNS, rows(DATA), delimiter=","))
    records, facts = split_export(body, ",")
    assert records[0] == HEADER
    assert records[1] == ["Anna Müller", "87.5", "2", "2026-02-10 13:00"]
    assert facts["Berichtsmodus"].startswith("named")


async def test_summer_time_and_another_zone() -> None:
    data: list[Row] = [{"name": "A", "score": 1, "attempts": 1, "done": "2026-07-01 22:30:00"}]
    info = dataclasses.replace(INFO, zone=ZoneInfo("America/New_York"))
    records, _ = split_export(await collect(export_stream("csv", info, COLUMNS, rows(data))))
    assert records[0][-1] == "Abgeschlossen am (America/New_York)"
    assert records[1][-1] == "01.07.2026 18:30"
    berlin, _ = split_export(await collect(export_stream("csv", INFO, COLUMNS, rows(data))))
    assert berlin[1][-1] == "02.07.2026 00:30", "summer time: UTC+2, the date moves on"


async def test_csv_neutralises_every_payload() -> None:
    data: list[Row] = [{"name": p, "score": 1, "attempts": 1, "done": None} for p in PAYLOADS]
    body = await collect(export_stream("csv", INFO, COLUMNS, rows(data)))
    records, _ = split_export(body)
    names = [r[0] for r in records[1:]]
    assert len(names) == len(PAYLOADS)
    assert all(name.startswith("'") for name in names), names


async def test_xlsx_types_frozen_header_and_autofilter(tmp_path: object) -> None:
    body = await collect(export_stream("xlsx", INFO, COLUMNS, rows(DATA)))
    book = openpyxl.load_workbook(io.BytesIO(body))
    sheet = book["Bericht"]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D3"
    name, score, attempts, done = (c.value for c in sheet[2])
    assert name == "Anna Müller"
    assert isinstance(score, float) and score == 87.5
    assert isinstance(attempts, int | float) and attempts == 2
    assert isinstance(done, datetime) and done == datetime(2026, 2, 10, 13, 0), "local time"
    assert sheet["B2"].number_format == "0.0" and sheet["C2"].number_format == "0"
    assert sheet["D2"].number_format == "dd.mm.yyyy hh:mm"
    assert sheet["A3"].value == "'=1+2"
    assert sheet["A3"].data_type == "s"
    facts = {row[0].value: row[1].value for row in book["Info"].iter_rows()}
    assert str(facts["Berichtsmodus"]).startswith("named")
    assert facts["Filter"] == "Gruppe: Nord"
    assert facts["Erstellt (Europe/Berlin)"] == "01.03.2026 09:05"
    assert book.sheetnames == ["Bericht", "Info"]
    assert "named" in (book.properties.subject or "")


async def test_json_has_mode_and_rows() -> None:
    body = await collect(export_stream("json", INFO, COLUMNS, rows(DATA)))
    data = json.loads(body)
    assert data["mode"] == "named" and data["min_group"] == 5
    assert data["times"] == "UTC" and data["generated_at"] == "2026-03-01 08:05:00"
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
