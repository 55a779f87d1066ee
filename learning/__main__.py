"""The `learning` program: the command line, with `serve` handed the web service.

The one module that knows both: the command line does not import the web layer, and
the web layer does not import the command line.
"""

from __future__ import annotations

from collections.abc import Sequence

from learning.cli.main import main as run_command
from learning.core.config import Settings


def _serve(settings: Settings) -> int:
    # Imported only for `serve`: the other commands start without Starlette and Jinja.
    from learning.web.server import serve

    return serve(settings)


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(argv, server=_serve)


if __name__ == "__main__":
    raise SystemExit(main())
