"""The server's log format: one line per event, UTC timestamp, level, logger, message.

Without this the app's own logger ("learning") has no handler, and Python's fallback
prints bare messages without a time. Access lines come from uvicorn in the same shape.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from uvicorn.logging import AccessFormatter

LINE = "%(asctime)s %(levelname)s %(name)s: %(message)s"
ACCESS = '%(asctime)s %(levelname)s access: %(client_addr)s "%(request_line)s" %(status_code)s'
DATE = "%Y-%m-%dT%H:%M:%SZ"


def log_config(level: str) -> dict[str, Any]:
    """A logging.config.dictConfig for uvicorn.run(log_config=...)."""
    upper = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "line": {"()": "learning.core.logsetup.line_formatter"},
            "access": {"()": "learning.core.logsetup.access_formatter"},
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "line",
                "stream": "ext://sys.stderr",
            },
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "access",
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "learning": {"handlers": ["stderr"], "level": upper, "propagate": False},
            "uvicorn": {"handlers": ["stderr"], "level": upper, "propagate": False},
            "uvicorn.error": {"level": upper},
            "uvicorn.access": {"handlers": ["access"], "level": upper, "propagate": False},
        },
    }


def line_formatter() -> logging.Formatter:
    # UTC, like every timestamp in the database.
    formatter = logging.Formatter(LINE, DATE)
    formatter.converter = time.gmtime
    return formatter


def access_formatter() -> logging.Formatter:
    formatter = AccessFormatter(ACCESS, DATE, use_colors=False)
    formatter.converter = time.gmtime
    return formatter
