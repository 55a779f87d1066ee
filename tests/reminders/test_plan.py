"""One reminder mail per learner and day, its kind, and the overdue digest of each admin."""

from __future__ import annotations

from datetime import date

from learning.reminders.digest import digest_day, group_lines, plan_digests
from learning.reminders.plan import DueItem, kind_of, plan_mails
from learning.rules.reminders import DEFAULT, OFF, Schedule, parse_schedule
from learning.store.reminders import Admin

DUE = date(2026, 6, 30)


def item(user_id: int = 1, assignment_id: int = 10, **changes: object) -> DueItem:
    values: dict[str, object] = {
        "user_id": user_id,
        "email": f"l{user_id}@example.org",
        "name": f"Lernende {user_id}",
        "locale": None,
        "group_id": 1,
        "assignment_id": assignment_id,
        "course_id": f"kurs-{assignment_id}",
        "plan": None,
        "due": DUE,
        "start": date(2026, 6, 1),
        "completed": False,
        "renewal": False,
    }
    values.update(changes)
    return DueItem(**values)  # type: ignore[arg-type]


def schedule(text: str | None) -> Schedule:
    return DEFAULT if text is None else parse_schedule(text)


def test_one_mail_per_learner_lists_every_assignment_due() -> None:
    items = [
        item(1, 10),
        item(1, 11, due=date(2026, 6, 19), course_id="b-kurs"),
        item(2, 10, locale="en"),
    ]
    mails = plan_mails(items, day=date(2026, 6, 16), schedule=schedule, sent={}, mailed=set())
    assert [(m.user_id, m.language, m.kind) for m in mails] == [
        (1, "de", "reminder"),
        (2, "en", "reminder"),
    ]
    # Sorted by due date: the 19th (3 days) before the 30th (14 days).
    assert [(n.item.course_id, n.reminder.days) for n in mails[0].notices] == [
        ("b-kurs", 3),
        ("kurs-10", 14),
    ]


def test_learners_mailed_today_and_points_sent_are_left_out() -> None:
    items = [item(1), item(2)]
    day = date(2026, 6, 16)
    assert plan_mails(items, day=day, schedule=schedule, sent={}, mailed={1})[0].user_id == 2
    sent = {(1, 10, DUE): day, (2, 10, DUE): day}
    assert plan_mails(items, day=day, schedule=schedule, sent=sent, mailed=set()) == []
    # A renewal cycle has another due date: what was sent for the first one does not count.
    renewal = [item(1, due=date(2027, 6, 30), start=date(2026, 6, 20), renewal=True)]
    later = plan_mails(renewal, day=date(2027, 6, 16), schedule=schedule, sent=sent, mailed=set())
    assert [m.kind for m in later] == ["renewal_due"]


def test_completed_and_switched_off_assignments_send_nothing() -> None:
    items = [item(1, completed=True), item(2, plan="aus")]
    day = date(2026, 7, 7)
    assert plan_mails(items, day=day, schedule=schedule, sent={}, mailed=set()) == []
    assert schedule("aus") == OFF


def test_assignment_schedule_overrides_the_default() -> None:
    items = [item(1, plan="7")]
    assert plan_mails(items, day=date(2026, 6, 16), schedule=schedule, sent={}, mailed=set()) == []
    mails = plan_mails(items, day=date(2026, 6, 23), schedule=schedule, sent={}, mailed=set())
    assert [n.reminder.days for n in mails[0].notices] == [7]


def test_kind_overdue_wins_then_renewal() -> None:
    day = date(2026, 7, 7)
    late = item(1, 10)
    renewal = item(1, 11, due=date(2026, 7, 10), renewal=True)
    mails = plan_mails([late, renewal], day=day, schedule=schedule, sent={}, mailed=set())
    assert mails[0].kind == "overdue"
    assert kind_of(mails[0].notices[1:]) == "renewal_due"


ADMINS = [
    Admin(1, "ada@example.org", "Ada", None, None),
    Admin(2, "bea@example.org", "Bea", "en", 1),
    Admin(3, "cem@example.org", "Cem", None, 2),
]


def test_digest_named_lists_who_is_late_per_group() -> None:
    items = [
        item(1, group_id=1),
        item(2, group_id=1, completed=True),
        item(3, group_id=2, due=date(2026, 7, 10)),
        item(4, group_id=None),
    ]
    found = group_lines(
        items, day=date(2026, 7, 2), group_names={1: "Jobcenter Nord"}, named=True, min_group=5
    )
    assert [(g.name, g.assigned, g.overdue) for g in found] == [
        ("Jobcenter Nord", 2, 1),
        (None, 1, 1),
    ]
    assert [p.name for p in found[0].people] == ["Lernende 1"]
    mails = plan_digests(found, ADMINS, already=set())
    # Ada (no group) sees every group; Bea only hers; Cem's group has nobody late.
    assert [(m.admin.id, m.language, len(m.groups)) for m in mails] == [(1, "de", 2), (2, "en", 1)]
    assert plan_digests(found, ADMINS, already={1, 2}) == []


def test_digest_aggregate_counts_only_groups_of_the_minimum_size() -> None:
    big = [item(n, group_id=1, completed=n > 2) for n in range(1, 6)]
    small = [item(10 + n, group_id=2) for n in range(2)]
    found = group_lines(
        [*big, *small], day=date(2026, 7, 2), group_names={1: "Nord"}, named=False, min_group=5
    )
    assert [(g.name, g.assigned, g.overdue, g.people) for g in found] == [("Nord", 5, 2, ())]
    # Cem looks after the small group only: no digest, its arrival alone would tell.
    assert [m.admin.id for m in plan_digests(found, ADMINS, already=set())] == [1, 2]


def test_digest_days() -> None:
    monday, tuesday = date(2026, 6, 29), date(2026, 6, 30)
    assert digest_day("weekly", monday) and not digest_day("weekly", tuesday)
    assert digest_day("daily", tuesday) and not digest_day("off", monday)
