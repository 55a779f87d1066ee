"""Security headers on every response; no-store on everything behind a login."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)

_CSP = b"content-security-policy"

STATIC_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def hsts_value(subdomains: bool) -> bytes:
    # One year; includeSubDomains unless LEARNING_HSTS_SUBDOMAINS=0 says a subdomain of
    # this host still needs plain http.
    return b"max-age=31536000; includeSubDomains" if subdomains else b"max-age=31536000"


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, https: bool = False, hsts_subdomains: bool = True) -> None:
        self.app = app
        self.extra = list(STATIC_HEADERS)
        if https:
            self.extra.append((b"strict-transport-security", hsts_value(hsts_subdomains)))
        self.names = frozenset(name for name, _ in self.extra)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                ours = self.names
                sent = message.get("headers", [])
                # A response with a policy of its own keeps it: media SVGs carry a stricter
                # one (`sandbox`), which ours would otherwise replace.
                own_csp = any(k.lower() == _CSP for k, _ in sent)
                headers = [
                    (k, v)
                    for k, v in sent
                    if k.lower() not in ours or (own_csp and k.lower() == _CSP)
                ]
                headers.extend(h for h in self.extra if not (own_csp and h[0] == _CSP))
                if not is_static and all(k.lower() != b"cache-control" for k, _ in headers):
                    # Pages may show personal data: never let a shared cache keep them.
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
