from __future__ import annotations

import logging
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from learning.core.config import ConfigError, Secret, settings_from_env


def test_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = settings_from_env({})
    assert settings.database == Path("var/learning.sqlite3")
    assert settings.courses == Path("courses")
    assert settings.reports == "aggregate" and settings.min_group == 5
    assert settings.idle_timeout == 1800 and settings.absolute_timeout == 43200
    key_file = tmp_path / "var" / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    # Same key on the next start.
    assert settings_from_env({}).secret_key == settings.secret_key


def test_environment_and_flags(tmp_path: Path) -> None:
    env = {
        "LEARNING_DATABASE": str(tmp_path / "x.db"),
        "LEARNING_SECRET_KEY": "k" * 32,
        "LEARNING_REPORTS": "named",
        "LEARNING_MIN_GROUP": "8",
    }
    settings = settings_from_env(env, port=9000)
    assert settings.database == tmp_path / "x.db"
    assert settings.reports == "named" and settings.min_group == 8 and settings.port == 9000


def test_bad_values_give_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="LEARNING_PORT"):
        settings_from_env({"LEARNING_PORT": "abc", "LEARNING_SECRET_KEY": "k" * 32})
    with pytest.raises(ConfigError, match="LEARNING_REPORTS"):
        settings_from_env({"LEARNING_REPORTS": "alles", "LEARNING_SECRET_KEY": "k" * 32})


def test_secret_never_in_repr_or_log(caplog: pytest.LogCaptureFixture) -> None:
    settings = settings_from_env({"LEARNING_SECRET_KEY": "super-geheimer-schluessel-123"})
    assert "super-geheimer" not in repr(settings)
    assert "super-geheimer" not in str(settings.secret_key)
    with caplog.at_level(logging.INFO):
        logging.getLogger("t").info("settings: %s", settings)
    assert "super-geheimer" not in caplog.text
    assert isinstance(settings.secret_key, Secret)


def test_import_body_limit_from_environment() -> None:
    env = {"LEARNING_SECRET_KEY": "k" * 32, "LEARNING_MAX_IMPORT_BYTES": "4096"}
    assert settings_from_env(env).max_import_body == 4096
    with pytest.raises(ConfigError, match="LEARNING_MAX_IMPORT_BYTES"):
        settings_from_env({**env, "LEARNING_MAX_IMPORT_BYTES": "10"})


def test_hsts_and_hashing_pool_settings() -> None:
    key = {"LEARNING_SECRET_KEY": "k" * 32}
    defaults = settings_from_env(key)
    assert defaults.hsts_subdomains is True
    assert (defaults.hash_queue, defaults.hash_wait) == (256, 10.0)
    settings = settings_from_env(
        {
            **key,
            "LEARNING_HSTS_SUBDOMAINS": "0",
            "LEARNING_HASH_QUEUE": "0",
            "LEARNING_HASH_WAIT": "2.5",
        }
    )
    assert settings.hsts_subdomains is False
    assert (settings.hash_queue, settings.hash_wait) == (0, 2.5)
    with pytest.raises(ConfigError, match="LEARNING_HSTS_SUBDOMAINS"):
        settings_from_env({**key, "LEARNING_HSTS_SUBDOMAINS": "vielleicht"})
    with pytest.raises(ConfigError, match="LEARNING_HASH_QUEUE"):
        settings_from_env({**key, "LEARNING_HASH_QUEUE": "-1"})
    for bad in ("bald", "-1", "nan", "inf"):
        with pytest.raises(ConfigError, match="LEARNING_HASH_WAIT"):
            settings_from_env({**key, "LEARNING_HASH_WAIT": bad})


def test_timezone_and_reminder_settings() -> None:
    key = {"LEARNING_SECRET_KEY": "k" * 32}
    defaults = settings_from_env(key)
    assert defaults.timezone.key == "Europe/Berlin"
    assert (defaults.reminder_hour, defaults.reminder_digest) == (7, "off")
    settings = settings_from_env(
        {
            **key,
            "LEARNING_TIMEZONE": "Europe/Vienna",
            "LEARNING_REMINDER_HOUR": "18",
            "LEARNING_REMINDER_DIGEST": "Weekly",
        }
    )
    assert settings.timezone.key == "Europe/Vienna"
    assert (settings.reminder_hour, settings.reminder_digest) == (18, "weekly")
    assert settings_from_env({**key, "LEARNING_REMINDER_HOUR": "off"}).reminder_hour is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LEARNING_TIMEZONE", "Mars/Olympus"),
        ("LEARNING_TIMEZONE", "../etc/passwd"),
        ("LEARNING_REMINDER_HOUR", "24"),
        ("LEARNING_REMINDER_HOUR", "sieben"),
        ("LEARNING_REMINDER_DIGEST", "monthly"),
    ],
)
def test_bad_reminder_settings_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        settings_from_env({"LEARNING_SECRET_KEY": "k" * 32, name: value})


def test_timezone_default_and_from_environment() -> None:
    key = {"LEARNING_SECRET_KEY": "k" * 32}
    assert settings_from_env(key).timezone == ZoneInfo("Europe/Berlin")
    settings = settings_from_env({**key, "LEARNING_TIMEZONE": "Europe/Vienna"})
    assert settings.timezone == ZoneInfo("Europe/Vienna")
    for bad in ("Mars/Olympus", "../etc/passwd", ""):
        with pytest.raises(ConfigError, match="LEARNING_TIMEZONE: unbekannte Zeitzone"):
            settings_from_env({**key, "LEARNING_TIMEZONE": bad})


def test_organisation_name_and_logo_are_checked_at_start(tmp_path: Path) -> None:
    key = {"LEARNING_SECRET_KEY": "k" * 32}
    png = tmp_path / "logo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    settings = settings_from_env(
        {**key, "LEARNING_ORG_NAME": " Stadt Leipzig ", "LEARNING_ORG_LOGO": str(png)}
    )
    assert settings.org_name == "Stadt Leipzig" and settings.org_logo == png
    text = tmp_path / "logo.txt"
    text.write_text("kein Bild", encoding="utf-8")
    with pytest.raises(ConfigError, match="kein PNG- oder JPEG-Bild"):
        settings_from_env({**key, "LEARNING_ORG_LOGO": str(text)})
    with pytest.raises(ConfigError, match="lässt sich nicht lesen"):
        settings_from_env({**key, "LEARNING_ORG_LOGO": str(tmp_path / "fehlt.png")})
    with pytest.raises(ConfigError, match="LEARNING_ORG_NAME"):
        settings_from_env({**key, "LEARNING_ORG_NAME": "  "})
