"""Settings: read once from LEARNING_* environment variables and CLI flags."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from learning.core.config_values import ConfigError as ConfigError
from learning.core.config_values import Secret as Secret
from learning.core.config_values import as_bool as _as_bool
from learning.core.config_values import as_int as _as_int
from learning.core.config_values import as_seconds as _as_seconds
from learning.core.mail_settings import MailSettings, mail_settings_from_env

CACHES = frozenset({"questions", "shells", "figures"})
PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


ReportMode = Literal["aggregate", "named"]
DigestMode = Literal["off", "daily", "weekly"]
DEFAULT_TIMEZONE = "Europe/Berlin"


@dataclass(frozen=True, slots=True)
class Settings:
    database: Path = Path("var/learning.sqlite3")
    # A postgresql:// URL selects PostgreSQL; `database` then only names the folder
    # (var/) that holds the secret key.
    database_url: str = ""
    courses: Path = Path("courses")
    secret_key: Secret = field(default_factory=lambda: Secret(""))
    host: str = "127.0.0.1"
    port: int = 8000
    base_url: str = ""
    https: bool = False
    idle_timeout: int = 30 * 60
    absolute_timeout: int = 12 * 60 * 60
    readers: int = 3
    hash_concurrency: int = 2
    # A login beyond these waits for a free argon2 slot is answered with a "busy" page.
    hash_queue: int = 256
    hash_wait: float = 10.0
    # HSTS with includeSubDomains unless a subdomain of this host must stay on http.
    hsts_subdomains: bool = True
    reports: ReportMode = "aggregate"
    min_group: int = 5
    templates: Path = PROJECT_ROOT / "templates"
    static: Path = PROJECT_ROOT / "static"
    reload: bool = False
    log_level: str = "info"
    accessibility_contact: str = "barrierefreiheit@example.org"
    # Only the load harness sets this: it adds the /_bench/static ceiling route.
    bench_ceiling: bool = False
    # Request bodies above these are refused (413) before they are read; the CSV
    # import, the only upload, has its own larger limit.
    max_body: int = 2 * 1024 * 1024
    max_import_body: int = 10 * 1024 * 1024
    # Which render and report caches are on (web/caches.py); --reload turns all off.
    caches: frozenset[str] = CACHES
    # Local time of the service: calendar days of due dates and reminders, the daily hour.
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIMEZONE))
    # The server sends due reminders once a day from this local hour on (0-23); None
    # ("off"): only `learning reminders send` does, e.g. from cron.
    reminder_hour: int | None = 7
    # The overdue digest to group admins: off, daily, or weekly (on Mondays).
    reminder_digest: DigestMode = "off"
    # SMTP and the outbox (core/mail_settings.py); empty host: mails go to the log.
    mail: MailSettings = field(default_factory=MailSettings)
    # The issuer named on certificates, and its logo (PNG or JPEG), checked at start.
    org_name: str = "Interkulturell beraten"
    org_logo: Path | None = None
    # Seconds between two removals of ended sessions and old login attempts, for the
    # whole cluster (store/housekeeping.py).
    housekeeping_interval: float = 3600.0

    @property
    def database_target(self) -> str | Path:
        """What `open_database()` opens: the PostgreSQL URL, or else the SQLite file."""
        return self.database_url or self.database

    @property
    def public_url(self) -> str:
        if self.base_url:
            return self.base_url.rstrip("/")
        scheme = "https" if self.https else "http"
        return f"{scheme}://{self.host}:{self.port}"

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def _as_caches(raw: str) -> frozenset[str]:
    names = frozenset(n.strip().lower() for n in raw.split(",") if n.strip())
    if names == {"none"}:
        return frozenset()
    unknown = names - CACHES
    if unknown:
        raise ConfigError(
            f"LEARNING_CACHES: unbekannt {', '.join(sorted(unknown))}; erlaubt sind"
            f" {', '.join(sorted(CACHES))} oder none"
        )
    return names


def _as_timezone(raw: str) -> ZoneInfo:
    try:
        return ZoneInfo(raw.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"LEARNING_TIMEZONE: unbekannte Zeitzone {raw!r} (Beispiel: Europe/Berlin)"
        ) from None


def _as_hour(raw: str) -> int | None:
    if raw.strip().lower() in ("off", "aus"):
        return None
    hour = _as_int("LEARNING_REMINDER_HOUR", raw, 0)
    if hour > 23:
        raise ConfigError(
            f"LEARNING_REMINDER_HOUR: eine Stunde von 0 bis 23 oder off, nicht {hour}"
        )
    return hour


def _reminder_values(env: Mapping[str, str]) -> dict[str, object]:
    values: dict[str, object] = {}
    if "LEARNING_TIMEZONE" in env:
        values["timezone"] = _as_timezone(env["LEARNING_TIMEZONE"])
    if "LEARNING_REMINDER_HOUR" in env:
        values["reminder_hour"] = _as_hour(env["LEARNING_REMINDER_HOUR"])
    if "LEARNING_REMINDER_DIGEST" in env:
        digest = env["LEARNING_REMINDER_DIGEST"].strip().lower()
        if digest not in ("off", "daily", "weekly"):
            raise ConfigError(
                f"LEARNING_REMINDER_DIGEST: off, daily oder weekly erwartet, nicht {digest!r}"
            )
        values["reminder_digest"] = digest
    return values


LOGO_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def _as_logo(raw: str) -> Path:
    path = Path(raw)
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        raise ConfigError(
            f"LEARNING_ORG_LOGO: die Datei {raw!r} lässt sich nicht lesen; bitte den Pfad prüfen"
        ) from None
    if not head.startswith(LOGO_SIGNATURES):
        raise ConfigError(
            f"LEARNING_ORG_LOGO: {raw!r} ist kein PNG- oder JPEG-Bild; bitte ein Logo als"
            " PNG oder JPEG angeben"
        )
    return path


def _as_name(name: str, raw: str) -> str:
    value = raw.strip()
    if not value or len(value) > 120 or not value.isprintable():
        raise ConfigError(f"{name}: 1 bis 120 druckbare Zeichen erwartet, nicht {raw!r}")
    return value


def load_secret_key(path: Path) -> Secret:
    """Read the key file, creating it with mode 0600 on first start."""
    if path.exists():
        return Secret(path.read_text(encoding="utf-8").strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key + "\n")
    return Secret(key)


def database_values(value: str) -> dict[str, object]:
    """LEARNING_DATABASE or --database: a path, `sqlite:PATH` or a postgresql:// URL."""
    value = value.strip()
    if value.startswith(("postgresql://", "postgres://")):
        return {"database_url": value}
    if value.startswith("sqlite:"):
        value = value.removeprefix("sqlite:").removeprefix("//")
    if not value:
        raise ConfigError(
            "LEARNING_DATABASE: Pfad zur SQLite-Datei oder postgresql://-URL erwartet"
        )
    return {"database": Path(value), "database_url": ""}


