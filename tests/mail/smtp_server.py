"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1, a free port) that can misbehave."""

from __future__ import annotations

import asyncio
import email
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage
    raw: bytes


@dataclass
class Inbox:
    """What arrived, and how the server should answer the next mails."""

    received: list[Received] = field(default_factory=list)
    # Replies to DATA, used up one per mail before the server accepts again ("451 ...").
    data_replies: list[str] = field(default_factory=list)
    # Recipients refused at RCPT with this reply.
    refused: dict[str, str] = field(default_factory=dict)
    # Seconds to wait before answering RCPT (a slow server: the client gives up first).
    delay: float = 0.0

    async def wait_for(self, count: int, within: float = 10.0) -> list[Received]:
        """The mails received once there are `count` (or `within` seconds passed).

        The server runs in a thread of its own, so this looks every 20 ms.
        """
        for _ in range(int(within / 0.02)):
            if len(self.received) >= count:
                break
            await asyncio.sleep(0.02)
        return list(self.received)

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]


class _Handler:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if self.inbox.delay:
            await asyncio.sleep(self.inbox.delay)
        if address in self.inbox.refused:
            return self.inbox.refused[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.inbox.data_replies:
            return self.inbox.data_replies.pop(0)
        raw = bytes(envelope.original_content or envelope.content)
        parsed = email.message_from_bytes(raw, policy=default)
        assert isinstance(parsed, EmailMessage)
        self.inbox.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), parsed, raw)
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def smtp_server(port: int | None = None) -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = port or free_port()
    controller = Controller(_Handler(inbox), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()
