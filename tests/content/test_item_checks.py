"""Item-writing checks (W501-W512): one fixture that triggers each, one that does not."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import COURSE_MD, TEST_MD, compile_files, line_no, page


def _single(qid: str, options: list[str], key: int, stem: str = "Was passt hier?") -> str:
    lines = [f"::: question {{#{qid}}}", stem, ""]
    for number, text in enumerate(options, start=1):
        lines += [f"- ({'x' if number == key else ' '}) {text}", "  > Hinweis dazu."]
    return "\n".join([*lines, "", "Erklärung: so.", ":::", ""])


def _multiple(qid: str, options: dict[str, bool], feedback: str = "Hinweis dazu.") -> str:
    lines = [f"::: question {{#{qid}}}", "Was passt hier?", ""]
    for text, correct in options.items():
        lines += [f"- [{'x' if correct else ' '}] {text}", f"  > {feedback}"]
    return "\n".join([*lines, "", "Erklärung: so.", ":::", ""])


def _truefalse(qid: str, true: bool) -> str:
    marks = ("x", " ") if true else (" ", "x")
    return (
        f"::: truefalse {{#{qid}}}\nEine Aussage.\n\n- ({marks[0]}) richtig\n  > a\n"
        f"- ({marks[1]}) falsch\n  > b\n\nErklärung: so.\n:::\n"
    )


def _scenario(first: str, second: str) -> str:
    return (
        "::: scenario {#fall}\nEinführung.\n\n### Start {#start}\nFrau K. wartet.\n\n"
        f"- Sie fragen nach. -> ende\n  > {first}\n- Sie schweigen. -> ende\n  > {second}\n\n"
        "### Ende {#ende}\nFertig.\n\nErklärung: so.\n:::\n"
    )


def _matching(feedback: str) -> str:
    return (
        "::: matching {#zuordnung}\nOrdnen Sie zu.\n\n"
        f"- Symbole = außen\n  > {feedback}\n- Werte = innen\n  > Hinweis.\n\n"
        "Erklärung: so.\n:::\n"
    )


SAME = ["Option A", "Option B", "Option C"]
KEY_FIRST = "".join(_single(f"p{n}", SAME, 1) for n in range(5))
KEY_SPREAD = "".join(_single(f"p{n}", SAME, key) for n, key in enumerate([2, 3, 1, 2, 3]))
KEY_LONGEST = "".join(_single(f"l{n}", ["Antwort A", "Antwort BB"], 2) for n in range(6))
KEY_NOT_LONGEST = "".join(_single(f"l{n}", ["Antwort A", "Antwort B"], 2) for n in range(6))
LONG_KEY = _single(
    "lang", ["Ja", "Nein", "Nur wenn alle Beteiligten vorher ausdrücklich zustimmen"], 3
)
ALL_OF = _single("alle", ["Zuhören", "Nachfragen", "Alle genannten"], 3)
NEGATED = _single("neg", SAME, 1, stem="Frau K. war nicht da. Welche Aussage trifft nicht zu?")
NEGATED_BOLD = _single("neg", SAME, 1, stem="Frau K. war nicht da. Was trifft **nicht** zu?")
REPEAT = _single(
    "wort", ["Missverständnissen vorbeugen", "Schweigen"], 1, "Was hilft gegen Missverständnissen?"
)
REPEAT_TWICE = _single(
    "wort",
    ["Missverständnissen vorbeugen", "Missverständnissen folgen"],
    1,
    "Was hilft gegen Missverständnissen?",
)
ONE_WRONG = _multiple("mehr", {"Zuhören": True, "Nachfragen": True, "Drohen": False})
TWO_WRONG = _multiple("mehr", {"Zuhören": True, "Drohen": False, "Schweigen": False})
ALL_TRUE = "".join(_truefalse(f"tf{n}", True) for n in range(5))
MIXED_TRUE = "".join(_truefalse(f"tf{n}", n % 2 == 0) for n in range(5))
TEST_STEM = TEST_MD.replace("Frage?", "Wie wirkt eine offene Frage im Erstgespräch?")
KNOWLEDGE_REPEAT = _single(
    "wissen", ["Ja", "Nein"], 1, "Wie wirkt eine offene Frage im Erstgespräch?"
)
KNOWLEDGE_OTHER = _single("wissen", ["Ja", "Nein"], 1, "Welche Rolle spielt die Dolmetscherin?")
SILENCED = ALL_OF.replace(
    "Was passt hier?", "Was passt hier?\n\nPrüfung aus: W504 – Die Option ist hier Lerninhalt."
)
SILENCED_NO_REASON = ALL_OF.replace("Was passt hier?", "Was passt hier?\n\nPrüfung aus: W504")


@dataclass(frozen=True)
class Check:
    code: str
    triggers: dict[str, str]
    quiet: dict[str, str]
    file: str  # where the warning points, the needle finds the line in triggers[file]
    needle: str


CHECKS = [
    Check("W501", {"01-a.md": page(KEY_FIRST)}, {"01-a.md": page(KEY_SPREAD)}, "course.md", "---"),
    Check(
        "W502",
        {"01-a.md": page(KEY_LONGEST)},
        {"01-a.md": page(KEY_NOT_LONGEST)},
        "course.md",
        "---",
    ),
    Check(
        "W503",
        {"01-a.md": page(LONG_KEY)},
        {"01-a.md": page(_single("lang", SAME, 3))},
        "01-a.md",
        "{#lang}",
    ),
    Check(
        "W504",
        {"01-a.md": page(ALL_OF)},
        {"01-a.md": page(_single("alle", SAME, 3))},
        "01-a.md",
        "{#alle}",
    ),
    Check("W505", {"01-a.md": page(NEGATED)}, {"01-a.md": page(NEGATED_BOLD)}, "01-a.md", "{#neg}"),
    Check("W506", {"01-a.md": page(REPEAT)}, {"01-a.md": page(REPEAT_TWICE)}, "01-a.md", "{#wort}"),
    Check("W507", {"01-a.md": page(ONE_WRONG)}, {"01-a.md": page(TWO_WRONG)}, "01-a.md", "{#mehr}"),
    Check("W508", {"01-a.md": page(ALL_TRUE)}, {"01-a.md": page(MIXED_TRUE)}, "course.md", "---"),
    Check(
        "W509",
        {"01-a.md": page(KNOWLEDGE_REPEAT), "90-test.md": TEST_STEM},
        {"01-a.md": page(KNOWLEDGE_OTHER), "90-test.md": TEST_STEM},
        "90-test.md",
        "{#tq}",
    ),
    Check(
        "W510",
        {"01-a.md": page(_matching("Richtig: Symbole sind sichtbar."))},
        {"01-a.md": page(_single("s", ["Ja", "Nein"], 1).replace("Hinweis dazu.", "Richtig.", 1))},
        "01-a.md",
        "{#zuordnung}",
    ),
    Check(
        "W511",
        {"01-a.md": page(_scenario("Gut: so erfahren Sie mehr.", "Schade: so bleibt es offen."))},
        {"01-a.md": page(_scenario("Gut: so erfahren Sie mehr.", "Vertretbar: Stille gibt Raum."))},
        "01-a.md",
        "{#fall}",
    ),
    Check(
        "W512",
        {"01-a.md": page(SILENCED_NO_REASON)},
        {"01-a.md": page(SILENCED)},
        "01-a.md",
        "Prüfung aus",
    ),
]
ITEM_CODES = frozenset(c.code for c in CHECKS)


def _warnings(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str, int]]:
    result = compile_files(tmp_path, dict(files))
    assert result.errors == (), [str(d) for d in result.errors]
    return [(d.code, d.path, d.line) for d in result.warnings]


def _text(check: Check) -> str:
    return check.triggers.get(check.file, COURSE_MD if check.file == "course.md" else TEST_MD)


@pytest.mark.parametrize("check", CHECKS, ids=[c.code for c in CHECKS])
def test_check_fires_at_the_question(tmp_path: Path, check: Check) -> None:
    expected = (check.code, f"courses/k/{check.file}", line_no(_text(check), check.needle))
    assert expected in _warnings(tmp_path, check.triggers)


@pytest.mark.parametrize("check", CHECKS, ids=[c.code for c in CHECKS])
def test_check_stays_quiet_on_a_sound_question(tmp_path: Path, check: Check) -> None:
    assert check.code not in {code for code, _, _ in _warnings(tmp_path, check.quiet)}


def test_position_message_gives_the_distribution(tmp_path: Path) -> None:
    result = compile_files(tmp_path, {"01-a.md": page(KEY_FIRST)})
    (warning,) = [d for d in result.warnings if d.code == "W501"]
    assert "Position der richtigen Antwort: 1: 6, 2: 0, 3: 0" in warning.message


def test_silence_with_a_reason_switches_the_check_off_for_that_question(tmp_path: Path) -> None:
    other = _single("alle-2", ["Zuhören", "Nachfragen", "Alle genannten"], 3)
    found = _warnings(tmp_path, {"01-a.md": page(SILENCED + other)})
    text = page(SILENCED + other)
    assert [w for w in found if w[0] == "W504"] == [
        ("W504", "courses/k/01-a.md", line_no(text, "{#alle-2}"))
    ]


def test_silence_line_is_not_shown_to_learners(tmp_path: Path) -> None:
    result = compile_files(tmp_path, {"01-a.md": page(SILENCED)})
    assert result.course is not None
    question = result.course.question("alle")
    assert question is not None
    assert "Prüfung aus" not in question.stem_html
    assert question.silenced == frozenset({"W504"})


def test_unknown_code_in_a_silence_is_a_warning(tmp_path: Path) -> None:
    text = page(ALL_OF.replace("Was passt hier?", "Was passt hier?\n\nPrüfung aus: W999 – Grund"))
    found = _warnings(tmp_path, {"01-a.md": text})
    assert ("W512", "courses/k/01-a.md", line_no(text, "Prüfung aus")) in found
    assert ("W504", "courses/k/01-a.md", line_no(text, "{#alle}")) in found


def test_threshold_in_course_md_raises_the_bar(tmp_path: Path) -> None:
    course = COURSE_MD.replace("language: de", "language: de\nitem_checks:\n  position_share: 0.9")
    found = _warnings(tmp_path, {"course.md": course, "01-a.md": page(KEY_FIRST)})
    assert "W501" in {code for code, _, _ in found}
    course = course.replace("0.9", "1.0")
    found = _warnings(tmp_path, {"course.md": course, "01-a.md": page(KEY_FIRST)})
    assert "W501" not in {code for code, _, _ in found}


def test_bad_threshold_is_an_error_at_its_key(tmp_path: Path) -> None:
    course = COURSE_MD.replace("language: de", "language: de\nitem_checks:\n  position_share: 3")
    result = compile_files(tmp_path, {"course.md": course})
    assert [(d.code, d.path, d.line) for d in result.errors] == [
        ("E105", "courses/k/course.md", line_no(course, "item_checks"))
    ]
    assert result.course is None


def test_unknown_threshold_is_an_error(tmp_path: Path) -> None:
    course = COURSE_MD.replace("language: de", "language: de\nitem_checks:\n  farbe: 1")
    result = compile_files(tmp_path, {"course.md": course})
    assert [d.code for d in result.errors] == ["E105"]
    assert "farbe" in result.errors[0].message


def test_a_distractor_that_echoes_the_stem_is_a_lure_not_a_giveaway(tmp_path: Path) -> None:
    lure = _single(
        "wort",
        ["Nachfragen", "Missverständnissen vorbeugen"],
        1,
        "Was hilft gegen Missverständnissen?",
    )
    assert "W506" not in {code for code, _, _ in _warnings(tmp_path, {"01-a.md": page(lure)})}


def test_negation_in_quoted_speech_or_the_case_story_is_no_negated_question(
    tmp_path: Path,
) -> None:
    stem = "Herr S. kam nicht. Was antworten Sie auf „Das geht mich nichts an, nicht wahr“?"
    found = _warnings(tmp_path, {"01-a.md": page(_single("neg", SAME, 1, stem=stem))})
    assert "W505" not in {code for code, _, _ in found}


def test_repeated_word_is_named_as_written(tmp_path: Path) -> None:
    text = _single("wort", ["Die Maßnahme klären", "Schweigen"], 1, "Was tun vor der Maßnahme?")
    result = compile_files(tmp_path, {"01-a.md": page(text)})
    (warning,) = [d for d in result.warnings if d.code == "W506"]
    assert "„maßnahme“" in warning.message


def test_a_much_longer_good_scenario_option_is_reported_at_its_step(tmp_path: Path) -> None:
    text = page(
        _scenario("Gut: so erfahren Sie mehr.", "Schade.").replace(
            "- Sie fragen nach. -> ende",
            "- Sie fragen offen nach, was Frau K. selbst für den nächsten Schritt hält. -> ende",
        )
    )
    found = _warnings(tmp_path, {"01-a.md": text})
    assert ("W503", "courses/k/01-a.md", line_no(text, "### Start")) in found
