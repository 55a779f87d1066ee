"""GDPR: everything stored about one learner, anonymisation, deletion and retention purge.

Anonymise and delete both take the person's name and e-mail out of every table: the
account row, certificates, login attempts, the mails to them (outbox) and the audit log (as actor, as target and
inside the details of any entry, e.g. a CSV import's address list).

Deletion keeps aggregate counts right: the account row stays as a tombstone
(`users.anonymised = DELETED`) with role and group, and so do enrolments, page views,
test attempts and completions, so completion counts and item statistics do not change.
A tombstone has no name, e-mail, password or sessions, is not listed as an account and
cannot be re-activated or re-invited; every personal or free-text row goes.

`test_snapshots` is left alone by export, anonymisation and deletion: a snapshot holds
only the course's test questions, shared by every attempt on that content, and no
learner data (who answered what is in test_attempts and test_answers).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from learning.core.clock import to_db
from learning.store.db import Database, Transaction

# users.anonymised: 0 a normal account, 1 anonymised, 2 deleted (a tombstone).
ANONYMISED = 1
DELETED = 2

# Table -> the columns exported for one learner (user_id scoped).
_EXPORT_TABLES: dict[str, str] = {
    "enrolments": "course_id, enrolled_at",
    "page_views": "course_id, page_id, first_seen, last_seen, seconds, views",
    "answers": "course_id, question_id, response, correct, created_at",
    "reflections": "course_id, question_id, text, created_at, updated_at",
    "scenario_runs": "course_id, question_id, path, current_step, started_at, finished_at",
    "test_attempts": "id, course_id, started_at, submitted_at, score, passed",
    "completions": "course_id, completed_at, score, attempt_id",
    "certificates": "code, course_id, learner_name, course_title, issued_at, valid_until",
    "certificates_replaced": "code, course_id, learner_name, course_title, issued_at,"
    " valid_until, replaced_at",
    "assignments": "course_id, due_on, due_days, renew_months, created_at, removed_at",
    "group_memberships": "group_id, joined_at, left_at",
    "enrolment_removals": "course_id, enrolled_at, removed_at",
    "sessions": "created_at, last_seen",
    "extra_time": "minutes, percent",
    "reminder_mails": "day, kind, queued_at",
}


async def export_learner(db: Database, user_id: int, *, now: datetime) -> dict[str, Any]:
    """All data stored about one person, as JSON-ready values.

    The one export for both Art. 15 routes: the learner's own download and the admin's.
    """
    account = await db.fetchone(
        "SELECT u.id, u.email, u.name, u.role, g.name AS group_name, u.locale, u.active,"
        " u.anonymised, u.created_at, u.password_changed_at"
        " FROM users u LEFT JOIN groups g ON g.id = u.group_id WHERE u.id = ?",
        (user_id,),
    )
    data: dict[str, Any] = {
        "format": "learning-personal-data/2",
        "exported_at": to_db(now),
        "account": dict(account) if account else None,
    }
    for table, columns in _EXPORT_TABLES.items():
        rows = await db.fetchall(
            f"SELECT {columns} FROM {table} WHERE user_id = ? ORDER BY 1",  # noqa: S608 - constants
            (user_id,),
        )
        data[table] = [dict(row) for row in rows]
    answers = await db.fetchall(
        "SELECT t.attempt_id, t.question_id, t.response, t.correct FROM test_answers t"
        " JOIN test_attempts a ON a.id = t.attempt_id WHERE a.user_id = ?"
        " ORDER BY t.attempt_id, t.question_id",
        (user_id,),
    )
    data["test_answers"] = [dict(row) for row in answers]
    # Entries about the person and actions the person took. Other staff's addresses are
    # not the person's data: an entry names its actor by role only.
    audit = await db.fetchall(
        "SELECT l.at, l.action, l.target_type, l.target_id, l.details,"
        " CASE WHEN l.actor_id = :u THEN 'selbst' ELSE coalesce(a.role, 'system') END AS actor"
        " FROM audit_log l LEFT JOIN users a ON a.id = l.actor_id"
        " WHERE (l.target_type = 'user' AND l.target_id = :t) OR l.actor_id = :u ORDER BY l.id",
        {"u": user_id, "t": str(user_id)},
    )
    data["audit_log"] = [{**dict(row), "details": json.loads(row["details"])} for row in audit]
    for table in ("answers", "test_answers"):
        for row in data[table]:
            try:
                row["response"] = json.loads(row["response"]) if row["response"] else None
            except ValueError:
                pass
    return data


def pseudonym(user_id: int) -> tuple[str, str]:
    return f"Anonym {user_id}", f"anonym-{user_id}@invalid"


def tombstone(user_id: int) -> tuple[str, str]:
    return "Gelöschtes Konto", f"geloescht-{user_id}@invalid"


def _scrub(value: Any, replacements: list[tuple[str, str]]) -> Any:
    if isinstance(value, str):
        lowered = value.casefold()
        for old, new in replacements:
            start = lowered.find(old.casefold())
            while start >= 0:
                value = value[:start] + new + value[start + len(old) :]
                lowered = value.casefold()
                start = lowered.find(old.casefold(), start + len(new))
        return value
    if isinstance(value, list):
        return [_scrub(item, replacements) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, replacements) for key, item in value.items()}
    return value


async def _forget_identity(
    tx: Transaction, user_id: int, *, name: str, email: str, state: int
) -> None:
    """Put `name`/`email` in place of the person's own, in every table that holds them."""
    row = await tx.fetchone("SELECT name, email FROM users WHERE id = ?", (user_id,))
    if row is None:
        return
    old_name, old_email = str(row["name"]), str(row["email"])
    await tx.execute(
        "UPDATE users SET name = ?, email = ?, password_hash = NULL, active = 0,"
        " anonymised = ?, locale = NULL, password_changed_at = NULL WHERE id = ?",
        (name, email, state, user_id),
    )
    for certificates in ("certificates", "certificates_replaced"):
        await tx.execute(
            f"UPDATE {certificates} SET learner_name = ? WHERE user_id = ?",  # noqa: S608 - constants
            (name, user_id),
        )
    await tx.execute("DELETE FROM login_attempts WHERE email = ?", (old_email,))
    # Mails to the person hold the address and the name: queued ones must not go out
    # to a pseudonym, sent ones are history nobody needs with a name in it.
    await tx.execute(
        "DELETE FROM outbox WHERE to_user_id = ? OR lower(to_address) = lower(?)",
        (user_id, old_email),
    )
    for table in ("sessions", "invitations", "reflections", "extra_time"):
        await tx.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))  # noqa: S608 - table names from a fixed tuple
    # Drafts are unsubmitted answers: nothing the reports count.
    await tx.execute(
        "DELETE FROM test_drafts WHERE attempt_id IN"
        " (SELECT id FROM test_attempts WHERE user_id = ?)",
        (user_id,),
    )
    await tx.execute(
        "UPDATE audit_log SET actor_email = ? WHERE actor_id = ? OR actor_email = ? COLLATE NOCASE",
        (email, user_id, old_email),
    )
    # Entries about this account may hold earlier names too (a rename records before
    # and after): every "name" value in them is one of the person's names.
    about_rows = await tx.fetchall(
        "SELECT details FROM audit_log WHERE target_type = 'user' AND target_id = ?",
        (str(user_id),),
    )
    names = {old_name}
    for about_row in about_rows:
        names |= set(_values_at(json.loads(about_row["details"]), "name"))
    names.discard("")
    # The e-mail is replaced wherever it occurs. A name can be a common word, so it is
    # replaced everywhere only in entries about this account, elsewhere where a value
    # is exactly the name.
    needles = [old_email, *sorted(names)]
    where = " OR ".join(["instr(lower(details), lower(?))"] * len(needles))
    candidates = await tx.fetchall(
        f"SELECT id, target_type, target_id, details FROM audit_log WHERE {where}",  # noqa: S608 - placeholders only
        needles,
    )
    for entry in candidates:
        details = json.loads(entry["details"])
        about = entry["target_type"] == "user" and entry["target_id"] == str(user_id)
        replacements = [(old_email, email)]
        if about:
            replacements += [(n, name) for n in sorted(names, key=len, reverse=True)]
        details = _scrub(details, replacements)
        for each in names:
            details = _replace_exact(details, each, name)
        await tx.execute(
            "UPDATE audit_log SET details = ? WHERE id = ?",
            (json.dumps(details, ensure_ascii=False, sort_keys=True), entry["id"]),
        )


