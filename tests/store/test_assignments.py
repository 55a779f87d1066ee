"""Assignments in the store: targets, later joiners, soft removal, scoping."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from learning.core.clock import FrozenClock
from learning.store import assignments, memberships, users
from learning.store.assignments import AlreadyAssigned, DueRule
from learning.store.db import Database
from learning.store.user_admin import update_user

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def _learner(db: Database, email: str, now: datetime, group: int | None = None) -> int:
    async with db.transaction() as tx:
        return await users.insert_user(
            tx, email=email, name=email.split("@")[0], role="learner", now=now, group_id=group
        )


async def _group(db: Database, name: str) -> int:
    async with db.transaction() as tx:
        return await users.get_or_create_group(tx, name, START)


async def _assign_group(db: Database, group: int, due: DueRule, now: datetime) -> int:
    async with db.transaction() as tx:
        aid = await assignments.create(
            tx, course_id="k", group_id=group, due=due, renew_months=None, by=None, now=now
        )
        targets = await assignments.target_learners(tx, group_id=group)
        await assignments.enrol_targets(tx, targets, "k", by=None, now=now)
    return aid


async def test_group_assignment_reaches_members_and_later_joiners(db: Database) -> None:
    clock = FrozenClock(START)
    team = await _group(db, "Team Nord")
    early = await _learner(db, "early@example.org", START, team)
    aid = await _assign_group(db, team, DueRule(days=14), START)
    later = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)
    clock.now = later
    joiner = await _learner(db, "joiner@example.org", later)
    async with db.transaction() as tx:
        added = await update_user(
            tx, joiner, name="joiner", role="learner", group_id=team, now=later, by=None
        )
    assert added == ["k"]
    rows = await assignments.learner_assignments(db, assignment_id=aid)
    since = {row.user_id: row.assigned_at for row in rows}
    assert since == {early: START, joiner: later}
    assert await assignments.learner_assignments(db, user_id=early) == [
        row for row in rows if row.user_id == early
    ]


async def test_leaving_the_group_ends_the_assignment_but_keeps_the_enrolment(
    db: Database,
) -> None:
    team = await _group(db, "Team")
    uid = await _learner(db, "a@example.org", START, team)
    await _assign_group(db, team, DueRule(on=date(2026, 4, 1)), START)
    async with db.transaction() as tx:
        await memberships.change_group(tx, uid, None, now=START, by=None)
    assert await assignments.learner_assignments(db, user_id=uid) == []
    assert await db.scalar("SELECT count(*) FROM enrolments WHERE user_id = ?", (uid,)) == 1
    history = await db.fetchall(
        "SELECT group_id, left_at FROM group_memberships WHERE user_id = ?", (uid,)
    )
    assert [(r["group_id"], r["left_at"]) for r in history] == [(team, "2026-03-02 09:00:00")]


async def test_one_live_assignment_per_target_and_soft_removal(db: Database) -> None:
    team = await _group(db, "Team")
    await _learner(db, "a@example.org", START, team)
    aid = await _assign_group(db, team, DueRule(days=7), START)
    with pytest.raises(AlreadyAssigned):
        await _assign_group(db, team, DueRule(days=7), START)
    async with db.transaction() as tx:
        assert await assignments.remove(tx, aid, by=None, now=START)
        assert not await assignments.remove(tx, aid, by=None, now=START)
    assert await assignments.list_assignments(db) == []
    kept = await assignments.list_assignments(db, include_removed=True)
    assert [(a.id, a.removed_at) for a in kept] == [(aid, START)]
    # Removed, it can be assigned again.
    await _assign_group(db, team, DueRule(days=7), START)


async def test_direct_assignment_is_scoped_to_its_learner(db: Database) -> None:
    me = await _learner(db, "me@example.org", START)
    other = await _learner(db, "other@example.org", START)
    async with db.transaction() as tx:
        await assignments.create(
            tx, course_id="k", user_id=me, due=DueRule(days=1), renew_months=12, by=None, now=START
        )
        await assignments.enrol_targets(tx, [me], "k", by=None, now=START)
    assert [r.user_id for r in await assignments.learner_assignments(db, course_id="k")] == [me]
    assert await assignments.learner_assignments(db, user_id=other) == []


async def test_unenrolled_learner_is_not_assigned(db: Database) -> None:
    team = await _group(db, "Team")
    uid = await _learner(db, "a@example.org", START, team)
    await _assign_group(db, team, DueRule(days=7), START)
    async with db.transaction() as tx:
        await tx.execute("DELETE FROM enrolments WHERE user_id = ?", (uid,))
    assert await assignments.learner_assignments(db, user_id=uid) == []
