"""The certificate: one A4 page naming the issuer (with logo), the scope and the check."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image

from learning.reports.certificate_pdf import Issuer, certificate_pdf, scope_sentence


def _pdf(issuer: Issuer, topics: list[str] | None = None, scope: str = "") -> bytes:
    return certificate_pdf(
        learner_name="Jürgen Öztürk-Weiß",
        course_title="Alles nur Kultur?",
        course_subtitle="Begriffe und Modelle",
        issued=datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
        duration_minutes=125,
        topics=["Kultur", "Modelle"] if topics is None else topics,
        code="ABCD-EFGH-JKLM",
        verify_url="https://lernen.example.org/verify/ABCD-EFGH-JKLM",
        issuer=issuer,
        scope=scope,
    )


def test_the_issuer_and_its_logo_are_on_the_certificate(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 60), (20, 54, 93)).save(logo)
    body = _pdf(Issuer("Stadt Leipzig", logo), scope="3 Unterrichtseinheiten")
    assert body.startswith(b"%PDF")
    assert b"/Author (Stadt Leipzig)" in body
    assert b"/Subtype /Image" in body, "the logo is embedded"
    assert re.findall(rb"/Count (\d+)", body) == [b"1"], "one page"
    plain = _pdf(Issuer("Stadt Leipzig"))
    assert b"/Subtype /Image" not in plain


def test_many_topics_still_fit_on_one_page() -> None:
    body = _pdf(Issuer("Amt"), topics=[f"Thema {i} mit längerem Titel" for i in range(40)])
    assert re.findall(rb"/Count (\d+)", body) == [b"1"]


def test_the_scope_comes_from_course_md_or_the_duration() -> None:
    assert scope_sentence("3 Unterrichtseinheiten (UE, je 45 Minuten)", 125).startswith(
        "Umfang: 3 Unterrichtseinheiten (UE, je 45 Minuten)\n"
    )
    assert scope_sentence("", 125).startswith("Umfang: etwa 125 Minuten Lernzeit\n")
