"""Mail settings: the SMTP server, the sender address, and how the outbox retries.

Without LEARNING_SMTP_HOST (the embedded default) nothing is sent over the network:
each mail is written to the server log, and the admin pages show links as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr

from learning.core.config_values import ConfigError, Secret, as_bool, as_int, as_seconds

# Ports by connection security: implicit TLS, STARTTLS, plain.
TLS_PORT = 465
STARTTLS_PORT = 587
PLAIN_PORT = 25
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
DEFAULT_FROM = "Lerndienst <noreply@localhost>"


@dataclass(frozen=True, slots=True)
class MailSettings:
    smtp_host: str = ""
    smtp_port: int = 0  # 0: by security, 465 (TLS), 587 (STARTTLS) or 25
    smtp_user: str = ""
    smtp_password: Secret = field(default_factory=lambda: Secret(""))
    starttls: bool = False
    tls: bool = False
    mail_from: str = DEFAULT_FROM
    reply_to: str = ""
    # One SMTP conversation step (connect, a command, the data) may take this long.
    timeout: float = 30.0
    # The n-th retry waits retry_base * 2**(n-1) seconds, at most retry_cap.
    retry_base: float = 60.0
    retry_cap: float = 3600.0
    # Then the mail is failed: after this many attempts, or this long after queueing.
    max_attempts: int = 10
    max_age: float = 3 * 24 * 3600.0
    # The sender looks for due mails this often (and at once when this process queues).
    poll: float = 5.0

    @property
    def embedded(self) -> bool:
        """No SMTP server: mails go to the server log."""
        return not self.smtp_host

    @property
    def port(self) -> int:
        if self.smtp_port:
            return self.smtp_port
        return TLS_PORT if self.tls else STARTTLS_PORT if self.starttls else PLAIN_PORT

    @property
    def from_domain(self) -> str:
        """The domain of the sender address: the right-hand side of every Message-ID."""
        return parseaddr(self.mail_from)[1].rpartition("@")[2] or "localhost"


def _address(name: str, raw: str) -> str:
    _display, address = parseaddr(raw)
    local, at, domain = address.partition("@")
    if not ((at and local and "." in domain) or domain == "localhost") or any(
        ch in raw for ch in "\r\n"
    ):
        raise ConfigError(f"{name}: keine gültige E-Mail-Adresse: {raw!r}")
    return raw.strip()


_SMTP_ONLY = (
    "LEARNING_SMTP_PORT",
    "LEARNING_SMTP_USER",
    "LEARNING_SMTP_PASSWORD",
    "LEARNING_SMTP_STARTTLS",
    "LEARNING_SMTP_TLS",
)


def _given(name: str, raw: str) -> bool:
    """Whether a setting asks for something: a switch set to false asks for nothing."""
    if name.endswith(("TLS", "STARTTLS")):
        return as_bool(name, raw)
    return bool(raw.strip())


def _check(mail: MailSettings, env: Mapping[str, str]) -> None:
    """Refuse combinations that cannot work, each with one German line."""
    if mail.embedded:
        stray = [name for name in _SMTP_ONLY if _given(name, env.get(name, ""))]
        if stray:
            raise ConfigError(f"{stray[0]} ist gesetzt, aber LEARNING_SMTP_HOST nicht")
        return
    if mail.tls and mail.starttls:
        raise ConfigError(
            "LEARNING_SMTP_TLS und LEARNING_SMTP_STARTTLS schließen sich aus:"
            " TLS (meist Port 465) oder STARTTLS (meist Port 587), nicht beides"
        )
    if bool(mail.smtp_user) != bool(mail.smtp_password.reveal()):
        raise ConfigError(
            "LEARNING_SMTP_USER und LEARNING_SMTP_PASSWORD gehören zusammen: bitte beide setzen"
        )
    plain = not (mail.tls or mail.starttls)
    if mail.smtp_user and plain and mail.smtp_host not in LOCAL_HOSTS:
        raise ConfigError(
            "LEARNING_SMTP_USER ohne LEARNING_SMTP_STARTTLS oder LEARNING_SMTP_TLS:"
            " das Passwort ginge unverschlüsselt über das Netz"
        )
    if "LEARNING_MAIL_FROM" not in env:
        raise ConfigError(
            "LEARNING_SMTP_HOST ist gesetzt, aber LEARNING_MAIL_FROM nicht:"
            " bitte die Absenderadresse angeben"
        )


def mail_settings_from_env(env: Mapping[str, str]) -> MailSettings:
    values: dict[str, object] = {}
    if env.get("LEARNING_SMTP_HOST", "").strip():
        values["smtp_host"] = env["LEARNING_SMTP_HOST"].strip()
    if env.get("LEARNING_SMTP_PORT", "").strip():
        values["smtp_port"] = as_int("LEARNING_SMTP_PORT", env["LEARNING_SMTP_PORT"], 1)
    if env.get("LEARNING_SMTP_USER", "").strip():
        values["smtp_user"] = env["LEARNING_SMTP_USER"].strip()
    if env.get("LEARNING_SMTP_PASSWORD", ""):
        values["smtp_password"] = Secret(env["LEARNING_SMTP_PASSWORD"])
    for name, key in (("LEARNING_SMTP_STARTTLS", "starttls"), ("LEARNING_SMTP_TLS", "tls")):
        if name in env:
            values[key] = as_bool(name, env[name])
    if "LEARNING_MAIL_FROM" in env:
        values["mail_from"] = _address("LEARNING_MAIL_FROM", env["LEARNING_MAIL_FROM"])
    if env.get("LEARNING_MAIL_REPLY_TO", "").strip():
        values["reply_to"] = _address("LEARNING_MAIL_REPLY_TO", env["LEARNING_MAIL_REPLY_TO"])
    for name, key in (
        ("LEARNING_SMTP_TIMEOUT", "timeout"),
        ("LEARNING_MAIL_RETRY", "retry_base"),
        ("LEARNING_MAIL_POLL", "poll"),
    ):
        if name in env:
            values[key] = as_seconds(name, env[name])
    if "LEARNING_MAIL_MAX_ATTEMPTS" in env:
        values["max_attempts"] = as_int(
            "LEARNING_MAIL_MAX_ATTEMPTS", env["LEARNING_MAIL_MAX_ATTEMPTS"], 1
        )
    if "LEARNING_MAIL_MAX_AGE" in env:
        hours = as_int("LEARNING_MAIL_MAX_AGE", env["LEARNING_MAIL_MAX_AGE"], 1)
        values["max_age"] = hours * 3600.0
    mail = MailSettings(**values)  # type: ignore[arg-type]
    _check(mail, env)
    return mail
