"""Reading what arrived: the parts of a mail, the link in it as a path for the test client."""

from __future__ import annotations

import asyncio
import re
from urllib.parse import urlsplit

import httpx

from learning.store import outbox
from learning.store.db import Database
from tests.conftest import csrf_for
from tests.mail.smtp_server import Received

_URL = re.compile(r"https?://\S+")


def text_of(received: Received) -> str:
    part = received.message.get_body(("plain",))
    assert part is not None, "no text/plain part"
    return str(part.get_content())


def html_of(received: Received) -> str:
    part = received.message.get_body(("html",))
    assert part is not None, "no text/html part"
    return str(part.get_content())


def links_in(received: Received) -> list[str]:
    return _URL.findall(text_of(received))


def path_of(url: str, base: str = "http://127.0.0.1:8000") -> str:
    """The path of a link in a mail, for the ASGI client; the link must be absolute on `base`."""
    assert url.startswith(base + "/"), url
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


async def new_account(client: httpx.AsyncClient, email: str, name: str) -> httpx.Response:
    """The admin's "new account" form, as a signed-in admin: the invitation goes out."""
    token = await csrf_for(client, "/admin/users/new")
    return await client.post(
        "/admin/users/new",
        data={"csrf_token": token, "email": email, "name": name, "role": "learner"},
    )


async def wait_sent(db: Database, count: int) -> None:
    """Wait (at most 5 s) until `count` mails are recorded as sent.

    The app's own sender records a mail as sent just after the server accepted it, so a
    test that saw the mail arrive may still be a moment early.
    """
    for _ in range(250):
        if (await outbox.counts(db))["sent"] >= count:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(await outbox.counts(db))