def courses_from_env(env: Mapping[str, str] | None = None) -> Path:
    """The courses folder the server reads, without loading (or creating) the secret key."""
    env = os.environ if env is None else env
    return Path(env.get("LEARNING_COURSES", "courses"))


def settings_from_env(env: Mapping[str, str] | None = None, **flags: object) -> Settings:
    """Build the settings once: flags beat environment variables beat defaults."""
    env = os.environ if env is None else env
    values: dict[str, object] = {}
    if "LEARNING_DATABASE" in env:
        values.update(database_values(env["LEARNING_DATABASE"]))
    if "LEARNING_COURSES" in env:
        values["courses"] = Path(env["LEARNING_COURSES"])
    if "LEARNING_HOST" in env:
        values["host"] = env["LEARNING_HOST"]
    if "LEARNING_PORT" in env:
        values["port"] = _as_int("LEARNING_PORT", env["LEARNING_PORT"], 1)
    if "LEARNING_BASE_URL" in env:
        values["base_url"] = env["LEARNING_BASE_URL"]
    if "LEARNING_HTTPS" in env:
        values["https"] = _as_bool("LEARNING_HTTPS", env["LEARNING_HTTPS"])
    if "LEARNING_HSTS_SUBDOMAINS" in env:
        values["hsts_subdomains"] = _as_bool(
            "LEARNING_HSTS_SUBDOMAINS", env["LEARNING_HSTS_SUBDOMAINS"]
        )
    if "LEARNING_HASH_QUEUE" in env:
        values["hash_queue"] = _as_int("LEARNING_HASH_QUEUE", env["LEARNING_HASH_QUEUE"], 0)
    if "LEARNING_HASH_WAIT" in env:
        values["hash_wait"] = _as_seconds("LEARNING_HASH_WAIT", env["LEARNING_HASH_WAIT"])
    if "LEARNING_IDLE_TIMEOUT" in env:
        values["idle_timeout"] = _as_int("LEARNING_IDLE_TIMEOUT", env["LEARNING_IDLE_TIMEOUT"], 60)
    if "LEARNING_ABSOLUTE_TIMEOUT" in env:
        values["absolute_timeout"] = _as_int(
            "LEARNING_ABSOLUTE_TIMEOUT", env["LEARNING_ABSOLUTE_TIMEOUT"], 60
        )
    if "LEARNING_READERS" in env:
        values["readers"] = _as_int("LEARNING_READERS", env["LEARNING_READERS"], 1)
    if "LEARNING_REPORTS" in env:
        mode = env["LEARNING_REPORTS"].strip().lower()
        if mode not in ("aggregate", "named"):
            raise ConfigError(f"LEARNING_REPORTS: aggregate oder named erwartet, nicht {mode!r}")
        values["reports"] = mode
    if "LEARNING_MIN_GROUP" in env:
        values["min_group"] = _as_int("LEARNING_MIN_GROUP", env["LEARNING_MIN_GROUP"], 1)
    if "LEARNING_LOG_LEVEL" in env:
        values["log_level"] = env["LEARNING_LOG_LEVEL"].lower()
    if "LEARNING_ACCESSIBILITY_CONTACT" in env:
        values["accessibility_contact"] = env["LEARNING_ACCESSIBILITY_CONTACT"]
    if "LEARNING_BENCH_CEILING" in env:
        values["bench_ceiling"] = _as_bool("LEARNING_BENCH_CEILING", env["LEARNING_BENCH_CEILING"])
    if "LEARNING_MAX_IMPORT_BYTES" in env:
        values["max_import_body"] = _as_int(
            "LEARNING_MAX_IMPORT_BYTES", env["LEARNING_MAX_IMPORT_BYTES"], 1024
        )
    if "LEARNING_HOUSEKEEPING_INTERVAL" in env:
        values["housekeeping_interval"] = max(
            1.0,
            _as_seconds("LEARNING_HOUSEKEEPING_INTERVAL", env["LEARNING_HOUSEKEEPING_INTERVAL"]),
        )
    if "LEARNING_CACHES" in env:
        values["caches"] = _as_caches(env["LEARNING_CACHES"])
    values.update(_reminder_values(env))
    values["mail"] = mail_settings_from_env(env)
    if "LEARNING_ORG_NAME" in env:
        values["org_name"] = _as_name("LEARNING_ORG_NAME", env["LEARNING_ORG_NAME"])
    if env.get("LEARNING_ORG_LOGO"):
        values["org_logo"] = _as_logo(env["LEARNING_ORG_LOGO"])
    values.update({k: v for k, v in flags.items() if v is not None})
    settings = Settings(**values)  # type: ignore[arg-type]
    if "LEARNING_SECRET_KEY" in env:
        key = Secret(env["LEARNING_SECRET_KEY"])
    else:
        key = load_secret_key(settings.database.parent / "secret_key")
    if len(key.reveal()) < 16:
        raise ConfigError("LEARNING_SECRET_KEY: mindestens 16 Zeichen erforderlich")
    return replace(settings, secret_key=key)
