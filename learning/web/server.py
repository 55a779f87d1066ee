"""Run the service under uvicorn with the server's log format."""

from __future__ import annotations

import socket
import sys

import uvicorn

from learning.core.config import Settings
from learning.core.logsetup import log_config
from learning.web.app import create_app


def _port_taken(host: str, port: int) -> bool:
    # uvicorn would fail only after start-up with "[Errno 98] Address already in use".
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def serve(settings: Settings) -> int:
    if _port_taken(settings.host, settings.port):
        print(
            f"Fehler: Port {settings.port} ist schon belegt (läuft der Dienst bereits?)."
            " Beenden Sie das andere Programm oder wählen Sie einen anderen Port,"
            " z. B. make run PORT=8080 oder learning serve --port 8080.",
            file=sys.stderr,
        )
        return 1
    app = create_app(settings)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        log_config=log_config(settings.log_level),
        proxy_headers=bool(settings.base_url),
        server_header=False,
        lifespan="on",
    )
    return 0
