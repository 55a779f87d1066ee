"""The certificate as a PDF (fpdf2), laid out like a Teilnahmebescheinigung of a public body.

Top: the issuing organisation with its logo. Middle: title, name, course, date, scope,
the course's contents. Bottom: place for the signature with the organisation, and the
verification code with its URL. A bundled Unicode font carries umlauts and quotes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path

from fpdf import FPDF

from learning.core.i18n import local_date, local_day

NAVY = (20, 54, 93)
INK = (27, 27, 27)
GREY = (90, 90, 90)
LEFT = 25.0
WIDTH = 160.0
# More topics than this are set smaller, so the certificate stays one page.
TOPICS_AT_FULL_SIZE = 8
TOPICS_END = 214.0  # mm from the top: below this the signature block begins


@dataclass(frozen=True, slots=True)
class Issuer:
    """Who hands the certificate out: from LEARNING_ORG_NAME and LEARNING_ORG_LOGO."""

    name: str
    logo: Path | None = None


def _font_path(name: str) -> str:
    return str(resources.files("learning").joinpath(f"fonts/{name}"))


def _centred(pdf: FPDF, size: float, text: str, *, bold: bool = False, height: float = 8) -> None:
    pdf.set_font("DejaVu", "B" if bold else "", size)
    pdf.multi_cell(0, height, text, align="C", new_x="LMARGIN", new_y="NEXT")


def _header(pdf: FPDF, issuer: Issuer) -> None:
    """The organisation's logo (at most 22 mm high) and name, above a rule."""
    top = 20.0
    if issuer.logo is not None:
        pdf.image(str(issuer.logo), x=LEFT, y=top, h=22, keep_aspect_ratio=True)
    pdf.set_xy(LEFT + 60, top + 4)
    pdf.set_font("DejaVu", "B", 12)
    pdf.set_text_color(*NAVY)
    pdf.multi_cell(WIDTH - 60, 6, issuer.name, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*NAVY)
    pdf.set_line_width(0.6)
    pdf.line(LEFT, top + 27, LEFT + WIDTH, top + 27)


def _topics(pdf: FPDF, topics: list[str]) -> None:
    if not topics:
        return
    small = len(topics) > TOPICS_AT_FULL_SIZE
    pdf.set_x(LEFT)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 7, "Inhalte", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9 if small else 10.5)
    for shown, topic in enumerate(topics):
        if pdf.get_y() > TOPICS_END:
            pdf.set_x(LEFT + 2)
            pdf.cell(0, 5, f"… und {len(topics) - shown} weitere", new_x="LMARGIN", new_y="NEXT")
            return
        pdf.set_x(LEFT + 2)
        pdf.multi_cell(
            WIDTH - 2, 4.8 if small else 5.8, f"•  {topic}", new_x="LMARGIN", new_y="NEXT"
        )


def _signature(pdf: FPDF, issuer: Issuer, issued: datetime) -> None:
    """Date and the organisation under a signature line; the note that none is needed."""
    y = 228.0
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    pdf.line(LEFT, y, LEFT + 65, y)
    pdf.line(LEFT + WIDTH - 75, y, LEFT + WIDTH, y)
    pdf.set_font("DejaVu", "", 9)
    pdf.set_text_color(*GREY)
    pdf.set_xy(LEFT, y + 1.5)
    pdf.cell(65, 5, f"Ausgestellt am {local_date(issued, 'de')}")
    pdf.set_xy(LEFT + WIDTH - 75, y + 1.5)
    pdf.multi_cell(75, 5, f"Für {issuer.name}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(LEFT, y + 12)
    pdf.multi_cell(
        WIDTH,
        4.5,
        "Diese Bescheinigung wurde elektronisch erstellt und ist ohne Unterschrift gültig.",
        new_x="LMARGIN",
        new_y="NEXT",
    )


def _verification(pdf: FPDF, code: str, verify_url: str) -> None:
    pdf.set_draw_color(*NAVY)
    pdf.set_line_width(0.3)
    pdf.rect(LEFT, 252, WIDTH, 22)
    pdf.set_xy(LEFT + 4, 254)
    pdf.set_text_color(*INK)
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(0, 6, f"Prüfcode: {code}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(LEFT + 4)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(
        WIDTH - 8,
        4.8,
        f"Die Echtheit lässt sich mit dem Prüfcode prüfen unter:\n{verify_url}",
        new_x="LMARGIN",
        new_y="NEXT",
    )


def scope_sentence(scope: str, duration_minutes: int) -> str:
    """The scope from course.md's `scope:`, else the planned learning time in minutes."""
    amount = scope or f"etwa {duration_minutes} Minuten Lernzeit"
    return f"Umfang: {amount}\nForm: Selbstlernkurs (E-Learning) mit Abschlusstest"


def certificate_pdf(
    *,
    learner_name: str,
    course_title: str,
    course_subtitle: str,
    issued: datetime,
    duration_minutes: int,
    topics: list[str],
    code: str,
    verify_url: str,
    valid_until: date | None = None,
    issuer: Issuer,
    scope: str = "",
) -> bytes:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(f"Teilnahmebescheinigung – {course_title}")
    pdf.set_author(issuer.name)
    pdf.set_subject(f"Teilnahmebescheinigung für {learner_name}")
    pdf.set_lang("de-DE")
    pdf.set_creation_date(issued)
    pdf.add_font("DejaVu", "", _font_path("DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", _font_path("DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(LEFT, 20, LEFT)
    pdf.add_page()
    _header(pdf, issuer)

    pdf.set_y(62)
    pdf.set_text_color(*NAVY)
    _centred(pdf, 26, "Teilnahmebescheinigung", bold=True, height=13)
    pdf.set_text_color(*INK)
    pdf.ln(6)
    _centred(pdf, 12, "Hiermit wird bestätigt, dass")
    pdf.ln(2)
    _centred(pdf, 20, learner_name, bold=True, height=10)
    pdf.ln(2)
    _centred(pdf, 12, f"am {local_date(issued, 'de')} die Fortbildung")
    pdf.ln(1)
    _centred(pdf, 15, f"„{course_title}“", bold=True)
    if course_subtitle:
        _centred(pdf, 11, course_subtitle, height=6)
    pdf.ln(1)
    _centred(pdf, 12, "erfolgreich abgeschlossen und den Abschlusstest bestanden hat.")
    pdf.ln(3)
    validity = f"\nGültig bis {local_day(valid_until, 'de')}" if valid_until else ""
    _centred(pdf, 11, scope_sentence(scope, duration_minutes) + validity, height=6)
    pdf.ln(6)
    _topics(pdf, topics)
    _signature(pdf, issuer, issued)
    _verification(pdf, code, verify_url)
    return bytes(pdf.output())
