"""The audit log as an admin reads it: a German label per action, names, readable details.

Every action code written anywhere (`web/admin_common.audit`, `store/audit.record`) has a
label here; `tests/reports/test_audit_log.py` fails on a code without one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from learning.core.clock import to_db
from learning.core.i18n import N_
from learning.reports.cells import Column, Row
from learning.store.audit import AuditEntry, AuditFilter

ACTION_LABELS: dict[str, str] = {
    "setup.first_admin": N_("Ersten Admin eingerichtet"),
    "user.create": N_("Konto angelegt"),
    "user.update": N_("Konto geändert"),
    "user.import": N_("Konten per CSV importiert"),
    "user.disable": N_("Konto gesperrt"),
    "user.enable": N_("Konto entsperrt"),
    "user.link.invite": N_("Einladungslink erstellt"),
    "user.link.reset": N_("Link zum Zurücksetzen des Passworts erstellt"),
    "user.accept_invite": N_("Einladung angenommen"),
    "user.password_reset": N_("Passwort über Link neu gesetzt"),
    "user.password_change": N_("Passwort geändert"),
    "user.extra_time": N_("Zeitausgleich geändert"),
    "user.export": N_("Daten einer Person exportiert"),
    "user.anonymise": N_("Konto anonymisiert"),
    "user.delete": N_("Konto gelöscht"),
    "enrolment.add": N_("In Kurs eingeschrieben"),
    "enrolment.group": N_("Gruppe in Kurs eingeschrieben"),
    "progress.reset": N_("Lernstand zurückgesetzt"),
    "group.create": N_("Gruppe angelegt"),
    "report.export": N_("Bericht exportiert"),
    "audit.export": N_("Protokoll exportiert"),
    "course.retire": N_("Kurs ausgemustert"),
    "course.reinstate": N_("Kurs wieder angeboten"),
    "course.trainer_assign": N_("Trainer:in einem Kurs zugeordnet"),
    "course.trainer_unassign": N_("Zuordnung einer Trainer:in aufgehoben"),
    "data.purge": N_("Alte Lerndaten gelöscht"),
    "assignment.create": N_("Kurs mit Frist zugewiesen"),
    "assignment.remove": N_("Zuweisung entfernt"),
    "enrolment.remove": N_("Aus einem Kurs abgemeldet"),
    "mail.queued": N_("E-Mail zum Versand vorgemerkt"),
    "mail.retry": N_("E-Mail erneut zum Versand vorgemerkt"),
    "user.reset_requested": N_("Passwort-Zurücksetzen angefordert (Passwort vergessen)"),
    "reminders.run": N_("Erinnerungen verschickt"),
}

TARGET_LABELS: dict[str, str] = {
    "user": N_("Konto"),
    "group": N_("Gruppe"),
    "course": N_("Kurs"),
    "assignment": N_("Zuweisung"),
}

DETAIL_LABELS: dict[str, str] = {
    "course": N_("Kurs"),
    "courses": N_("Kurse"),
    "format": N_("Format"),
    "role": N_("Rolle"),
    "group_id": N_("Gruppe"),
    "group": N_("Gruppe"),
    "name": N_("Name"),
    "added": N_("neu eingeschrieben"),
    "count": N_("Anzahl"),
    "via": N_("über"),
    "older_than_days": N_("älter als (Tage)"),
    "removed": N_("gelöscht"),
    "status": N_("Status"),
    "from": N_("von"),
    "to": N_("bis"),
    "minutes": N_("Minuten"),
    "percent": N_("Prozent"),
}

# The export's columns in order: adding one is one line here and one key in `entry_row`.
AUDIT_COLUMNS = (
    Column("at", N_("Zeitpunkt"), "datetime"),
    Column("actor", N_("Wer")),
    Column("actor_email", N_("E-Mail (wer)")),
    Column("action", N_("Aktion")),
    Column("code", N_("Aktionscode")),
    Column("target", N_("Betrifft")),
    Column("details", N_("Einzelheiten")),
)

Translate = Callable[[str], str]


def action_label(code: str, translate: Translate) -> str:
    label = ACTION_LABELS.get(code)
    return translate(label) if label else code


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    return str(value)


Lookups = Mapping[str, Mapping[str, str]]  # detail key -> stored value -> name


def details_text(
    details: Mapping[str, Any], translate: Translate, names: Lookups | None = None
) -> str:
    """ "Kurs: Alles nur Kultur?; Format: csv" instead of the stored JSON and ids."""
    parts = []
    for key, value in details.items():
        if value in ("", None, [], {}):
            continue
        label = DETAIL_LABELS.get(key)
        shown = (names or {}).get(key, {}).get(str(value)) or _value(value)
        parts.append(f"{translate(label) if label else key}: {shown}")
    return "; ".join(parts)


def actor_text(entry: AuditEntry, translate: Translate) -> str:
    if entry.actor_name:
        return entry.actor_name
    if entry.actor_email == "cli":
        return translate(N_("Kommandozeile"))
    return entry.actor_email or "–"


def target_text(entry: AuditEntry, course_titles: Mapping[str, str], translate: Translate) -> str:
    """What the action concerned, by name: „Konto Anna Beispiel (anna@example.org)“."""
    if entry.target_type is None:
        return ""
    kind = TARGET_LABELS.get(entry.target_type)
    kind_text = translate(kind) if kind else entry.target_type
    name = entry.target_name
    if entry.target_type == "course":
        name = course_titles.get(entry.target_id or "", entry.target_id)
    if entry.target_email and entry.target_email != name:
        name = f"{name} ({entry.target_email})"
    return f"{kind_text} {name or entry.target_id or ''}".strip()


@dataclass(frozen=True, slots=True)
class DateRange:
    """Local calendar days as UTC bounds: from the first day's midnight to after the last."""

    since: date | None
    until: date | None

    def bounds(self, zone: ZoneInfo) -> tuple[str | None, str | None]:
        def start(day: date) -> str:
            return to_db(datetime.combine(day, time(), tzinfo=zone).astimezone(UTC))

        return (
            start(self.since) if self.since else None,
            start(self.until + timedelta(days=1)) if self.until else None,
        )


def audit_filter(action: str, person: str, days: DateRange, zone: ZoneInfo) -> AuditFilter:
    since, until = days.bounds(zone)
    return AuditFilter(action=action or None, person=person or None, since=since, until=until)


def entry_row(
    entry: AuditEntry, course_titles: Mapping[str, str], translate: Translate, names: Lookups
) -> Row:
    return {
        "at": entry.at,
        "actor": actor_text(entry, translate),
        "actor_email": entry.actor_email or "",
        "action": action_label(entry.action, translate),
        "code": entry.action,
        "target": target_text(entry, course_titles, translate),
        "details": details_text(entry.details, translate, names),
    }


async def entry_rows(
    entries: Sequence[AuditEntry],
    course_titles: Mapping[str, str],
    translate: Translate,
    names: Lookups,
) -> AsyncIterator[Row]:
    for entry in entries:
        yield entry_row(entry, course_titles, translate, names)
