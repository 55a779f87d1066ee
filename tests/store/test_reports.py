"""Report figures against a fixture with known numbers, inserted row by row."""

from __future__ import annotations

from datetime import UTC, date, datetime

from learning.reports import figures as reporting
from learning.reports import items as item_stats
from learning.store import privacy, reports
from learning.store.db import Database
from tests.admin_support import attempt, make_course, seed_known

PAGES = [p.id for p in make_course().content_pages]


async def test_learner_rows_match_the_known_numbers(db: Database) -> None:
    known = await seed_known(db)
    rows = await reports.learners(db, "kurs-a", PAGES, reports.LearnerFilter())
    by_id = {r.user_id: r for r in rows}
    assert known.ids["trainer"] not in by_id, "trainers never count"
    assert len(rows) == 10
    n1 = by_id[known.ids["n1"]]
    assert (n1.status, n1.progress, n1.seconds, n1.best_score, n1.attempts) == (
        "completed",
        100.0,
        240,
        80.0,
        2,
    )
    assert n1.certificate == "CERT-N1"
    assert n1.completed_at == "2026-02-10 12:00:00"
    n3 = by_id[known.ids["n3"]]
    assert n3.progress == 100.0 and n3.seconds == 140, "orphaned pages add time, not progress"
    n4 = by_id[known.ids["n4"]]
    assert (n4.status, n4.progress, n4.best_score, n4.last_activity) == (
        "started",
        50.0,
        40.0,
        "2026-02-20 09:00:00",
    )
    s2 = by_id[known.ids["s2"]]
    assert (s2.attempts, s2.best_score, s2.progress) == (0, None, 25.0), "unsubmitted ignored"
    n5 = by_id[known.ids["n5"]]
    assert (n5.status, n5.progress, n5.last_activity) == ("not_started", 0.0, None)
    k2 = by_id[known.ids["k2"]]
    assert (k2.enrolled, k2.started) == (False, True)


async def test_course_figures(db: Database) -> None:
    await seed_known(db)
    rows = await reports.learners(db, "kurs-a", PAGES, reports.LearnerFilter())
    total = reporting.figures("Gesamt", rows)
    assert (total.participants, total.enrolled, total.started, total.completed) == (10, 9, 8, 4)
    assert total.completion_rate == 40.0
    assert total.median_score == 80.0
    assert total.median_seconds == 110.0
    assert total.median_minutes == 1.8
    months = reporting.completion_over_time(rows)
    assert [(m.month, m.completed, m.cumulative) for m in months] == [
        ("2026-02", 2, 2),
        ("2026-03", 2, 4),
    ]


async def test_aggregate_groups_merge_and_suppress_small_groups(db: Database) -> None:
    await seed_known(db)
    rows = await reports.learners(db, "kurs-a", PAGES, reports.LearnerFilter())
    # Süd and Kammer (4) are too few even together, so Nord joins them: one row, which
    # would only repeat the total, so there is no group table at all.
    report = reporting.aggregate_report(rows, min_group=5)
    assert report.groups.rows == ()
    assert report.total is not None and report.total.completed is None
    # With k = 3, Nord (6) stands alone, Süd and Kammer merge into "weitere" (4).
    merged = reporting.aggregate_report(rows, min_group=3)
    assert [(g.label, g.participants) for g in merged.groups.rows] == [
        ("Amt Nord", 6),
        ("weitere", 4),
    ]
    nord = merged.groups.rows[0]
    # Nord: 4 of 6 started leaves 2 (< 3) who did not: hidden, and so "weitere" (4 of 4)
    # with it, and the total (8 of 10) too. Nord's 3 of 6 completed is safe by itself,
    # but "weitere" has 1: Nord goes with it, and the total (4 of 10) gives only the sum.
    assert (nord.enrolled, nord.started, nord.completed, nord.completion_rate) == (
        6,
        None,
        None,
        None,
    )
    assert merged.total is not None
    assert (merged.total.started, merged.total.completed) == (None, 4)
    assert (nord.median_score, nord.median_seconds) == (75.0, 130.0)
    named = reporting.group_figures(rows, named=True, min_group=5)
    assert [(g.label, g.participants) for g in named.rows] == [
        ("Amt Nord", 6),
        ("Amt Süd", 2),
        ("Kammer", 2),
    ]


async def test_filters_and_sorting(db: Database) -> None:
    known = await seed_known(db)
    nord = await db.scalar("SELECT id FROM groups WHERE name = 'Amt Nord'")
    flt = reports.LearnerFilter(
        group_id=nord, status="completed", sort="best_score", descending=True
    )
    rows = await reports.learners(db, "kurs-a", PAGES, flt)
    assert [r.user_id for r in rows] == [known.ids["n2"], known.ids["n1"], known.ids["n3"]]
    ranged = reports.LearnerFilter(since=date(2026, 2, 20), until=date(2026, 2, 28))
    rows = await reports.learners(db, "kurs-a", PAGES, ranged)
    assert [r.user_id for r in rows] == [known.ids["n4"]]
    asc = await reports.learners(db, "kurs-a", PAGES, reports.LearnerFilter(sort="last_activity"))
    assert asc[-1].last_activity is None, "empty values sort last"
    assert asc[0].user_id == known.ids["k2"]


