"""LEARNING_SMTP_* and LEARNING_MAIL_*: defaults, ports, and combinations that cannot work."""

from __future__ import annotations

import pytest

from learning.core.config import ConfigError, settings_from_env

KEY = {"LEARNING_SECRET_KEY": "k" * 32}
HOST = {"LEARNING_SMTP_HOST": "smtp.example.org", "LEARNING_MAIL_FROM": "Lernen <l@example.org>"}


def test_without_a_host_mail_is_embedded() -> None:
    mail = settings_from_env(KEY).mail
    assert mail.embedded
    assert mail.from_domain == "localhost"


def test_a_full_configuration_is_read() -> None:
    mail = settings_from_env(
        {
            **KEY,
            **HOST,
            "LEARNING_SMTP_USER": "lerndienst",
            "LEARNING_SMTP_PASSWORD": "geheim",
            "LEARNING_SMTP_STARTTLS": "true",
            "LEARNING_MAIL_REPLY_TO": "team@example.org",
            "LEARNING_MAIL_MAX_ATTEMPTS": "4",
            "LEARNING_MAIL_MAX_AGE": "12",
        }
    ).mail
    assert not mail.embedded
    assert (mail.port, mail.starttls, mail.tls) == (587, True, False)
    assert mail.smtp_password.reveal() == "geheim"
    assert "geheim" not in repr(mail)
    assert mail.from_domain == "example.org"
    assert (mail.reply_to, mail.max_attempts, mail.max_age) == ("team@example.org", 4, 43200.0)


@pytest.mark.parametrize(
    ("tls", "port"),
    [({"LEARNING_SMTP_TLS": "1"}, 465), ({}, 25), ({"LEARNING_SMTP_PORT": "2525"}, 2525)],
)
def test_port_follows_the_security(tls: dict[str, str], port: int) -> None:
    assert settings_from_env({**KEY, **HOST, **tls}).mail.port == port


@pytest.mark.parametrize(
    ("env", "says"),
    [
        (
            {"LEARNING_SMTP_PORT": "587"},
            "LEARNING_SMTP_PORT ist gesetzt, aber LEARNING_SMTP_HOST nicht",
        ),
        ({"LEARNING_SMTP_HOST": "smtp.example.org"}, "LEARNING_MAIL_FROM nicht"),
        ({**HOST, "LEARNING_SMTP_TLS": "1", "LEARNING_SMTP_STARTTLS": "1"}, "schließen sich aus"),
        ({**HOST, "LEARNING_SMTP_USER": "u", "LEARNING_SMTP_STARTTLS": "1"}, "gehören zusammen"),
        ({**HOST, "LEARNING_SMTP_USER": "u", "LEARNING_SMTP_PASSWORD": "p"}, "unverschlüsselt"),
        ({**HOST, "LEARNING_MAIL_FROM": "kein-absender"}, "keine gültige E-Mail-Adresse"),
        ({**HOST, "LEARNING_MAIL_REPLY_TO": "a@b\r\nBcc: x@y.org"}, "LEARNING_MAIL_REPLY_TO"),
        ({**HOST, "LEARNING_SMTP_STARTTLS": "vielleicht"}, "true oder false erwartet"),
        ({**HOST, "LEARNING_SMTP_PORT": "null"}, "ganze Zahl erwartet"),
    ],
)
def test_unusable_combinations_are_one_german_line(env: dict[str, str], says: str) -> None:
    with pytest.raises(ConfigError) as raised:
        settings_from_env({**KEY, **env})
    assert says in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_switch_set_to_false_without_a_host_is_fine() -> None:
    assert settings_from_env({**KEY, "LEARNING_SMTP_STARTTLS": "false"}).mail.embedded


def test_plain_login_to_a_local_relay_is_allowed() -> None:
    env = {**KEY, "LEARNING_SMTP_HOST": "localhost", "LEARNING_MAIL_FROM": "l@example.org"}
    mail = settings_from_env({**env, "LEARNING_SMTP_USER": "u", "LEARNING_SMTP_PASSWORD": "p"}).mail
    assert mail.smtp_user == "u"
