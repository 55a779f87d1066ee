"""What the reminder and digest templates get: plain values, dates written out.

Dates are formatted here in the recipient's language (the templates only place
them); links are absolute, built from `LEARNING_BASE_URL`, never from a request.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from babel.dates import format_date

from learning.reminders.digest import DigestMail
from learning.reminders.plan import LearnerMail


def written(day: date, language: str) -> str:
    """ "30. Juni 2026" / "June 30, 2026"."""
    return format_date(day, format="long", locale=language)


def course_url(base: str, course_id: str) -> str:
    return f"{base}/courses/{course_id}"


def learner_context(mail: LearnerMail, titles: Mapping[str, str], base: str) -> dict[str, object]:
    items = [
        {
            "course": titles.get(n.item.course_id, n.item.course_id),
            "url": course_url(base, n.item.course_id),
            "due": written(n.item.due, mail.language),
            "state": n.reminder.state,
            "days": n.reminder.days,
            "renewal": n.item.renewal,
        }
        for n in mail.notices
    ]
    return {
        "name": mail.name,
        "items": items,
        "overdue": sum(1 for n in mail.notices if n.reminder.state == "overdue"),
        "home_url": f"{base}/",
    }


def digest_context(
    mail: DigestMail, titles: Mapping[str, str], base: str, *, named: bool
) -> dict[str, object]:
    groups = [
        {
            "name": line.name,
            "assigned": line.assigned,
            "overdue": line.overdue,
            "people": [
                {
                    "name": late.name,
                    "course": titles.get(late.course_id, late.course_id),
                    "due": written(late.due, mail.language),
                }
                for late in line.people
            ],
        }
        for line in mail.groups
    ]
    return {
        "name": mail.admin.name,
        "named": named,
        "groups": groups,
        "overdue": mail.overdue,
        "reports_url": f"{base}/admin/reports",
    }