def _values_at(value: Any, key: str) -> list[str]:
    if isinstance(value, dict):
        found = [str(v) for k, v in value.items() if k == key and isinstance(v, str)]
        return found + [x for v in value.values() for x in _values_at(v, key)]
    if isinstance(value, list):
        return [x for item in value for x in _values_at(item, key)]
    return []


def _replace_exact(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return new if value.casefold() == old.casefold() else value
    if isinstance(value, list):
        return [_replace_exact(item, old, new) for item in value]
    if isinstance(value, dict):
        return {key: _replace_exact(item, old, new) for key, item in value.items()}
    return value


async def anonymise(tx: Transaction, user_id: int) -> None:
    """Replace name and e-mail with a pseudonym everywhere, clear the password, disable,
    end sessions, drop open links and private notes. Learning facts stay attached."""
    name, email = pseudonym(user_id)
    await _forget_identity(tx, user_id, name=name, email=email, state=ANONYMISED)


async def delete_learner(tx: Transaction, user_id: int) -> None:
    """Everything anonymise does, then remove every row the aggregate figures do not need.

    The account row stays as a tombstone that cannot sign in, be re-activated or
    re-invited, so the completion counts and item statistics of the reports stay right.
    """
    name, email = tombstone(user_id)
    await _forget_identity(tx, user_id, name=name, email=email, state=DELETED)
    for table in ("answers", "scenario_runs", "certificates", "certificates_replaced"):
        await tx.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))  # noqa: S608 - table names from a fixed tuple
    await tx.execute(
        "UPDATE test_answers SET response = NULL WHERE attempt_id IN"
        " (SELECT id FROM test_attempts WHERE user_id = ?)",
        (user_id,),
    )


