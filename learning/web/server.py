"""Run the service under uvicorn with the server's log format."""

from __future__ import annotations

import uvicorn

from learning.core.config import Settings
from learning.core.logsetup import log_config
from learning.web.app import create_app


def serve(settings: Settings) -> int:
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
