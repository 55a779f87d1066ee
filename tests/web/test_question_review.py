"""After a knowledge check the review says, per question type, what the learner chose,
whether it was right, and what was right (templates/_question.html, option_review)."""

from __future__ import annotations

import httpx
import pytest
from bs4 import BeautifulSoup, Tag

from tests.conftest import LoginAs, soup, tag
from tests.web.learner_flow import COURSE, answer, enrol


@pytest.fixture
async def enrolled(client: httpx.AsyncClient, login_as: LoginAs) -> None:
    await login_as("learner")
    await enrol(client)


async def _review(
    client: httpx.AsyncClient, page: str, question: str, data: dict[str, str | list[str]]
) -> Tag:
    response = await answer(client, page, question, data)
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"#result-{question}")
    html = soup(await client.get(f"/courses/{COURSE}/pages/{page}"))
    return tag(html, id=f"q-{question}")


def _words(node: Tag | BeautifulSoup) -> str:
    return " ".join(node.get_text(" ").split())


def _row(section: Tag, text: str) -> Tag:
    rows = [li for li in section.select(".review-item") if text in li.get_text()]
    assert len(rows) == 1, f"no single review row with {text!r}"
    return rows[0]


async def test_true_false_says_the_answer_and_whether_it_holds(
    client: httpx.AsyncClient, enrolled: None
) -> None:
    wrong = await _review(client, "zeit", "zwiebel-1", {"zwiebel-1": "2"})
    line = _words(tag(wrong, class_="review-line"))
    assert line == "Ihre Antwort: falsch – ✗ das stimmt nicht Richtig ist: richtig"
    assert "Doch: die Werte liegen im Kern." in _words(tag(wrong, class_="feedback"))
    right = await _review(client, "zeit", "zwiebel-1", {"zwiebel-1": "1"})
    assert _words(tag(right, class_="review-line")) == "Ihre Antwort: richtig – ✓ das stimmt"
    for section in (wrong, right):
        text = _words(section)
        assert "richtig richtig" not in text and "nicht richtig falsch" not in text


async def test_multiple_choice_marks_missed_chosen_wrong_and_chosen_right(
    client: httpx.AsyncClient, enrolled: None
) -> None:
    section = await _review(client, "eisberg-fragen", "eisberg-2", {"eisberg-2": ["1", "3"]})
    assert "richtig gewählt" in _words(tag(_row(section, "Kleidung"), class_="marks"))
    assert "hätten Sie auch wählen müssen" in _words(tag(_row(section, "Sprache"), class_="marks"))
    assert "falsch gewählt" in _words(tag(_row(section, "Werte"), class_="marks"))
    section = await _review(client, "eisberg-fragen", "eisberg-2", {"eisberg-2": ["1", "2"]})
    assert "zu Recht nicht gewählt" in _words(tag(_row(section, "Werte"), class_="marks"))


async def test_single_choice_marks_the_wrong_pick_and_the_right_answer(
    client: httpx.AsyncClient, enrolled: None
) -> None:
    section = await _review(client, "eisberg-fragen", "eisberg-1", {"eisberg-1": "1"})
    assert _words(tag(_row(section, "Kleidung"), class_="marks")) == "✗ falsch gewählt"
    assert _words(tag(_row(section, "Werte und Normen"), class_="marks")) == "! richtige Antwort"


async def test_ordering_gives_each_item_its_given_and_its_right_position(
    client: httpx.AsyncClient, enrolled: None
) -> None:
    # Source order: Minimierung (3), Verleugnung (1), Abwehr (2).
    data: dict[str, str | list[str]] = {"dmis-1.1": "3", "dmis-1.2": "2", "dmis-1.3": "1"}
    section = await _review(client, "stufen", "dmis-1", data)
    assert "Ihre Position: 3 – ✓ richtig" in _words(_row(section, "Minimierung"))
    assert "Ihre Position: 2 – ✗ falsch richtig ist Position 1" in _words(
        _row(section, "Verleugnung")
    )
    assert "Ihre Position: 1 – ✗ falsch richtig ist Position 2" in _words(_row(section, "Abwehr"))


async def test_matching_shows_the_pick_and_the_correct_pairing_per_row(
    client: httpx.AsyncClient, enrolled: None
) -> None:
    # Symbole and Werte swapped; Rituale right.
    data: dict[str, str | list[str]] = {"zwiebel-2.1": "2", "zwiebel-2.2": "1", "zwiebel-2.3": "3"}
    section = await _review(client, "stufen", "zwiebel-2", data)
    symbole = _row(section, "Symbole")
    assert (
        "Ihre Zuordnung: Vorstellungen von gut und böse – ✗ falsch Richtig ist: Worte, Gesten,"
        " Bilder" in _words(symbole)
    )
    # The feedback written for the right pair says so; it does not explain the wrong pick.
    feedback = tag(symbole, class_="feedback")
    assert _words(tag(feedback, class_="feedback-label")) == "Zur richtigen Zuordnung:"
    assert "Symbole liegen außen." in _words(feedback)
    assert "Ihre Zuordnung: Begrüßungen, Zeremonien – ✓ richtig" in _words(_row(section, "Rituale"))


async def test_text_answer_says_whether_it_was_accepted(
    client: httpx.AsyncClient, enrolled: None
) -> None:
    section = await _review(client, "zeit", "hall-1", {"hall-1": "monochron"})
    assert "Ihre Antwort: monochron – ✗ nicht richtig" in _words(section)
    assert "Akzeptierte Antworten: polychron , polychrone Zeit" in _words(section)


async def test_after_a_check_the_solution_shows_and_the_button_offers_no_blind_retry(
    client: httpx.AsyncClient, enrolled: None
) -> None:
    before = tag(
        soup(await client.get(f"/courses/{COURSE}/pages/eisberg-fragen")), id="q-eisberg-1"
    )
    assert _words(tag(before, "button")) == "Antwort prüfen"
    section = await _review(client, "eisberg-fragen", "eisberg-1", {"eisberg-1": "1"})
    # The solution is revealed after every check, so a new try is not "Erneut versuchen".
    assert tag(section, class_="mark-key")
    assert _words(tag(section, "button")) == "Geänderte Antwort prüfen"
    assert "Erneut" not in _words(section)
    # The learner's own pick stays selected in the form.
    assert tag(section, "input", id="eisberg-1-1").has_attr("checked")


async def test_every_mark_is_text_for_screen_readers(
    client: httpx.AsyncClient, enrolled: None
) -> None:
    section = await _review(client, "eisberg-fragen", "eisberg-2", {"eisberg-2": ["1", "3"]})
    marks = section.select(".mark")
    assert marks
    for mark in marks:
        glyphs = [g.get_text() for g in mark.select('[aria-hidden="true"]')]
        spoken = mark.get_text()
        for glyph in glyphs:
            spoken = spoken.replace(glyph, "")
        assert spoken.strip(), f"a mark with no spoken text: {mark}"
