"""The pieces settings are made of: a Secret, the error, and readers of typed values."""

from __future__ import annotations

import secrets


class Secret:
    """A string that never shows itself in a repr, a log line or a traceback."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and secrets.compare_digest(self._value, other._value)

    def __hash__(self) -> int:
        return hash(self._value)


class ConfigError(Exception):
    """A setting has a value that cannot be used; the message says which and why."""


def as_int(name: str, raw: str, minimum: int = 0) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}: ganze Zahl erwartet, nicht {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name}: muss mindestens {minimum} sein, nicht {value}")
    return value


def as_seconds(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}: Sekunden als Zahl erwartet, nicht {raw!r}") from None
    if not value >= 0 or value == float("inf"):
        raise ConfigError(f"{name}: muss eine Zahl ab 0 sein, nicht {raw!r}")
    return value


def as_bool(name: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "ja", "on"}:
        return True
    if lowered in {"0", "false", "no", "nein", "off", ""}:
        return False
    raise ConfigError(f"{name}: true oder false erwartet, nicht {raw!r}")


__all__ = ["ConfigError", "Secret", "as_bool", "as_int", "as_seconds"]
