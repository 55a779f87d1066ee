"""CSV import of accounts: parse and validate the whole file before anything is stored."""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from learning.accounts.emails import valid_email
from learning.core.i18n import N_
from learning.store.users import ROLES, Role

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000  # the signed preview must stay below the 1 MB form-field limit
MAX_NAME = 200


_HEADERS = {
    "email": "email",
    "e-mail": "email",
    "mail": "email",
    "e-mail-adresse": "email",
    "name": "name",
    "role": "role",
    "rolle": "role",
    "group": "group",
    "gruppe": "group",
    "organisation": "group",
}

_ROLES: dict[str, Role] = {
    "learner": "learner",
    "lernende": "learner",
    "lernender": "learner",
    "lernende/r": "learner",
    "teilnehmende": "learner",
    "teilnehmer": "learner",
    "teilnehmerin": "learner",
    "trainer": "trainer",
    "trainerin": "trainer",
    "trainer/in": "trainer",
    "trainer*in": "trainer",
    "trainer:in": "trainer",
    "trainer_in": "trainer",
    "trainerinnen": "trainer",
    "admin": "admin",
    "administrator": "admin",
    "administratorin": "admin",
    "administrator/in": "admin",
    "administrator*in": "admin",
}
# The names the preview and the messages use (the UI's terms, web/admin_accounts.py).
ROLE_NAMES: dict[Role, str] = {"learner": "Lernende", "trainer": "Trainer/in", "admin": "Admin"}
WINDOWS_1252_NOTE = N_(
    "Die Datei war nicht UTF-8-kodiert und wurde als Windows-1252 (Excel „CSV (Trennzeichen-"
    "getrennt)“) gelesen. Prüfen Sie Umlaute und ß in der Vorschau; speichern Sie sonst als"
    " „CSV UTF-8“."
)


@dataclass(frozen=True, slots=True)
class ImportRow:
    line: int
    email: str
    name: str
    role: Role
    group: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportRow:
        role = str(data["role"])
        if role not in ROLES:
            raise ValueError(role)
        return cls(
            int(data["line"]), str(data["email"]), str(data["name"]), role, str(data["group"])
        )


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    message: str


@dataclass(frozen=True, slots=True)
class Parsed:
    rows: tuple[ImportRow, ...]
    errors: tuple[RowError, ...]
    encoding: str = "utf-8"
    delimiter: str = ","

    @property
    def groups(self) -> tuple[str, ...]:
        """The group names the rows use, once each (case-insensitively), in file order."""
        seen: dict[str, str] = {}
        for row in self.rows:
            if row.group:
                seen.setdefault(row.group.lower(), row.group)
        return tuple(seen.values())


def _bad_characters(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\t" for ch in text)


def _decode(data: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-8 (with or without BOM), else Windows-1252 (Excel)."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        # Bytes cp1252 leaves undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d) still fail here.
        return data.decode("cp1252"), "windows-1252"


def _delimiter(first_line: str) -> str:
    """Excel writes `;` in German settings and `,` in English ones; a tab is possible too."""
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def parse_users_csv(data: bytes) -> Parsed:
    """All rows and all problems; the caller imports nothing unless `errors` is empty."""
    if len(data) > MAX_BYTES:
        return Parsed((), (RowError(0, "Die Datei ist zu groß (höchstens 2 MB)."),))
    try:
        text, encoding = _decode(data)
    except UnicodeDecodeError:
        return Parsed(
            (),
            (RowError(0, "Die Datei ist weder UTF-8 noch Windows-1252: keine Textdatei?"),),
        )
    if "\x00" in text:
        return Parsed((), (RowError(0, "Die Datei enthält Nullzeichen: keine CSV-Datei?"),))
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return Parsed((), (RowError(1, "Die Datei ist leer oder die Kopfzeile fehlt."),))
    delimiter = _delimiter(lines[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return Parsed((), (RowError(1, "Die Kopfzeile ist nicht lesbar."),))
    columns = [_HEADERS.get(h.strip().lower()) for h in header]
    missing = [c for c in ("email", "name") if c not in columns]
    if missing:
        return Parsed(
            (),
            (
                RowError(
                    1,
                    "Die Kopfzeile braucht die Spalten email und name, dazu role und group"
                    f" (auch: E-Mail, Name, Rolle, Gruppe); es fehlt: {', '.join(missing)}.",
                ),
            ),
        )
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) + len(errors) >= MAX_ROWS:
                errors.append(RowError(line, f"Höchstens {MAX_ROWS} Zeilen je Import."))
                break
            values = {c: record[i].strip() for i, c in enumerate(columns) if c and i < len(record)}
            problems = _row_problems(values, seen, line)
            if problems:
                errors.extend(RowError(line, p) for p in problems)
                continue
            email = values["email"]
            seen[email.lower()] = line
            rows.append(
                ImportRow(
                    line,
                    email,
                    values["name"],
                    _ROLES[(values.get("role") or "learner").lower()],
                    values.get("group", ""),
                )
            )
    except csv.Error as exc:
        errors.append(RowError(reader.line_num, f"Die Zeile ist kein gültiges CSV ({exc})."))
    if not rows and not errors:
        errors.append(RowError(1, "Die Datei enthält keine Konten."))
    return Parsed(tuple(rows), tuple(errors), encoding, delimiter)


def _row_problems(values: dict[str, str], seen: dict[str, int], line: int) -> list[str]:
    problems: list[str] = []
    email = values.get("email", "")
    name = values.get("name", "")
    role = (values.get("role") or "learner").lower()
    group = values.get("group", "")
    if not valid_email(email):
        problems.append(f"Ungültige E-Mail-Adresse: „{email[:80]}“.")
    elif email.lower() in seen:
        problems.append(f"Die E-Mail-Adresse steht schon in Zeile {seen[email.lower()]}.")
    if not name:
        problems.append("Der Name fehlt.")
    elif len(name) > MAX_NAME:
        problems.append(f"Der Name ist länger als {MAX_NAME} Zeichen.")
    if role not in _ROLES:
        problems.append(
            f"Unbekannte Rolle „{role[:40]}“: erlaubt sind Lernende, Trainer/in und Admin"
            " (oder learner, trainer, admin)."
        )
    if len(group) > MAX_NAME:
        problems.append(f"Der Gruppenname ist länger als {MAX_NAME} Zeichen.")
    if _bad_characters(name) or _bad_characters(group):
        problems.append("Name oder Gruppe enthalten unzulässige Steuerzeichen.")
    return problems


def existing_problems(rows: tuple[ImportRow, ...], existing: set[str]) -> tuple[RowError, ...]:
    return tuple(
        RowError(row.line, f"Für {row.email} gibt es bereits ein Konto.")
        for row in rows
        if row.email.lower() in existing
    )
