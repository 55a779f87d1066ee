"""A stand-in course catalog and direct row inserts for the admin, report and trainer tests.

The fake course follows docs/model-contract.md, so the pages work the same with the real
compiler's catalog.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from learning.store import attempts
from learning.store.db import Database


@dataclass(frozen=True)
class FakeOption:
    position: int
    text: str
    correct: bool = False

    @property
    def html(self) -> str:
        return f"<p>{self.text}</p>"

    feedback_html: str = ""
    order: int | None = None
    match: int | None = None


@dataclass(frozen=True)
class FakeMatchChoice:
    position: int
    text: str


@dataclass(frozen=True)
class FakeQuestion:
    id: str
    options: tuple[FakeOption, ...] = ()
    type: str = "single"
    explanation_html: str = ""
    line: int = 1
    match_choices: tuple[FakeMatchChoice, ...] = ()

    @property
    def stem_html(self) -> str:
        return f"<p>Frage {self.id}?</p>"


@dataclass(frozen=True)
class FakeHtml:
    html: str


@dataclass(frozen=True)
class FakePage:
    id: str
    title: str
    lesson_id: str
    blocks: tuple[Any, ...] = ()
    footnotes_html: str = ""

    @property
    def questions(self) -> tuple[FakeQuestion, ...]:
        return tuple(b for b in self.blocks if isinstance(b, FakeQuestion))


@dataclass(frozen=True)
class FakeLesson:
    id: str
    title: str
    kind: str
    pages: tuple[FakePage, ...]
    time_limit: int = 0

    def draw_count(self, page: FakePage) -> int:
        return len(page.questions)


@dataclass(frozen=True)
class FakeDiagnostic:
    path: str
    line: int
    code: str
    message: str
    severity: str = "error"


@dataclass(frozen=True)
class FakeResult:
    course: Any
    errors: tuple[FakeDiagnostic, ...] = ()
    warnings: tuple[FakeDiagnostic, ...] = ()


@dataclass(frozen=True)
class FakeCourse:
    id: str
    title: str
    lessons: tuple[FakeLesson, ...]
    version: str = "1"

    @property
    def pages(self) -> tuple[FakePage, ...]:
        return tuple(p for lesson in self.lessons for p in lesson.pages)

    @property
    def content_pages(self) -> tuple[FakePage, ...]:
        return tuple(p for lesson in self.lessons if lesson.kind != "test" for p in lesson.pages)

    @property
    def test(self) -> FakeLesson | None:
        return next((lesson for lesson in self.lessons if lesson.kind == "test"), None)

    def page(self, page_id: str) -> FakePage | None:
        return next((p for lesson in self.lessons for p in lesson.pages if p.id == page_id), None)

    def lesson_of(self, page_id: str) -> FakeLesson | None:
        return next((x for x in self.lessons if any(p.id == page_id for p in x.pages)), None)

    def question(self, question_id: str) -> FakeQuestion | None:
        for lesson in self.lessons:
            for page in lesson.pages:
                for q in page.questions:
                    if q.id == question_id:
                        return q
        return None


def make_course(course_id: str = "kurs-a", title: str = "Kurs A") -> FakeCourse:
    q1 = FakeQuestion(
        "t-q1", (FakeOption(1, "Werte", True), FakeOption(2, "Kleidung"), FakeOption(3, "Essen"))
    )
    q2 = FakeQuestion("t-q2", (FakeOption(1, "Ja", True), FakeOption(2, "Nein")))
    q3 = FakeQuestion("t-q3", (FakeOption(1, "Richtig", True), FakeOption(2, "Falsch")))
    check = FakeQuestion("k-1", (FakeOption(1, "A", True), FakeOption(2, "B")))
    lesson = FakeLesson(
        "l1",
        "Lektion 1",
        "lesson",
        (
            FakePage("p1", "Seite 1", "l1", (FakeHtml("<p>Einführung</p>"),)),
            FakePage("p2", "Seite 2", "l1", (FakeHtml("<p>Text</p>"), check)),
            FakePage("p3", "Seite 3", "l1", (FakeHtml("<p>Mehr</p>"),)),
            FakePage("p4", "Seite 4", "l1", (FakeHtml("<p>Ende</p>"),)),
        ),
    )
    test = FakeLesson(
        "test", "Abschlusstest", "test", (FakePage("t1", "Test", "test", (q1, q2, q3)),)
    )
    return FakeCourse(course_id, title, (lesson, test))


@dataclass
class FakeCatalog:
    course_list: list[FakeCourse]
    broken: dict[str, FakeResult] = field(default_factory=dict)
    diags: dict[str, FakeResult] = field(default_factory=dict)

    @property
    def courses(self) -> tuple[FakeCourse, ...]:
        return tuple(self.course_list)

    def get(self, course_id: str) -> FakeCourse | None:
        return next((c for c in self.course_list if c.id == course_id), None)

    def diagnostics(self, course_id: str) -> FakeResult:
        return self.diags.get(course_id, FakeResult(self.get(course_id)))

    @property
    def results(self) -> dict[str, FakeResult]:
        out = {c.id: self.diagnostics(c.id) for c in self.course_list}
        out.update(self.broken)
        return out

    @property
    def offered(self) -> tuple[FakeCourse, ...]:
        return self.courses

    def serves(self, folder: str) -> bool:
        return self.get(folder) is not None

    def folder_of(self, course_id: str) -> str | None:
        return course_id if self.get(course_id) is not None else None

    def since(self, folder: str, diagnostic: FakeDiagnostic) -> str | None:
        return None

    def stored_at(self, folder: str) -> str | None:
        return None

    retired: dict[str, str] = field(default_factory=dict)

    def set_retired(self, retired: dict[str, str]) -> None:
        self.retired = dict(retired)

    def retired_at(self, course_id: str) -> str | None:
        return self.retired.get(course_id)


async def add_user(
    db: Database,
    name: str,
    *,
    group: str | None = None,
    role: str = "learner",
    email: str | None = None,
) -> int:
    async with db.transaction() as tx:
        group_id = None
        if group:
            row = await tx.fetchone("SELECT id FROM groups WHERE name = ?", (group,))
            group_id = (
                row["id"]
                if row
                else await tx.insert(
                    "INSERT INTO groups (name, created_at) VALUES (?, '2026-01-01 00:00:00')",
                    (group,),
                )
            )
        return await tx.insert(
            "INSERT INTO users (email, name, role, group_id, created_at) VALUES (?, ?, ?, ?, ?)",
            (
                email or f"{name.lower().replace(' ', '.')}@example.org",
                name,
                role,
                group_id,
                "2026-01-01 00:00:00",
            ),
        )


async def enrol(db: Database, user_id: int, course: str = "kurs-a") -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO enrolments (user_id, course_id, enrolled_at) VALUES (?, ?, ?)",
            (user_id, course, "2026-01-02 00:00:00"),
        )


async def view(
    db: Database,
    user_id: int,
    page: str,
    seconds: int,
    at: str = "2026-02-01 10:00:00",
    course: str = "kurs-a",
) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO page_views (user_id, course_id, page_id, first_seen, last_seen, seconds)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (user_id, course, page, at, at, seconds),
        )


async def attempt(
    db: Database,
    user_id: int,
    score: float,
    answers: dict[str, tuple[bool, Any]] | None = None,
    *,
    at: str = "2026-02-02 10:00:00",
    submitted: bool = True,
    course: str = "kurs-a",
) -> int:
    async with db.transaction() as tx:
        snapshot_id = await attempts.snapshot_id_in(tx, course, "h", [])
        attempt_id = await tx.insert(
            "INSERT INTO test_attempts (user_id, course_id, content_hash, snapshot_id, shuffle,"
            " started_at, submitted_at, score, passed) VALUES (?, ?, 'h', ?, '[]', ?, ?, ?, ?)",
            (
                user_id,
                course,
                snapshot_id,
                at,
                at if submitted else None,
                score if submitted else None,
                int(score >= 60) if submitted else None,
            ),
        )
        for question_id, (correct, response) in (answers or {}).items():
            await tx.execute(
                "INSERT INTO test_answers (attempt_id, question_id, response, correct)"
                " VALUES (?, ?, ?, ?)",
                (attempt_id, question_id, json.dumps(response), int(correct)),
            )
        return attempt_id


async def complete(
    db: Database,
    user_id: int,
    score: float,
    attempt_id: int | None,
    at: str = "2026-02-02 10:00:00",
    code: str | None = None,
    course: str = "kurs-a",
) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO completions (user_id, course_id, completed_at, content_hash, attempt_id,"
            " score) VALUES (?, ?, ?, 'h', ?, ?)",
            (user_id, course, at, attempt_id, score),
        )
        if code:
            await tx.execute(
                "INSERT INTO certificates (code, user_id, course_id, learner_name, course_title,"
                " duration, issued_at) VALUES (?, ?, ?, 'x', 'Kurs A', 60, ?)",
                (code, user_id, course, at),
            )


@dataclass
class Known:
    """The ids of the seeded learners; the expected figures are in the docstring of seed_known."""

    ids: dict[str, int]


async def seed_known(db: Database) -> Known:
    """Ten learners in three groups with known figures, plus a trainer who must not count.

    Nord (6): n1 n2 n3 completed (best 80, 90, 70), n4 started (best 40), n5 n6 not started.
    Süd (2): s1 completed (100), s2 started. Kammer (2): k1 started, k2 started, not enrolled.
    participants 10, enrolled 9, started 8, completed 4, rate 40.0, median best score 80,
    median time 110 s over the 8 starters.
    """
    ids: dict[str, int] = {}
    for key, group in [
        *((f"n{i}", "Amt Nord") for i in range(1, 7)),
        ("s1", "Amt Süd"),
        ("s2", "Amt Süd"),
        ("k1", "Kammer"),
        ("k2", "Kammer"),
    ]:
        ids[key] = await add_user(db, f"Person {key}", group=group)
        if key != "k2":
            await enrol(db, ids[key])
    ids["trainer"] = await add_user(db, "Trainerin", group="Amt Nord", role="trainer")
    await enrol(db, ids["trainer"])
    seconds = {"n1": 60, "n2": 30, "n3": 10, "s1": 45}
    for key, per_page in seconds.items():
        for page in ("p1", "p2", "p3", "p4"):
            await view(db, ids[key], page, per_page, at="2026-02-01 10:00:00")
    await view(db, ids["n3"], "old-page", 100)
    await view(db, ids["n4"], "p1", 50)
    await view(db, ids["n4"], "p2", 50, at="2026-02-20 09:00:00")
    await view(db, ids["s2"], "p1", 20)
    for page in ("p1", "p2", "p3"):
        await view(db, ids["k1"], page, 10)
    await view(db, ids["k2"], "p1", 5, at="2026-01-15 08:00:00")
    await view(db, ids["trainer"], "p1", 999)
    wrong, right = (False, {"selected": [2]}), (True, {"selected": [1]})
    q3 = (False, {"selected": [2]})
    await attempt(db, ids["n1"], 50, {"t-q1": wrong, "t-q2": right, "t-q3": q3})
    a_n1 = await attempt(db, ids["n1"], 80, {"t-q1": right, "t-q2": right, "t-q3": q3})
    a_n2 = await attempt(db, ids["n2"], 90, {"t-q1": right, "t-q2": right, "t-q3": q3})
    a_n3 = await attempt(
        db, ids["n3"], 70, {"t-q1": (False, {"selected": [3]}), "t-q2": right, "t-q3": q3}
    )
    a_s1 = await attempt(db, ids["s1"], 100, {"t-q1": right, "t-q2": right, "t-q3": q3})
    await attempt(
        db, ids["n4"], 40, {"t-q1": wrong, "t-q2": (False, {"selected": [2]}), "t-q3": q3}
    )
    await attempt(db, ids["s2"], 0, {}, submitted=False)
    a_t = await attempt(db, ids["trainer"], 100, {"t-q1": right, "t-q2": right, "t-q3": right})
    await complete(db, ids["n1"], 80, a_n1, at="2026-02-10 12:00:00", code="CERT-N1")
    await complete(db, ids["n2"], 90, a_n2, at="2026-02-15 12:00:00")
    await complete(db, ids["n3"], 70, a_n3, at="2026-03-01 12:00:00")
    await complete(db, ids["s1"], 100, a_s1, at="2026-03-05 12:00:00")
    await complete(db, ids["trainer"], 100, a_t, at="2026-03-06 12:00:00")
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO answers (user_id, course_id, question_id, content_hash, response,"
            " correct, created_at) VALUES (?, 'kurs-a', 'old-q', 'h', '{}', 1, ?)",
            (ids["k1"], "2026-02-03 10:00:00"),
        )
    return Known(ids)


def install_catalog(services: Any, *courses: FakeCourse) -> FakeCatalog:
    catalog = FakeCatalog(list(courses) or [make_course()])
    services.catalog = catalog
    return catalog


async def assign_trainer(db: Database, user_id: int, course_id: str = "kurs-a") -> None:
    """Give a trainer the results of a course, as an admin does on the course page."""
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO course_trainers (course_id, user_id, assigned_at)"
            " VALUES (?, ?, '2026-01-01 00:00:00')",
            (course_id, user_id),
        )
