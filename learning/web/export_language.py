"""Exports in the reader's UI language: column titles and status labels.

The export modules (reports/) write German, as the service's own language; an admin
who reads the UI in English downloads headers and statuses in English too. Names,
course content and free text are left as they are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable, Iterable, Sequence

from learning.reports.cells import Column, Row
from learning.reports.export import STATUS_LABELS
from learning.store.assignments import STATUS_LABELS as ASSIGNMENT_LABELS

# Row keys whose values are labels chosen by the service, not typed by anyone.
LABEL_KEYS = ("status", "assignment_status")


def translated_columns(columns: Sequence[Column], translate: Callable[[str], str]) -> list[Column]:
    return [dataclasses.replace(c, title=translate(c.title)) for c in columns]


def translated_rows(
    rows: AsyncIterator[Row],
    translate: Callable[[str], str],
    labels: Iterable[str] = (*STATUS_LABELS.values(), *ASSIGNMENT_LABELS.values()),
) -> AsyncIterator[Row]:
    # Looked up now, in the request's language: the rows are written while streaming.
    table = {label: translate(label) for label in labels}

    async def rows_in_language() -> AsyncIterator[Row]:
        async for row in rows:
            yield {
                key: table.get(value, value)
                if key in LABEL_KEYS and isinstance(value, str)
                else value
                for key, value in row.items()
            }

    return rows_in_language()
