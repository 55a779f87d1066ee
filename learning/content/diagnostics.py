"""Error and warning codes, and the collector every compiler stage reports into."""

from __future__ import annotations

from learning.content.model import Diagnostic, Severity

# The single list of codes: docs/authoring.md documents each one and the tests
# check that every code here can actually be produced.
CODES: dict[str, str] = {
    "E100": "Kursordner nicht gefunden",
    "E101": "Datei nicht lesbar oder nicht UTF-8",
    "E102": "YAML-Syntaxfehler im Front Matter",
    "E103": "Unbekannter Schlüssel im Front Matter",
    "E104": "Pflichtschlüssel im Front Matter fehlt",
    "E105": "Falscher Typ oder ungültiger Wert im Front Matter",
    "E106": "Front Matter fehlt oder ist nicht abgeschlossen",
    "E107": "Ungültige ID (erlaubt: a-z, 0-9, Bindestrich)",
    "E108": "Kurs-ID kommt in zwei Kursordnern vor",
    "E109": "Lektions-ID doppelt",
    "E110": "Kurs ohne Lektionen",
    "E111": "Kein Abschlusstest (Lektion mit kind: test)",
    "E112": "Mehr als ein Abschlusstest",
    "E113": "Abschlusstest ist nicht die letzte Lektionsdatei",
    "E114": "Abschlusstest ohne bewertete Frage",
    "E130": "'draw' außerhalb des Abschlusstests",
    "E131": "'draw' nennt eine Seite, die es im Test nicht gibt",
    "E132": "'draw' ist keine Zahl von 1 bis zur Zahl der Fragen der Seite",
    "E133": "'time_limit' außerhalb des Abschlusstests",
    "E134": "'reread' außerhalb des Abschlusstests",
    "E135": "'reread' nennt eine Seite, die es im Test nicht gibt",
    "E136": "'reread' nennt eine Lektion, die es im Kurs nicht gibt",
    "E137": "'scope' ist keine Zahl mit Einheit UE oder Stunden",
    "E120": "Kursordner oder course.md fehlt (die letzte fehlerfreie Fassung bleibt online)",
    "E115": "Steuerzeichen in der Datei",
    "E201": "Text vor der ersten Seitenüberschrift (##)",
    "E202": "Seiten-ID doppelt",
    "E203": "Lektion ohne Seiten",
    "E204": "Überschrift der Ebene 1 (#) nicht erlaubt",
    "E205": "Unbekannter Blocktyp oder ':::' ohne öffnenden Block",
    "E206": "Block wird nicht mit ':::' geschlossen",
    "E207": "Frage an dieser Stelle nicht erlaubt",
    "E208": "Überschrift ergibt keine ID",
    "E209": "Glossarbegriff doppelt",
    "E301": "Frage ohne gültige ID ({#frage-id})",
    "E302": "Frage-ID doppelt",
    "E303": "Optionsliste fehlt oder hat zu wenige Optionen",
    "E304": "Option ohne gültige Markierung oder gemischte Markierungen",
    "E305": "Einfachauswahl braucht genau eine richtige Option",
    "E306": "Mehrfachauswahl braucht mindestens eine richtige Option",
    "E307": "Richtig/Falsch-Frage hat nicht die Form 'richtig'/'falsch'",
    "E308": "Freitextfrage ohne akzeptierte Antwort",
    "E309": "Reihenfolge: Positionen sind nicht genau 1..n",
    "E310": "Zuordnung: Element nicht in der Form 'links = rechts'",
    "E311": "Fragetyp im Abschlusstest nicht erlaubt",
    "E312": "Unerwarteter Inhalt in einer Frage",
    "E313": "Fragetext fehlt",
    "E320": "Szenario ohne Schritte",
    "E321": "Schritt-ID doppelt",
    "E322": "Unbekanntes Sprungziel",
    "E323": "Schritt ist vom Start aus nicht erreichbar",
    "E324": "Kein Ende vom Start aus erreichbar",
    "E325": "Szenario-Option ohne Sprungziel (-> schritt-id)",
    "E401": "Unzulässiges Linkziel",
    "E402": "Unbekannter Glossarbegriff",
    "E403": "Bild ohne Alternativtext",
    "E404": "Mediendatei fehlt",
    "E405": "Unzulässiger Bildpfad oder Bildformat",
    "E406": "SVG-Datei enthält nicht erlaubte Elemente, Attribute oder Deklarationen",
    "E407": "Mediendatei ist ein Link aus dem Ordner media/ hinaus",
    "W101": "Datei im Kursordner wird nicht verwendet",
    "W301": "Frage ohne Erklärung",
    "W302": "Option ohne Feedback",
    "W401": "Fußnote verwendet, aber nicht definiert",
    "W501": "Richtige Antwort steht auffällig oft an derselben Position",
    "W502": "Richtige Antwort ist auffällig oft die längste",
    "W503": "Richtige Antwort ist viel länger als die anderen",
    "W504": "Option „alle/keine der genannten“",
    "W505": "Verneinung im Fragetext nicht hervorgehoben",
    "W506": "Option wiederholt ein auffälliges Wort des Fragetexts",
    "W507": "Mehrfachauswahl mit nur einer falschen Option",
    "W508": "Richtig/Falsch-Fragen fast alle mit derselben Lösung",
    "W509": "Frage im Abschlusstest wiederholt eine Wissensfrage",
    "W510": "Feedback beginnt mit „Richtig“, wird aber bei falscher Antwort gezeigt",
    "W511": "Szenario mit genau einer guten Option an jeder Entscheidung",
    "W512": "Prüfung aus: ohne Grund oder mit unbekanntem Code",
}
# The item-writing checks an author may switch off for one question ('Prüfung aus:').
SILENCEABLE: frozenset[str] = frozenset(f"W5{n:02d}" for n in range(1, 12))


class Diagnostics:
    """Collects every problem of one compile run; stages never stop at the first."""

    def __init__(self) -> None:
        self.errors: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []

    def error(self, path: str, line: int, code: str, message: str) -> None:
        self._add(self.errors, path, line, code, message, "error")

    def warning(self, path: str, line: int, code: str, message: str) -> None:
        self._add(self.warnings, path, line, code, message, "warning")

    def _add(
        self,
        into: list[Diagnostic],
        path: str,
        line: int,
        code: str,
        message: str,
        severity: Severity,
    ) -> None:
        if code not in CODES:  # a typo in a code would silently break the docs contract
            raise ValueError(f"unknown diagnostic code {code}")
        into.append(Diagnostic(path, max(line, 1), code, message, severity))

    def sorted_errors(self) -> tuple[Diagnostic, ...]:
        return tuple(sorted(self.errors, key=_order))

    def sorted_warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(sorted(self.warnings, key=_order))


def _order(d: Diagnostic) -> tuple[str, int, str]:
    return (d.path, d.line, d.code)
