"""Options of the final test in its front matter: `draw` (pools), `time_limit`, `reread`."""

from __future__ import annotations

from learning.content.context import FileContext
from learning.content.frontmatter import FrontMatter
from learning.content.model import GRADED_TYPES, Page


def draw_counts(
    front: FrontMatter | None, pages: tuple[Page, ...], ctx: FileContext, *, is_test: bool
) -> tuple[tuple[str, int], ...]:
    """(page id, questions drawn per attempt) for every page the trainer named.

    A page without an entry keeps all its questions, so a test without `draw:` is
    exactly the test it was before pools existed.
    """
    if front is None:
        return ()
    raw = front.values.get("draw")
    if not isinstance(raw, dict) or not raw:
        return ()
    if not is_test:
        ctx.error(front.line("draw"), "E130", "'draw' gibt es nur im Abschlusstest (kind: test).")
        return ()
    lines = front.item_lines.get("draw", [])
    by_id = {p.id: p for p in pages}
    result: list[tuple[str, int]] = []
    for index, (page_id, count) in enumerate(raw.items()):
        line = lines[index] if index < len(lines) else front.line("draw")
        page = by_id.get(page_id)
        if page is None:
            known = ", ".join(by_id) or "keine"
            ctx.error(line, "E131", f"'draw': Seite '{page_id}' gibt es im Test nicht ({known}).")
            continue
        graded = sum(q.type in GRADED_TYPES for q in page.questions)
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= graded:
            ctx.error(
                line,
                "E132",
                f"'draw' für '{page_id}' muss eine ganze Zahl von 1 bis {graded} sein "
                f"(so viele Fragen hat die Seite), ist aber '{count}'.",
            )
            continue
        result.append((page_id, count))
    return tuple(result)


def time_limit(front: FrontMatter | None, ctx: FileContext, *, is_test: bool) -> int:
    """The test's `time_limit` in minutes (the schema checked the range); 0 for none."""
    value = front.values.get("time_limit") if front is not None else None
    if not isinstance(value, int) or front is None:
        return 0
    if not is_test:
        ctx.error(
            front.line("time_limit"),
            "E133",
            "'time_limit' gibt es nur im Abschlusstest (kind: test).",
        )
        return 0
    return value


def reread_lessons(
    front: FrontMatter | None,
    pages: tuple[Page, ...],
    lesson_ids: frozenset[str],
    ctx: FileContext,
    *,
    is_test: bool,
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(test page, lessons to re-read) for every page the trainer named under `reread`.

    The result page of a failed attempt links these lessons for the groups with misses;
    a group without an entry points to every lesson.
    """
    raw = front.values.get("reread") if front is not None else None
    if front is None or not isinstance(raw, dict) or not raw:
        return ()
    if not is_test:
        ctx.error(
            front.line("reread"), "E134", "'reread' gibt es nur im Abschlusstest (kind: test)."
        )
        return ()
    lines = front.item_lines.get("reread", [])
    page_ids = {p.id for p in pages}
    result: list[tuple[str, tuple[str, ...]]] = []
    for index, (page_id, value) in enumerate(raw.items()):
        line = lines[index] if index < len(lines) else front.line("reread")
        if page_id not in page_ids:
            known = ", ".join(sorted(page_ids)) or "keine"
            ctx.error(line, "E135", f"'reread': Seite '{page_id}' gibt es im Test nicht ({known}).")
            continue
        wanted = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        unknown = [w for w in wanted if not isinstance(w, str) or w not in lesson_ids]
        if unknown or not wanted:
            ctx.error(
                line,
                "E136",
                f"'reread' für '{page_id}': Lektion '{unknown[0] if unknown else ''}' gibt es"
                f" im Kurs nicht (vorhanden: {', '.join(sorted(lesson_ids))}).",
            )
            continue
        result.append((page_id, tuple(str(w) for w in wanted)))
    return tuple(result)
