"""The compiled course model: immutable, pre-rendered, safe to share between requests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

QuestionType = Literal[
    "single", "multiple", "truefalse", "text", "ordering", "matching", "reflection", "scenario"
]
GRADED_TYPES: frozenset[str] = frozenset(
    {"single", "multiple", "truefalse", "text", "ordering", "matching"}
)
Severity = Literal["error", "warning"]

_EMPTY_STEPS: Mapping[str, ScenarioStep] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Option:
    position: int
    html: str
    feedback_html: str
    correct: bool
    text: str
    order: int | None = None
    match: int | None = None


@dataclass(frozen=True, slots=True)
class MatchChoice:
    position: int
    html: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class ScenarioOption:
    position: int
    html: str
    feedback_html: str
    target: str


@dataclass(frozen=True, slots=True)
class ScenarioStep:
    id: str
    title: str
    html: str
    options: tuple[ScenarioOption, ...]
    line: int = 0

    @property
    def is_end(self) -> bool:
        return not self.options


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    type: QuestionType
    stem_html: str
    options: tuple[Option, ...] = ()
    explanation_html: str = ""
    match_choices: tuple[MatchChoice, ...] = ()
    # A mapping proxy is unhashable; leaving it out keeps Question (and Course) hashable.
    steps: Mapping[str, ScenarioStep] = field(default_factory=lambda: _EMPTY_STEPS, hash=False)
    start_step: str = ""
    intro_html: str = ""
    line: int = 0
    # Item-check codes the author switched off for this question, each with a reason.
    silenced: frozenset[str] = frozenset()

    @property
    def graded(self) -> bool:
        return self.type in GRADED_TYPES

    def solution(self) -> object:
        """The answer key in the form `learning check --json` prints."""
        if self.type == "single":
            return next(o.position for o in self.options if o.correct)
        if self.type == "multiple":
            return [o.position for o in self.options if o.correct]
        if self.type == "truefalse":
            return self.options[0].correct
        if self.type == "text":
            return [o.text for o in self.options if o.correct]
        if self.type == "ordering":
            return [o.position for o in sorted(self.options, key=lambda o: o.order or 0)]
        if self.type == "matching":
            return {str(o.position): o.match for o in self.options}
        if self.type == "scenario":
            return {
                "start": self.start_step,
                "steps": {
                    step.id: {
                        "options": [{"target": o.target} for o in step.options],
                        "end": step.is_end,
                    }
                    for step in self.steps.values()
                },
            }
        return None


@dataclass(frozen=True, slots=True)
class HtmlBlock:
    html: str


PageBlock = HtmlBlock | Question


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    title: str
    lesson_id: str
    blocks: tuple[PageBlock, ...]
    footnotes_html: str
    number: int
    line: int
    source_hash: str
    questions: tuple[Question, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        questions = tuple(b for b in self.blocks if isinstance(b, Question))
        object.__setattr__(self, "questions", questions)


@dataclass(frozen=True, slots=True)
class Lesson:
    id: str
    title: str
    kind: Literal["lesson", "test"]
    pages: tuple[Page, ...]
    sources_html: tuple[str, ...]
    path: str
    # Test only: (page id, questions drawn per attempt); a page not named keeps all.
    draw: tuple[tuple[str, int], ...] = ()
    # Test only: minutes per attempt; 0 for no limit.
    time_limit: int = 0
    # Test only: (page id, lesson ids) a learner who missed questions there should re-read.
    reread: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def draw_count(self, page: Page) -> int:
        return dict(self.draw).get(page.id, len(page.questions))


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    id: str
    term: str
    html: str


@dataclass(frozen=True, slots=True)
class Course:
    id: str
    title: str
    subtitle: str
    language: str
    duration: int
    pass_mark: int
    max_attempts: int
    version: str
    open: bool
    description: str
    authors: tuple[str, ...]
    overview_html: str
    lessons: tuple[Lesson, ...]
    glossary: tuple[GlossaryEntry, ...]
    content_hash: str
    media_dir: Path
    glossary_title: str = "Glossar"
    # When the final test's result page shows the correct answers (REVEAL_POLICIES).
    reveal: str = "after_pass_or_last"
    # The scope for the certificate, normalised ("4 Unterrichtseinheiten (UE, je 45 Minuten)");
    # empty when course.md sets none.
    scope: str = ""
    _pages: Mapping[str, Page] = field(init=False, repr=False, compare=False)
    _questions: Mapping[str, Question] = field(init=False, repr=False, compare=False)
    _lesson_of: Mapping[str, Lesson] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pages = {p.id: p for lesson in self.lessons for p in lesson.pages}
        questions = {q.id: q for p in pages.values() for q in p.questions}
        lesson_of = {p.id: lesson for lesson in self.lessons for p in lesson.pages}
        object.__setattr__(self, "_pages", MappingProxyType(pages))
        object.__setattr__(self, "_questions", MappingProxyType(questions))
        object.__setattr__(self, "_lesson_of", MappingProxyType(lesson_of))

    def page(self, page_id: str) -> Page | None:
        return self._pages.get(page_id)

    def question(self, question_id: str) -> Question | None:
        return self._questions.get(question_id)

    def lesson_of(self, page_id: str) -> Lesson | None:
        return self._lesson_of.get(page_id)

    @property
    def pages(self) -> tuple[Page, ...]:
        return tuple(self._pages.values())

    @property
    def content_pages(self) -> tuple[Page, ...]:
        return tuple(p for lesson in self.lessons if lesson.kind == "lesson" for p in lesson.pages)

    @property
    def test(self) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.kind == "test"), None)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    line: int
    code: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code} {self.message}"

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class CompileResult:
    course: Course | None
    errors: tuple[Diagnostic, ...]
    warnings: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not self.errors
