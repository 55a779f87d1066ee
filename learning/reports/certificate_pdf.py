"""The certificate as a PDF (fpdf2), with a bundled Unicode font for umlauts and quotes."""

from __future__ import annotations

from datetime import datetime
from importlib import resources

from fpdf import FPDF

from learning.core.i18n import local_date


def _font_path(name: str) -> str:
    return str(resources.files("learning").joinpath(f"fonts/{name}"))


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
) -> bytes:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(f"Teilnahmebescheinigung – {course_title}")
    pdf.set_author("Interkulturell beraten")
    pdf.set_lang("de-DE")
    pdf.set_creation_date(issued)
    pdf.add_font("DejaVu", "", _font_path("DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", _font_path("DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_draw_color(20, 54, 93)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 190, 277)

    pdf.set_y(32)
    pdf.set_font("DejaVu", "B", 26)
    pdf.set_text_color(20, 54, 93)
    pdf.cell(0, 14, "Teilnahmebescheinigung", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(27, 27, 27)
    pdf.ln(8)
    pdf.set_font("DejaVu", "", 13)
    pdf.cell(0, 8, "Hiermit wird bestätigt, dass", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 20)
    pdf.multi_cell(0, 11, learner_name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("DejaVu", "", 13)
    pdf.cell(0, 8, "das Lernmodul", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 9, f"„{course_title}“", align="C", new_x="LMARGIN", new_y="NEXT")
    if course_subtitle:
        pdf.set_font("DejaVu", "", 12)
        pdf.multi_cell(0, 7, course_subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("DejaVu", "", 13)
    pdf.multi_cell(
        0,
        8,
        f"am {local_date(issued, 'de', long=True)} erfolgreich abgeschlossen hat.\n"
        f"Umfang: etwa {duration_minutes} Minuten Selbstlernzeit einschließlich Abschlusstest.",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(8)
    pdf.set_x(25)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 8, "Inhalte", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    for topic in topics:
        pdf.set_x(25)
        pdf.multi_cell(160, 6.5, f"• {topic}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(-62)
    pdf.set_font("DejaVu", "", 10)
    pdf.set_x(25)
    pdf.multi_cell(
        160,
        6,
        f"Prüfcode: {code}\nDie Echtheit lässt sich prüfen unter:\n{verify_url}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
