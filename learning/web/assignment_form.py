"""The admin's assignment form: read and check every field, German messages per field.

Nothing is written here; `admin_assignments.assignment_create` writes only when the
form has no errors, so a bad field never leaves half an assignment behind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from starlette.datastructures import FormData

from learning.core.i18n import N_
from learning.rules.reminders import ScheduleError, parse_schedule
from learning.store.assignments import DueRule
from learning.web.forms import field as form_field

# The furthest a due date or a counted deadline may lie: ten years.
MAX_DAYS = 3660
MAX_RENEW_MONTHS = 240

_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


@dataclass(slots=True)
class AssignmentInput:
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    due: DueRule | None = None
    renew_months: int | None = None
    reminders: str | None = None
    group_id: int | None = None


FIELDS = (
    "course",
    "target",
    "group",
    "email",
    "due_kind",
    "due_on",
    "due_days",
    "renew",
    "reminders",
)


def parse_date(text: str) -> date | None:
    """YYYY-MM-DD (a date input) or TT.MM.JJJJ; None if it is no real day."""
    match = _GERMAN_DATE.match(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


def _whole_number(text: str) -> int | None:
    return int(text) if re.fullmatch(r"-?\d{1,6}", text) else None


def _due(values: dict[str, str], today: date, errors: dict[str, str]) -> DueRule | None:
    if values["due_kind"] == "days":
        days = _whole_number(values["due_days"])
        if days is None or not 1 <= days <= MAX_DAYS:
            errors["due_days"] = N_(
                "Bitte geben Sie die Frist als ganze Zahl von Tagen an, von 1 bis 3660."
            )
            return None
        return DueRule(days=days)
    if values["due_kind"] != "date":
        errors["due_kind"] = N_("Bitte wählen Sie, wie die Frist bestimmt wird.")
        return None
    on = parse_date(values["due_on"])
    if on is None:
        errors["due_on"] = N_(
            "Bitte geben Sie ein gültiges Fälligkeitsdatum ein, zum Beispiel 31.12.2026."
        )
    elif on < today:
        errors["due_on"] = N_("Das Fälligkeitsdatum liegt in der Vergangenheit.")
    elif (on - today).days > MAX_DAYS:
        errors["due_on"] = N_("Das Fälligkeitsdatum liegt mehr als zehn Jahre in der Zukunft.")
    else:
        return DueRule(on=on)
    return None


def _renewal(text: str, errors: dict[str, str]) -> int | None:
    if not text:
        return None
    months = _whole_number(text)
    if months is None or months < 1:
        errors["renew"] = N_(
            "Die Erneuerung braucht eine ganze Zahl von Monaten ab 1, oder bleibt leer."
        )
        return None
    if months > MAX_RENEW_MONTHS:
        errors["renew"] = N_("Die Erneuerung darf höchstens 240 Monate (20 Jahre) betragen.")
        return None
    return months


def _reminders(text: str, errors: dict[str, str]) -> str | None:
    if not text:
        return None
    try:
        return parse_schedule(text).text
    except ScheduleError as exc:
        errors["reminders"] = str(exc)
        return None


def read_form(form: FormData, today: date) -> AssignmentInput:
    """Every field checked; `errors` names each bad one with its German message."""
    values = {name: form_field(form, name, max_length=320) for name in FIELDS}
    result = AssignmentInput(values=values)
    errors = result.errors
    if not values["course"]:
        errors["course"] = N_("Bitte wählen Sie einen Kurs.")
    if values["target"] == "group":
        raw = values["group"]
        result.group_id = int(raw) if raw.isdigit() and len(raw) < 12 else None
        if result.group_id is None:
            errors["group"] = N_("Bitte wählen Sie eine Gruppe.")
    elif values["target"] == "user":
        if not values["email"]:
            errors["email"] = N_("Bitte geben Sie die E-Mail-Adresse der Person ein.")
    else:
        errors["target"] = N_("Bitte wählen Sie, ob Sie einer Gruppe oder einer Person zuweisen.")
    result.due = _due(values, today, errors)
    result.renew_months = _renewal(values["renew"], errors)
    result.reminders = _reminders(values["reminders"], errors)
    return result
