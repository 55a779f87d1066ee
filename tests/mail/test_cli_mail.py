"""`learning mail send` delivers what is due from the command line; bad settings are one line."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_admin import run_cli
from tests.mail.mail_flow import text_of
from tests.mail.smtp_server import Inbox

CSV = "email;name;role;group\nola@example.org;Ola Ohne;learner;\n"


def _smtp(port: int) -> dict[str, str]:
    return {
        "LEARNING_SMTP_HOST": "127.0.0.1",
        "LEARNING_SMTP_PORT": str(port),
        "LEARNING_MAIL_FROM": "Lerndienst <lernen@example.org>",
    }


async def test_import_queues_and_mail_send_delivers_once(
    tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    csv = tmp_path / "konten.csv"
    csv.write_text(CSV, encoding="utf-8")
    imported = run_cli(tmp_path, "users", "import", str(csv), env=_smtp(port))
    assert imported.returncode == 0, imported.stderr
    # With a mail server the terminal does not see the link; the mail carries it.
    assert imported.stdout.decode() == "ola@example.org\tEinladung per E-Mail\n"
    assert inbox.received == []
    sent = run_cli(tmp_path, "mail", "send", env=_smtp(port))
    assert sent.returncode == 0, sent.stderr
    assert "1 E-Mails bearbeitet" in sent.stdout.decode()
    assert "1 verschickt" in sent.stdout.decode()
    [mail] = await inbox.wait_for(1)
    assert "/einladung/" in text_of(mail)
    again = run_cli(tmp_path, "mail", "send", env=_smtp(port))
    assert "0 E-Mails bearbeitet" in again.stdout.decode()
    assert len(inbox.received) == 1


def test_bad_mail_settings_stop_with_one_german_line(tmp_path: Path) -> None:
    result = run_cli(
        tmp_path,
        "mail",
        "send",
        env={
            "LEARNING_SMTP_HOST": "smtp.example.org",
            "LEARNING_SMTP_TLS": "ja",
            "LEARNING_SMTP_STARTTLS": "ja",
            "LEARNING_MAIL_FROM": "a@example.org",
        },
    )
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert lines == [
        "Fehler: LEARNING_SMTP_TLS und LEARNING_SMTP_STARTTLS schließen sich aus:"
        " TLS (meist Port 465) oder STARTTLS (meist Port 587), nicht beides"
    ]
