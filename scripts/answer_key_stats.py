"""Answer-key statistics for course authors: how guessable are a course's keys?

Usage: .venv/bin/python scripts/answer_key_stats.py courses/alles-nur-kultur [...]

A report for editors, not a check: the engine's own item-writing checks come later.
The heuristics (stem words, negation, near-repeats) are rough on purpose and meant
to point at items worth a second look.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections import Counter
from pathlib import Path

from learning.content.compiler import compile_course
from learning.content.model import Course, Question

# Words too common to count as a stem word that gives the key away.
STOP = set(
    "diese dieser dieses welche welcher welches einer eines einem einen sind wird werden "
    "haben kann können sollten sollen nicht keine ihrem ihren ihrer ihnen ihre etwas immer "
    "zuerst damit wenn dass oder aber auch noch mehr sehr schon gibt heißt beim eine über "
    "nach unter zwischen kunde kundin kund:in kund:innen berater:in berater:innen frage "
    "fragen antwort antworten richtig falsch person gespräch gespräche".split()
)
TAGS = re.compile(r"<[^>]+>")
ALL_OR_NONE = re.compile(r"\b(alle|keine) der genannten|keine davon", re.IGNORECASE)


def plain(html: str) -> str:
    return TAGS.sub("", html).strip()


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[\wäöüß:]{7,}", text)} - STOP


def question_sentence(question: Question) -> str:
    """The sentence that asks; a case description may come before it."""
    stem = plain(question.stem_html)
    if question.type == "truefalse":
        return stem
    sentences = [s for s in re.split(r"(?<=[.?!:“])\s+", stem) if s]
    asking = [s for s in sentences if s.endswith("?")]
    return (asking or sentences or [""])[-1]


def distances_to_good_end(question: Question) -> dict[str, int]:
    """Steps from each scenario step to a good end (ids ende-gut*, ende-geloest)."""
    reverse: dict[str, list[str]] = {}
    for step_id, step in question.steps.items():
        for option in step.options:
            reverse.setdefault(option.target, []).append(step_id)
    goods = [s for s in question.steps if s.startswith("ende-gut") or s == "ende-geloest"]
    distance = dict.fromkeys(goods, 0)
    frontier = list(goods)
    while frontier:
        following: list[str] = []
        for target in frontier:
            for source in reverse.get(target, []):
                if source not in distance:
                    distance[source] = distance[target] + 1
                    following.append(source)
        frontier = following
    return distance


def percent(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f} %)" if whole else "0/0"


def report(course: Course) -> list[str]:
    lines = [f"== {course.id} version {course.version}"]
    positions: Counter[int] = Counter()
    longest = 0
    ratios: list[tuple[float, str]] = []
    echo: list[str] = []
    negated: list[str] = []
    all_or_none: list[str] = []
    few_wrong: list[str] = []
    richtig_first: set[str] = set()
    truefalse: Counter[bool] = Counter()
    singles = 0
    checks: list[tuple[str, str]] = []
    finals: list[tuple[str, str]] = []
    scenario_best: Counter[int] = Counter()
    scenario_longest = scenario_points = scenario_decisions = tradeoffs = 0
    for lesson in course.lessons:
        for page in lesson.pages:
            for q in page.questions:
                text = plain(q.stem_html) + " " + " ".join(o.text for o in q.options)
                (finals if lesson.kind == "test" else checks).append((q.id, text))
                if q.type == "scenario":
                    distance = distances_to_good_end(q)
                    for step in q.steps.values():
                        if len(step.options) < 2:
                            continue
                        scenario_decisions += 1
                        notes = [plain(o.feedback_html) for o in step.options]
                        costs = sum(("Preis" in f or "kostet" in f) for f in notes)
                        if costs >= 2 or sum(f.startswith("Vertretbar") for f in notes) >= 2:
                            tradeoffs += 1
                        ds = [distance.get(o.target, 99) for o in step.options]
                        if ds.count(min(ds)) != 1:
                            continue  # two equally good paths: no single key
                        best = ds.index(min(ds))
                        scenario_points += 1
                        scenario_best[best + 1] += 1
                        lengths = [len(plain(o.html)) for o in step.options]
                        if lengths[best] == max(lengths) and lengths.count(max(lengths)) == 1:
                            scenario_longest += 1
                    continue
                for option in q.options:
                    feedback = plain(option.feedback_html)
                    if q.type in ("multiple", "matching") and feedback.startswith("Richtig"):
                        richtig_first.add(q.id)
                    if ALL_OR_NONE.search(option.text):
                        all_or_none.append(q.id)
                if q.type in ("single", "multiple", "truefalse"):
                    asking = re.sub(r"„[^“]*“", "", question_sentence(q))
                    emphasised = "<strong>nicht" in q.stem_html or "<strong>kein" in q.stem_html
                    if re.search(r"\b(nicht|kein\w*)\b", asking) and not emphasised:
                        negated.append(q.id)
                if q.type == "truefalse":
                    truefalse[q.options[0].correct] += 1
                if q.type == "multiple" and sum(not o.correct for o in q.options) < 2:
                    few_wrong.append(q.id)
                if q.type != "single":
                    continue
                singles += 1
                key = next(i for i, o in enumerate(q.options) if o.correct)
                positions[key + 1] += 1
                lengths = [len(o.text) for o in q.options]
                if lengths[key] == max(lengths) and lengths.count(max(lengths)) == 1:
                    longest += 1
                others = [n for i, n in enumerate(lengths) if i != key]
                ratios.append((lengths[key] / (sum(others) / len(others)), q.id))
                stem_words = words(plain(q.stem_html))
                wrong_words = set().union(
                    *(words(o.text) for i, o in enumerate(q.options) if i != key)
                )
                if (words(q.options[key].text) & stem_words) - wrong_words:
                    echo.append(q.id)
    repeats = [
        f"{f}~{c}"
        for f, ftext in finals
        for c, ctext in checks
        if difflib.SequenceMatcher(None, ftext, ctext).ratio() > 0.6
    ]
    ratios.sort(reverse=True)
    lines += [
        f"single choice: {singles}; key position "
        + ", ".join(f"{p}: {percent(n, singles)}" for p, n in sorted(positions.items())),
        f"key is the unique longest option: {percent(longest, singles)}",
        f"key length / mean wrong length: max {ratios[0][0]:.2f} ({ratios[0][1]})"
        if ratios
        else "key length: no single-choice questions",
        f"true/false keys: richtig {truefalse[True]}, falsch {truefalse[False]}",
        f"scenario decision points: {scenario_decisions}; with a trade-off named for two "
        f"options: {percent(tradeoffs, scenario_decisions)}",
        f"scenario points with one best path: {scenario_points}; best position "
        + ", ".join(f"{p}: {percent(n, scenario_points)}" for p, n in sorted(scenario_best.items()))
        + f"; best is the unique longest: {percent(scenario_longest, scenario_points)}",
        f"'alle/keine der genannten': {all_or_none or 'none'}",
        f"negated question without **emphasis**: {negated or 'none'}",
        f"key repeats a stem word no wrong option has: {echo or 'none'}",
        f"multiple choice with fewer than two wrong options: {few_wrong or 'none'}",
        f"multiple/matching feedback opening with 'Richtig': {sorted(richtig_first) or 'none'}",
        f"final-test items close to a knowledge check (> 0.6): {repeats or 'none'}",
    ]
    return lines


def main(folders: list[str]) -> int:
    for folder in folders:
        result = compile_course(Path(folder))
        if result.course is None:
            print(f"{folder}: does not compile; run `learning check` first", file=sys.stderr)
            return 1
        print("\n".join(report(result.course)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:] or ["courses/alles-nur-kultur"]))
