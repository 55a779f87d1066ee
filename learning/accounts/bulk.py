"""Bulk actions on accounts: which of the chosen accounts an action applies to, and why not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from learning.core.i18n import N_
from learning.store.account_list import Account

Action = Literal["enrol", "disable", "invite"]
ACTIONS: tuple[Action, ...] = ("enrol", "disable", "invite")
ACTION_LABELS: dict[Action, str] = {
    "enrol": N_("In einen Kurs einschreiben"),
    "disable": N_("Deaktivieren"),
    "invite": N_("Neue Einladung senden"),
}
# The confirmation posts one field per account; the form parser takes 2000 fields.
MAX_ACCOUNTS = 1500


@dataclass(frozen=True, slots=True)
class Skipped:
    account: Account
    reason: str


@dataclass(frozen=True, slots=True)
class Plan:
    action: Action
    todo: tuple[Account, ...]
    skipped: tuple[Skipped, ...]


def _reason(action: Action, account: Account, actor_id: int, enrolled: set[int]) -> str | None:
    user = account.user
    if action == "disable":
        if user.id == actor_id:
            return N_("Ihr eigenes Konto wird nicht deaktiviert.")
        return None if user.active else N_("ist bereits deaktiviert")
    if not user.active:
        return N_("ist deaktiviert")
    if action == "enrol":
        if user.role != "learner":
            return N_(
                "ist keine Lernende/kein Lernender (Kurse sehen Trainer/innen in der Vorschau)"
            )
        return N_("ist bereits eingeschrieben") if user.id in enrolled else None
    if user.password_hash is not None:
        return N_("hat schon ein Passwort: nutzen Sie auf der Kontoseite den Link zum Zurücksetzen")
    return None


def plan_bulk(
    action: Action, accounts: list[Account], *, actor_id: int, enrolled: set[int] | None = None
) -> Plan:
    """Split the chosen accounts into those the action changes and those it leaves alone."""
    todo: list[Account] = []
    skipped: list[Skipped] = []
    for account in accounts:
        reason = _reason(action, account, actor_id, enrolled or set())
        if reason is None:
            todo.append(account)
        else:
            skipped.append(Skipped(account, reason))
    return Plan(action, tuple(todo), tuple(skipped))
