"""The one rule for what counts as an e-mail address, on every path that takes one."""

from __future__ import annotations

MAX_EMAIL = 320


def valid_email(email: str) -> bool:
    """One `@`, a dotted domain, no space, control character, quote or angle bracket.

    Deliberately simple: the address is checked for real by the mail that is sent to it.
    The characters refused here are the ones that would break a header or a CSV cell.
    """
    local, at, domain = email.partition("@")
    return (
        bool(at and local and domain)
        and "." in domain
        and "@" not in domain
        and len(email) <= MAX_EMAIL
        and not any(ch.isspace() or ord(ch) < 32 for ch in email)
        and not any(ch in email for ch in "<>\"'")
    )
