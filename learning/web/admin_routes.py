"""The admin and trainer URL map (users, groups, reports, trainer pages)."""

from __future__ import annotations

from starlette.routing import BaseRoute


def admin_routes() -> list[BaseRoute]:
    return []
