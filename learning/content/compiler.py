"""A course folder into a Course, with every problem reported as `path:line: CODE message`."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from markdown_it.token import Token

from learning.content import frontmatter
from learning.content.context import FileContext
from learning.content.diagnostics import Diagnostics
from learning.content.files import read_text, relative_path
from learning.content.item_checks import check_items
from learning.content.item_settings import parse_thresholds
from learning.content.lesson import (
    IdRegistry,
    body_tokens,
    build_pages,
    check_fences,
    heading_id,
    prose,
)
from learning.content.lesson import sections as split_sections
from learning.content.links import LinkChecker
from learning.content.markdown import Renderer, parse
from learning.content.model import (
    GRADED_TYPES,
    CompileResult,
    Course,
    GlossaryEntry,
    Lesson,
)
from learning.content.pools import draw_counts, reread_lessons, time_limit
from learning.content.scope import course_scope
from learning.content.slug import is_valid_id

LESSON_FILE_RE = re.compile(r"\d+-[^/]+\.md")
COURSE_FILE = "course.md"
GLOSSARY_FILE = "glossary.md"


@dataclass
class SourceFile:
    """One Markdown file read, split and parsed."""

    ctx: FileContext
    front: frontmatter.FrontMatter | None
    lines: list[str]
    tokens: list[Token]


def compile_all(courses_dir: Path) -> dict[str, CompileResult]:
    """Compile every course folder (one with a course.md), keyed by folder name."""
    results: dict[str, CompileResult] = {}
    try:
        folders = sorted(p for p in courses_dir.iterdir() if (p / COURSE_FILE).is_file())
    except OSError:
        return results
    seen: dict[str, str] = {}
    for folder in folders:
        result = compile_course(folder, root=courses_dir.parent)
        course = result.course
        if course is not None:
            other = seen.get(course.id)
            if other is not None:
                diags = Diagnostics()
                diags.error(
                    relative_path(folder / COURSE_FILE, courses_dir.parent),
                    1,
                    "E108",
                    f"Kurs-ID '{course.id}' wird schon vom Ordner '{other}' verwendet.",
                )
                result = CompileResult(None, tuple(diags.errors), result.warnings)
            else:
                seen[course.id] = folder.name
        results[folder.name] = result
    return results


def compile_course(course_dir: Path, *, root: Path | None = None) -> CompileResult:
    """Compile one course folder; never raises on bad content, reports it instead."""
    return _CourseCompiler(course_dir, root if root is not None else course_dir.parent.parent).run()


class _CourseCompiler:
    def __init__(self, course_dir: Path, root: Path) -> None:
        self.dir = course_dir
        self.root = root
        self.diags = Diagnostics()
        self.registry = IdRegistry()
        self.media_dir = course_dir / "media"
        self.course_id = course_dir.name
        self.glossary_ids: frozenset[str] = frozenset()

    def rel(self, path: Path) -> str:
        return relative_path(path, self.root)

    def load(
        self, path: Path, schema: Mapping[str, frontmatter.Field], *, front_required: bool = True
    ) -> SourceFile | None:
        rel = self.rel(path)
        text = read_text(path, rel, self.diags)
        if text is None:
            return None
        split = frontmatter.split(text)
        front = frontmatter.parse(split, schema, rel, self.diags, required=front_required)
        tokens, env = parse(split.body)
        renderer = Renderer(self.course_id, env, tokens)
        ctx = FileContext(rel, self.diags, renderer)
        lines = text.split("\n")
        check_fences(tokens, lines, ctx)
        return SourceFile(ctx, front, lines, tokens)

    def check_links(self, source: SourceFile, tokens: list[Token] | None = None) -> None:
        LinkChecker(source.ctx.path, self.diags, self.media_dir, self.glossary_ids).check(
            source.tokens if tokens is None else tokens
        )

    def run(self) -> CompileResult:
        course_source = self.load(self.dir / COURSE_FILE, frontmatter.COURSE_SCHEMA)
        front = course_source.front if course_source is not None else None
        ident = front.values.get("id") if front is not None else None
        if isinstance(ident, str) and is_valid_id(ident):
            self.course_id = ident
        glossary, glossary_title = self.glossary()
        overview_html = self.overview(course_source) if course_source is not None else ""
        lessons = self.lessons()
        self.media_links()
        content_hash = self.content_hash()
        course_md = self.rel(self.dir / COURSE_FILE)
        limits = parse_thresholds(
            front.values.get("item_checks") if front is not None else None,
            course_md,
            front.line("item_checks") if front is not None else 1,
            self.diags,
        )
        scope = course_scope(front, course_md, self.diags) if front is not None else ""
        if self.diags.errors or front is None:
            return CompileResult(None, self.diags.sorted_errors(), self.diags.sorted_warnings())
        values = front.values
        course = Course(
            id=self.course_id,
            title=str(values["title"]),
            subtitle=str(values["subtitle"]),
            language=str(values["language"]),
            duration=_int(values["duration"]),
            pass_mark=_int(values["pass_mark"]),
            max_attempts=_int(values["max_attempts"]),
            version=str(values["version"]),
            open=bool(values["open"]),
            description=str(values["description"]),
            authors=_strings(values["authors"]),
            overview_html=overview_html,
            lessons=tuple(lessons),
            glossary=tuple(glossary),
            content_hash=content_hash,
            media_dir=self.media_dir,
            glossary_title=glossary_title,
            reveal=str(values["reveal"]),
            scope=scope,
        )
        paths = {lesson.id: self.rel(self.dir.parent / lesson.path) for lesson in lessons}
        check_items(course, paths, course_md, limits, self.diags)
        return CompileResult(course, (), self.diags.sorted_warnings())

    def overview(self, source: SourceFile) -> str:
        source.ctx.renderer.course_id = self.course_id
        self.check_links(source)
        source.ctx.renderer.start_page()
        html = prose([body_tokens(source.tokens)], source.ctx, "in course.md")
        return html + source.ctx.renderer.footnotes_html()

    def glossary(self) -> tuple[list[GlossaryEntry], str]:
        path = self.dir / GLOSSARY_FILE
        if not path.exists():
            return [], "Glossar"
        source = self.load(path, frontmatter.GLOSSARY_SCHEMA, front_required=False)
        if source is None:
            return [], "Glossar"
        ctx = source.ctx
        found = split_sections(
            body_tokens(source.tokens),
            ctx,
            "Text vor dem ersten Begriff: jeder Begriff beginnt mit '## Begriff'.",
        )
        entries: list[GlossaryEntry] = []
        lines: dict[str, int] = {}
        headings = [section.heading for section in found]
        for section in found:
            ident = heading_id(section, ctx, "Begriff")
            ctx.renderer.start_page()
            html = prose(section.blocks, ctx, "im Glossar")
            html += ctx.renderer.footnotes_html()
            if ident is None:
                continue
            term_id, term = ident
            if term_id in lines:
                ctx.error(
                    section.line,
                    "E209",
                    f"Glossarbegriff '{term_id}' gibt es schon (Zeile {lines[term_id]}).",
                )
                continue
            lines[term_id] = section.line
            entries.append(GlossaryEntry(term_id, term, html))
        # Terms may link to each other, so links are checked once all ids are known,
        # with the headings as heading_id left them (without their `{#id}`).
        self.glossary_ids = frozenset(lines)
        stripped = {id(old): s.heading for old, s in zip(headings, found, strict=True)}
        self.check_links(source, [stripped.get(id(t), t) for t in source.tokens])
        title = source.front.values.get("title") if source.front is not None else None
        return entries, title if isinstance(title, str) else "Glossar"

    def media_links(self) -> None:
        """Every link in media/ that leads out of it, referenced or not: the server would
        refuse it, so the author hears of it here (E407)."""
        try:
            root = self.media_dir.resolve(strict=True)
            entries = sorted(self.media_dir.rglob("*"))
        except OSError:
            return
        for entry in entries:
            if not entry.is_symlink():
                continue
            try:
                inside = entry.resolve(strict=True).is_relative_to(root)
            except (OSError, RuntimeError):
                inside = False
            if not inside:
                self.diags.error(
                    self.rel(entry),
                    1,
                    "E407",
                    f"'{entry.name}' ist ein Link außerhalb von media/ (oder ins Leere); "
                    "legen Sie die Datei selbst in media/ ab.",
                )

    def lesson_files(self) -> list[Path]:
        files: list[Path] = []
        try:
            entries = sorted(self.dir.iterdir())
        except OSError:
            return files
        for path in entries:
            if not path.is_file() or path.name in (COURSE_FILE, GLOSSARY_FILE):
                continue
            if LESSON_FILE_RE.fullmatch(path.name):
                files.append(path)
            elif path.suffix.lower() == ".md":
                self.diags.warning(
                    self.rel(path),
                    1,
                    "W101",
                    "Datei wird nicht verwendet: Lektionsdateien heißen 'NN-name.md'.",
                )
        return files

    def lessons(self) -> list[Lesson]:
        files = self.lesson_files()
        course_md = self.rel(self.dir / COURSE_FILE)
        if not files:
            self.diags.error(course_md, 1, "E110", "Kurs ohne Lektionen ('01-name.md').")
            return []
        lessons: list[Lesson] = []
        lesson_lines: dict[str, str] = {}
        test_paths: list[tuple[Path, int]] = []
        number = 1
        for path in files:
            source = self.load(path, frontmatter.LESSON_SCHEMA)
            if source is None:
                continue
            self.check_links(source)
            values = source.front.values if source.front is not None else {}
            lesson_id = values.get("id")
            lesson_id = lesson_id if isinstance(lesson_id, str) else path.stem
            kind: Literal["lesson", "test"] = "test" if values.get("kind") == "test" else "lesson"
            if kind == "test" and source.front is not None:
                test_paths.append((path, source.front.line("kind")))
            if lesson_id in lesson_lines:
                line = source.front.line("id") if source.front is not None else 1
                source.ctx.error(
                    line,
                    "E109",
                    f"Lektions-ID '{lesson_id}' gibt es schon ({lesson_lines[lesson_id]}).",
                )
            lesson_lines[lesson_id] = source.ctx.path
            pages = build_pages(
                source.tokens, source.lines, source.ctx, lesson_id, self.registry, number
            )
            number += len(pages)
            if not pages:
                source.ctx.error(1, "E203", "Lektion ohne Seiten: mindestens eine '## Seite'.")
            sources_html = self.sources(source)
            lesson = Lesson(
                id=lesson_id,
                title=str(values.get("title", "")),
                kind=kind,
                pages=tuple(pages),
                sources_html=sources_html,
                path=relative_path(path, self.dir.parent),
                draw=draw_counts(source.front, tuple(pages), source.ctx, is_test=kind == "test"),
                time_limit=time_limit(source.front, source.ctx, is_test=kind == "test"),
                # The test is the last lesson file (E113): every lesson is known by now.
                reread=reread_lessons(
                    source.front,
                    tuple(pages),
                    frozenset(earlier.id for earlier in lessons),
                    source.ctx,
                    is_test=kind == "test",
                ),
            )
            if kind == "test":
                self.check_test(lesson, source)
            lessons.append(lesson)
        self.check_test_position(files, test_paths, course_md)
        return lessons

    def sources(self, source: SourceFile) -> tuple[str, ...]:
        if source.front is None:
            return ()
        entries = _strings(source.front.values.get("sources", ()))
        lines = source.front.item_lines.get("sources", [])
        checker = LinkChecker(source.ctx.path, self.diags, self.media_dir, self.glossary_ids)
        renderer = source.ctx.renderer
        renderer.start_page()
        html: list[str] = []
        for index, entry in enumerate(entries):
            children = renderer.reparse_inline(entry)
            line = lines[index] if index < len(lines) else source.front.line("sources")
            checker.check_inline_children(children, line)
            html.append(renderer.inline(children))
        return tuple(html)

    def check_test(self, lesson: Lesson, source: SourceFile) -> None:
        graded = 0
        for page in lesson.pages:
            for question in page.questions:
                if question.type in GRADED_TYPES:
                    graded += 1
                else:
                    source.ctx.error(
                        question.line,
                        "E311",
                        f"Fragetyp '{question.type}' ist im Abschlusstest nicht erlaubt.",
                    )
        if graded == 0 and lesson.pages:
            source.ctx.error(1, "E114", "Abschlusstest ohne bewertete Frage.")

    def check_test_position(
        self, files: list[Path], tests: list[tuple[Path, int]], course_md: str
    ) -> None:
        if not tests:
            self.diags.error(
                course_md, 1, "E111", "Kein Abschlusstest: eine Lektion mit 'kind: test' fehlt."
            )
            return
        for path, line in tests[1:]:
            self.diags.error(self.rel(path), line, "E112", "Mehr als ein Abschlusstest im Kurs.")
        path, line = tests[0]
        if path != files[-1]:
            self.diags.error(
                self.rel(path),
                line,
                "E113",
                "Der Abschlusstest muss die letzte Lektionsdatei sein "
                f"(danach folgt noch {files[-1].name}).",
            )

    def content_hash(self) -> str:
        digest = hashlib.sha256()
        try:
            root = self.dir.resolve()
            paths = sorted(p for p in self.dir.rglob("*") if p.is_file())
        except OSError:
            paths = []
        for path in paths:
            try:
                if path.is_symlink() and not path.resolve().is_relative_to(root):
                    continue  # not course content (E407 in media/): never read what it points at
                data = path.read_bytes()
            except OSError:
                continue
            digest.update(path.relative_to(self.dir).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(data).digest())
        return digest.hexdigest()[:16]


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return ()
