"""Every construct of the course format, compiled from the fixture course."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from learning.content.compiler import compile_course
from learning.content.model import Course, HtmlBlock, Question
from tests.helpers import FIXTURE, line_no


@pytest.fixture(scope="module")
def course() -> Course:
    result = compile_course(FIXTURE)
    assert result.errors == ()
    assert result.warnings == ()
    assert result.course is not None
    return result.course


def source(name: str) -> str:
    return (FIXTURE / name).read_text(encoding="utf-8")


def question(course: Course, qid: str) -> Question:
    q = course.question(qid)
    assert q is not None
    return q


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_course_front_matter(course: Course) -> None:
    assert (course.id, course.title, course.language, course.version) == (
        "fixture-kurs",
        "Fixture-Kurs",
        "de",
        "1.0",
    )
    assert (course.duration, course.pass_mark, course.max_attempts, course.open) == (
        30,
        80,
        3,
        True,
    )
    assert course.authors == ("Test Autorin",)
    assert course.subtitle == "Alle Bausteine auf einen Blick"
    assert course.media_dir == FIXTURE / "media"


def test_overview_links_to_glossary(course: Course) -> None:
    link = soup(course.overview_html).find("a")
    assert link is not None and link["href"] == "/courses/fixture-kurs/glossar#kultur"


def test_glossary_entries_with_explicit_and_slug_ids(course: Course) -> None:
    assert [(g.id, g.term) for g in course.glossary] == [
        ("kultur", "Kultur"),
        ("eisbergmodell", "Eisbergmodell"),
    ]
    assert "/courses/fixture-kurs/glossar#eisbergmodell" in course.glossary[0].html


def test_pages_ids_titles_numbers_and_lines(course: Course) -> None:
    pages = [(p.id, p.title, p.number, p.lesson_id) for p in course.pages]
    assert pages == [
        ("was-ist-kultur", "Was ist Kultur?", 1, "grundlagen"),
        ("eisberg-fragen", "Eisberg-Fragen", 2, "grundlagen"),
        ("zeit", "Zeit und Zwiebel", 3, "grundlagen"),
        ("stufen", "Entwicklungsstufen", 4, "praxis"),
        ("fall", "Ein Fall am Empfang", 5, "praxis"),
        ("test", "Abschlusstest", 6, "abschlusstest"),
    ]
    first = course.pages[0]
    assert first.line == line_no(source("01-grundlagen.md"), "## Was ist Kultur?")


def test_page_title_is_not_a_block_and_its_h3_becomes_h2(course: Course) -> None:
    # The page title is the page's h1; the author's "### Das Eisbergmodell" follows it.
    html = "".join(b.html for b in course.pages[0].blocks if isinstance(b, HtmlBlock))
    parsed = soup(html)
    assert parsed.find("h1") is None and parsed.find("h3") is None
    h2 = parsed.find("h2")
    assert h2 is not None and h2.get_text() == "Das Eisbergmodell"


def test_image_is_rewritten_with_alt_text(course: Course) -> None:
    img = soup(course.pages[0].blocks[0].html).find("img")  # type: ignore[union-attr]
    assert img is not None
    assert img["src"] == "/courses/fixture-kurs/media/eisberg.svg"
    assert img["alt"] == "Ein Eisberg, dessen größter Teil unter Wasser liegt"


def test_details_and_hinweis(course: Course) -> None:
    parsed = soup(course.pages[0].blocks[0].html)  # type: ignore[union-attr]
    summary = parsed.select_one("details > summary")
    assert summary is not None and summary.get_text() == "Bildbeschreibung"
    aside = parsed.select_one("aside.hinweis")
    assert aside is not None and "Modelle vereinfachen" in aside.get_text()


def test_external_links_get_rel(course: Course) -> None:
    link = soup(course.pages[0].blocks[0].html).select_one("aside a")  # type: ignore[union-attr]
    assert link is not None
    assert link["href"] == "https://geerthofstede.com"
    assert link["rel"] == ["noopener", "noreferrer"]


def test_footnotes_are_rendered_per_page_with_back_links(course: Course) -> None:
    first = course.pages[0]
    ref = soup(first.blocks[0].html).select_one("sup.footnote-ref a")  # type: ignore[union-attr]
    assert ref is not None and ref["href"] == "#fn-1" and ref["id"] == "fnref-1"
    notes = soup(first.footnotes_html)
    item = notes.select_one("li#fn-1")
    assert item is not None and "Vgl. Hall 1959." in item.get_text()
    back = item.select_one("a.footnote-backref")
    assert back is not None and back["href"] == "#fnref-1"
    assert all(p.footnotes_html == "" for p in course.pages[1:])


def test_sources_are_inline_html(course: Course) -> None:
    lesson = course.lessons[0]
    assert lesson.sources_html[0] == "Hall, Edward T.: <em>The Silent Language</em>. 1959."
    assert 'rel="noopener noreferrer"' in lesson.sources_html[1]
    assert lesson.path == "fixture-kurs/01-grundlagen.md"


def test_single_choice(course: Course) -> None:
    q = question(course, "eisberg-1")
    assert q.type == "single"
    assert q.line == line_no(source("01-grundlagen.md"), "{#eisberg-1}")
    assert [(o.position, o.html, o.correct) for o in q.options] == [
        (1, "Kleidung", False),
        (2, "Werte und Normen", True),
    ]
    assert "über der Oberfläche" in q.options[0].feedback_html
    assert q.explanation_html == (
        "<p>Das Eisbergmodell unterscheidet Sichtbares und Unsichtbares.</p>\n"
    )
    assert q.solution() == 2
    assert "(x)" not in q.stem_html + "".join(o.html for o in q.options)


def test_multiple_choice(course: Course) -> None:
    q = question(course, "eisberg-2")
    assert q.type == "multiple"
    assert q.solution() == [1, 2]
    assert all("[x]" not in o.html and "[ ]" not in o.html for o in q.options)


def test_truefalse(course: Course) -> None:
    q = question(course, "zwiebel-1")
    assert q.type == "truefalse"
    assert [o.text for o in q.options] == ["richtig", "falsch"]
    assert q.solution() is True
    assert q.line == line_no(source("01-grundlagen.md"), "{#zwiebel-1}")


def test_text_answers(course: Course) -> None:
    q = question(course, "hall-1")
    assert q.type == "text"
    assert q.solution() == ["polychron", "polychrone Zeit"]
    wrong = q.options[2]
    assert (wrong.text, wrong.correct) == ("monochron", False)
    assert "Gegenteil" in wrong.feedback_html


def test_ordering(course: Course) -> None:
    q = question(course, "dmis-1")
    assert [(o.text, o.order) for o in q.options] == [
        ("Minimierung", 3),
        ("Verleugnung", 1),
        ("Abwehr", 2),
    ]
    assert q.solution() == [2, 3, 1]
    assert q.line == line_no(source("02-praxis.md"), "{#dmis-1}")


def test_matching_choices_sorted_alphabetically(course: Course) -> None:
    q = question(course, "zwiebel-2")
    assert [o.html for o in q.options] == ["Symbole", "Werte", "Rituale"]
    assert [(c.position, c.html) for c in q.match_choices] == [
        (3, "Begrüßungen, Zeremonien"),
        (2, "Vorstellungen von gut und böse"),
        (1, "Worte, Gesten, Bilder"),
    ]
    assert q.solution() == {"1": 1, "2": 2, "3": 3}


def test_reflection(course: Course) -> None:
    q = question(course, "eigene-praegung")
    assert q.type == "reflection"
    assert not q.graded
    assert q.solution() is None
    assert "irritiert" in q.stem_html


def test_scenario_graph(course: Course) -> None:
    q = question(course, "fall-anerkennung")
    text = source("02-praxis.md")
    assert q.type == "scenario"
    assert q.start_step == "start"
    assert list(q.steps) == ["start", "verfahren", "ziel", "ende-gut"]
    start = q.steps["start"]
    assert start.title == "Am Empfang"
    assert start.line == line_no(text, "### Am Empfang")
    assert [(o.position, o.target) for o in start.options] == [(1, "verfahren"), (2, "ziel")]
    assert start.options[0].html == "Sie erklären sofort das Anerkennungsverfahren."
    assert "überfordert" in start.options[0].feedback_html
    assert q.steps["ende-gut"].is_end
    assert "ausländischen Diplom" in q.intro_html
    assert "Erst das Ziel" in q.explanation_html
    assert q.solution() == {
        "start": "start",
        "steps": {
            "start": {"options": [{"target": "verfahren"}, {"target": "ziel"}], "end": False},
            "verfahren": {"options": [{"target": "ziel"}], "end": False},
            "ziel": {"options": [{"target": "ende-gut"}], "end": False},
            "ende-gut": {"options": [], "end": True},
        },
    }


def test_final_test_lesson(course: Course) -> None:
    test = course.test
    assert test is not None and test.kind == "test" and course.lessons[-1] is test
    assert [q.id for q in test.pages[0].questions] == ["test-1", "test-2", "test-3"]
    assert all(q.graded for q in test.pages[0].questions)
    assert "test" not in [p.id for p in course.content_pages]


def test_blocks_keep_source_order(course: Course) -> None:
    test_page = course.page("test")
    assert test_page is not None
    kinds = [type(b).__name__ for b in test_page.blocks]
    assert kinds == ["HtmlBlock", "Question", "Question", "Question"]
    lesson = course.lesson_of("test")
    assert lesson is not None and lesson.id == "abschlusstest"
    assert course.page("gibt-es-nicht") is None and course.question("nein") is None


def test_hashes_track_edits(tmp_path: Path, course: Course) -> None:
    copy = tmp_path / "courses" / "fixture-kurs"
    shutil.copytree(FIXTURE, copy)
    same = compile_course(copy).course
    assert same is not None and same.content_hash == course.content_hash
    lesson = copy / "02-praxis.md"
    lesson.write_text(
        lesson.read_text(encoding="utf-8").replace("Frau K. wirkt verwirrt.", "Sie zögert."),
        encoding="utf-8",
    )
    edited = compile_course(copy).course
    assert edited is not None and edited.content_hash != course.content_hash
    changed = [p.id for p in edited.pages if p.source_hash != course.page(p.id).source_hash]  # type: ignore[union-attr]
    assert changed == ["fall"]


def test_model_is_frozen_and_hashable(course: Course) -> None:
    scenario = question(course, "fall-anerkennung")
    with pytest.raises(AttributeError):
        scenario.id = "neu"  # type: ignore[misc]
    with pytest.raises(TypeError):
        scenario.steps["neu"] = scenario.steps["start"]  # type: ignore[index]
    assert hash(scenario) == hash(question(course, "fall-anerkennung"))
    assert {course: 1}[course] == 1
