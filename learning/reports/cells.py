"""What an export says and how each cell is written: columns, report facts, cell text.

Exports follow the reader: the semicolon CSV is for German Excel (decimal comma,
TT.MM.JJJJ HH:MM), the comma CSV for other tools (decimal point, JJJJ-MM-TT HH:MM).
Both write times in the configured zone and name it in the column header; JSON keeps
the stored UTC text (`YYYY-MM-DD HH:MM:SS`), because programs read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from learning.core.clock import DB_FORMAT

# "date" is a calendar day (due dates), kept as it is: no zone to convert it from.
Kind = Literal["text", "number", "integer", "datetime", "date"]
Style = Literal["de", "plain"]
Row = Mapping[str, object]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
GERMAN_DATETIME = "%d.%m.%Y %H:%M"
PLAIN_DATETIME = "%Y-%m-%d %H:%M"
DEFAULT_ZONE = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    kind: Kind = "text"

    def heading(self, zone: ZoneInfo) -> str:
        """The header cell: a time column names the zone its times are in."""
        return f"{self.title} ({zone.key})" if self.kind == "datetime" else self.title


@dataclass(frozen=True, slots=True)
class ExportInfo:
    title: str
    mode: str  # "aggregate" or "named"; "" where no report mode applies (the audit log)
    min_group: int
    filters: Mapping[str, str]  # label -> readable value, e.g. {"Gruppe": "Jobcenter Nord"}
    generated_at: datetime
    note: str | None = None  # why an aggregate export holds no figures
    zone: ZoneInfo = field(default=DEFAULT_ZONE)

    def mode_text(self) -> str:
        if self.mode == "aggregate":
            return f"aggregate – aggregiert (nur Gruppen ab {self.min_group} Personen, keine Namen)"
        return f"{self.mode} – namentlich"

    def filter_text(self) -> str:
        return ", ".join(f"{k}: {v}" for k, v in self.filters.items() if v) or "keine"

    def facts(self) -> list[tuple[str, str]]:
        """The report's metadata as (label, value): the CSV's trailing block, the Info sheet."""
        made = local_moment(self.generated_at, self.zone)
        return [
            ("Bericht", self.title),
            *([("Berichtsmodus", self.mode_text())] if self.mode else []),
            ("Filter", self.filter_text()),
            (f"Erstellt ({self.zone.key})", made.strftime(GERMAN_DATETIME) if made else ""),
            *([("Hinweis", self.note)] if self.note else []),
        ]


def neutralise(value: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading quote."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def as_utc(value: object) -> datetime | None:
    """A stored time (UTC text or datetime) as an aware UTC datetime."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and value:
        try:
            return datetime.strptime(value, DB_FORMAT).replace(tzinfo=UTC)
        except ValueError:
            return None
    return None


def local_moment(value: object, zone: ZoneInfo) -> datetime | None:
    """The time in the export's zone, without tzinfo (as a spreadsheet cell holds it)."""
    moment = as_utc(value)
    return None if moment is None else moment.astimezone(zone).replace(tzinfo=None)


def number_text(value: float, style: Style) -> str:
    text = str(int(value)) if float(value).is_integer() else repr(float(value))
    return text.replace(".", ",") if style == "de" else text


def cell_text(value: object, kind: Kind, zone: ZoneInfo, style: Style) -> str:
    """One CSV cell: numbers with the style's decimal mark, times local, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, int | float):
        return number_text(value, style)
    if kind == "datetime" and (moment := local_moment(value, zone)) is not None:
        return moment.strftime(GERMAN_DATETIME if style == "de" else PLAIN_DATETIME)
    if kind == "date" and (day := calendar_day(value)) is not None:
        return day.strftime("%d.%m.%Y") if style == "de" else day.isoformat()
    return neutralise(str(value))


def calendar_day(value: object) -> date | None:
    """An ISO day ('2026-12-02') or a date as a date; None for anything else."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
