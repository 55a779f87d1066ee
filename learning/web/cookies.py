"""Cookie names and the one way this app sets them.

Over HTTPS every cookie is set as `__Host-<name>`: the browser then accepts it only
with Secure, Path=/ and no Domain, so a neighbouring subdomain or a plain-http page
cannot plant or overwrite it. `cookie_name` gives the name to read back.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

SESSION_COOKIE = "learning_session"
BROWSER_COOKIE = "learning_browser"
FLASH_COOKIE = "learning_flash"
LANG_COOKIE = "learning_lang"
HOST_PREFIX = "__Host-"


def cookie_name(name: str, *, secure: bool) -> str:
    return HOST_PREFIX + name if secure else name


def parse_cookies(header: str) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except Exception:  # a malformed cookie header is treated as no cookies
        return {}
    return {key: morsel.value for key, morsel in jar.items()}


def cookie_header(
    name: str, value: str, *, secure: bool, max_age: int | None = None, http_only: bool = True
) -> str:
    parts = [f"{cookie_name(name, secure=secure)}={value}", "Path=/", "SameSite=Lax"]
    if http_only:
        parts.append("HttpOnly")
    if secure:
        parts.append("Secure")
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    return "; ".join(parts)


def expire_header(name: str, *, secure: bool) -> str:
    return cookie_header(name, '""', secure=secure, max_age=0)