async def test_item_analysis(db: Database) -> None:
    await seed_known(db)
    responses = await reports.item_responses(db, "kurs-a")
    assert {r.user_id for r in responses}.isdisjoint({0}), "only learners"
    items = {
        i.question_id: i
        for i in item_stats.item_analysis(
            responses,
            [
                item_stats.AnswerKey(
                    "t-q1",
                    "single",
                    (
                        item_stats.Choice(1, "Werte", True),
                        item_stats.Choice(2, "Kleidung", False),
                        item_stats.Choice(3, "Essen", False),
                    ),
                )
            ],
        )
    }
    q1, q2, q3 = items["t-q1"], items["t-q2"], items["t-q3"]
    assert (q1.n, q1.learners, q1.facility_percent, q1.discrimination) == (6, 5, 50.0, 1.0)
    assert [(o.label, o.count) for o in q1.options] == [("Werte", 3), ("Kleidung", 2), ("Essen", 1)]
    assert (q2.facility_percent, q2.discrimination) == (83.3, 0.5)
    assert q3.facility == 0.0
    assert "wird von 100% falsch beantwortet: Formulierung prüfen" in q3.flags
    assert "trennt nicht zwischen starken und schwachen Teilnehmenden" in q3.flags
    assert q1.flags == ()


async def test_stored_ids_count_learners_per_id(db: Database) -> None:
    known = await seed_known(db)
    stored = await reports.stored_ids(db, "kurs-a")
    assert stored.pages["old-page"] == 1
    assert stored.pages["p1"] == 9, "eight learners and the trainer viewed p1"
    assert stored.questions["old-q"] == 1
    assert stored.questions["t-q1"] == 6, "test answers count too"
    assert known.ids


async def test_delete_keeps_aggregate_counts(db: Database) -> None:
    known = await seed_known(db)
    before = reporting.figures(
        "x", await reports.learners(db, "kurs-a", PAGES, reports.LearnerFilter())
    )
    async with db.transaction() as tx:
        await privacy.delete_learner(tx, known.ids["n1"])
    rows = await reports.learners(db, "kurs-a", PAGES, reports.LearnerFilter())
    after = reporting.figures("x", rows)
    assert before == after
    n1 = next(r for r in rows if r.user_id == known.ids["n1"])
    assert n1.name == "Gelöschtes Konto" and n1.certificate is None
    data = await privacy.export_learner(db, known.ids["n1"], now=datetime(2026, 3, 1))
    assert data["account"]["email"].endswith("@invalid")
    assert data["answers"] == [] and data["reflections"] == []


async def test_purge_keeps_completions_and_their_attempts(db: Database) -> None:
    known = await seed_known(db)
    async with db.transaction() as tx:
        removed = await privacy.purge(tx, datetime(2026, 12, 31, tzinfo=UTC))
    assert removed["page_views"] > 0
    assert await db.scalar("SELECT count(*) FROM page_views") == 0
    assert await db.scalar("SELECT count(*) FROM completions") == 5
    kept = await db.scalar("SELECT count(*) FROM test_attempts")
    assert kept == 5, "the attempts the five completions point to stay"
    n1_attempts = await db.scalar(
        "SELECT count(*) FROM test_attempts WHERE user_id = ?", (known.ids["n1"],)
    )
    assert n1_attempts == 1
    # The kept attempts still point to their snapshot, so it stays.
    assert removed["test_snapshots"] == 0
    assert await db.scalar("SELECT count(*) FROM test_snapshots") == 1


async def test_purge_removes_snapshots_no_attempt_points_to(db: Database) -> None:
    known = await seed_known(db)
    await attempt(db, known.ids["n4"], 30.0, at="2026-01-01 08:00:00", course="kurs-b")
    async with db.transaction() as tx:
        removed = await privacy.purge(tx, datetime(2026, 1, 2, tzinfo=UTC))
    assert removed["test_attempts"] == 1 and removed["test_snapshots"] == 1
    assert await db.scalar("SELECT count(*) FROM test_snapshots WHERE course_id = 'kurs-b'") == 0
    assert await db.scalar("SELECT count(*) FROM test_snapshots WHERE course_id = 'kurs-a'") == 1


async def test_purge_leaves_recent_rows(db: Database) -> None:
    await seed_known(db)
    async with db.transaction() as tx:
        removed = await privacy.purge(tx, datetime(2026, 1, 1, tzinfo=UTC))
    assert removed == {
        "page_views": 0,
        "answers": 0,
        "scenario_runs": 0,
        "test_attempts": 0,
        "test_snapshots": 0,
    }
