"""What every command shares: settings from flags and environment, and one error line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from learning.core.config import Settings, database_values, settings_from_env


def settings_for(args: argparse.Namespace, **flags: object) -> Settings:
    values: dict[str, object] = dict(flags)
    if getattr(args, "database", None):
        values.update(database_values(args.database))
    if getattr(args, "courses", None):
        values["courses"] = Path(args.courses)
    return settings_from_env(None, **values)


def fail(message: str, code: int = 2) -> int:
    print(f"Fehler: {message}", file=sys.stderr)
    return code