async def is_deleted(db: Database, user_id: int) -> bool:
    state = await db.scalar("SELECT anonymised FROM users WHERE id = ?", (user_id,))
    return bool(state == DELETED)


async def is_anonymised(db: Database, user_id: int) -> bool:
    state = await db.scalar("SELECT anonymised FROM users WHERE id = ?", (user_id,))
    return bool(state in (ANONYMISED, DELETED))


async def purge(tx: Transaction, before: datetime) -> dict[str, int]:
    """Remove page views, answers and test attempts older than `before`.

    Completions stay, and so does the attempt each completion points to. Snapshots no
    attempt points to any more go too (course content only; a new attempt on the same
    content simply stores its snapshot again).
    """
    cutoff = to_db(before)
    removed: dict[str, int] = {}
    cur = await tx.execute("DELETE FROM page_views WHERE last_seen < ?", (cutoff,))
    removed["page_views"] = cur.rowcount
    await cur.close()
    cur = await tx.execute("DELETE FROM answers WHERE created_at < ?", (cutoff,))
    removed["answers"] = cur.rowcount
    await cur.close()
    cur = await tx.execute(
        "DELETE FROM scenario_runs WHERE coalesce(finished_at, started_at) < ?", (cutoff,)
    )
    removed["scenario_runs"] = cur.rowcount
    await cur.close()
    cur = await tx.execute(
        "DELETE FROM test_attempts WHERE coalesce(submitted_at, started_at) < ?"
        " AND id NOT IN (SELECT attempt_id FROM completions WHERE attempt_id IS NOT NULL)",
        (cutoff,),
    )
    removed["test_attempts"] = cur.rowcount
    await cur.close()
    cur = await tx.execute(
        "DELETE FROM test_snapshots WHERE NOT EXISTS"
        " (SELECT 1 FROM test_attempts a WHERE a.snapshot_id = test_snapshots.id)"
    )
    removed["test_snapshots"] = cur.rowcount
    await cur.close()
    return removed
