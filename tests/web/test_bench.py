from __future__ import annotations

from learning.core.config import Settings, settings_from_env
from learning.web.app import create_app


def _paths(settings: Settings) -> set[str]:
    app = create_app(settings, announce=False)
    return {getattr(route, "path", "") for route in app.routes}


def test_ceiling_route_exists_only_when_asked_for(settings: Settings) -> None:
    assert "/_bench/static" not in _paths(settings)
    assert "/_bench/static" in _paths(settings.with_overrides(bench_ceiling=True))


def test_ceiling_setting_is_read_from_the_environment() -> None:
    env = {"LEARNING_SECRET_KEY": "x" * 32, "LEARNING_BENCH_CEILING": "1"}
    assert settings_from_env(env).bench_ceiling
    assert not settings_from_env({"LEARNING_SECRET_KEY": "x" * 32}).bench_ceiling
