"""The overdue digest to group admins, pure: who is overdue, or how many.

Group admins: an admin who belongs to a group gets that group's digest; an admin
without a group looks after the whole organisation and gets every group's. Learners
without a group are listed as their own entry, for admins without a group only.

Named mode lists the people; aggregate mode gives counts, and only for groups with at
least `min_group` assigned learners (smaller groups are left out, and so is a digest
that would hold nothing else, since its arrival alone would tell).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from learning.core.config import DigestMode
from learning.core.i18n import DEFAULT, SUPPORTED
from learning.reminders.plan import DueItem
from learning.store.reminders import Admin


def digest_day(mode: DigestMode, day: date) -> bool:
    """Whether `day` has a digest: every day, Mondays only, or never."""
    if mode == "daily":
        return True
    return mode == "weekly" and day.weekday() == 0


@dataclass(frozen=True, slots=True)
class Late:
    name: str
    course_id: str
    due: date


@dataclass(frozen=True, slots=True)
class GroupLine:
    group_id: int | None
    # None for the learners without a group; the template names them.
    name: str | None
    assigned: int
    overdue: int
    # Named mode only; empty in aggregate mode.
    people: tuple[Late, ...]


@dataclass(frozen=True, slots=True)
class DigestMail:
    admin: Admin
    language: str
    groups: tuple[GroupLine, ...]

    @property
    def overdue(self) -> int:
        return sum(group.overdue for group in self.groups)


def group_lines(
    items: Iterable[DueItem],
    *,
    day: date,
    group_names: Mapping[int, str],
    named: bool,
    min_group: int,
) -> list[GroupLine]:
    """One line per group with someone overdue that may be shown."""
    assigned: dict[int | None, set[int]] = defaultdict(set)
    late: dict[int | None, list[Late]] = defaultdict(list)
    for item in items:
        assigned[item.group_id].add(item.user_id)
        if not item.completed and day > item.due:
            late[item.group_id].append(Late(item.name, item.course_id, item.due))
    lines = []
    for group_id, people in late.items():
        size = len(assigned[group_id])
        if not named and size < min_group:
            continue
        name = None if group_id is None else group_names.get(group_id, str(group_id))
        shown = tuple(sorted(people, key=lambda p: (p.due, p.name, p.course_id))) if named else ()
        lines.append(GroupLine(group_id, name, size, len(people), shown))
    return sorted(lines, key=lambda line: (line.name is None, (line.name or "").lower()))


def plan_digests(
    lines: Iterable[GroupLine], admins: Iterable[Admin], *, already: set[int]
) -> list[DigestMail]:
    """The digest of each admin for their groups; nothing for an admin with nobody late."""
    listed = list(lines)
    mails = []
    for admin in admins:
        if admin.id in already:
            continue
        mine = tuple(
            line for line in listed if admin.group_id is None or line.group_id == admin.group_id
        )
        if mine:
            language = admin.locale if admin.locale in SUPPORTED else DEFAULT
            mails.append(DigestMail(admin, language, mine))
    return mails
