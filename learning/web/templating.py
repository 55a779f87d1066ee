"""Jinja2 with autoescape and gettext; one render() for every page."""

from __future__ import annotations

import functools
import re
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from learning.content.model import Question
from learning.core.clock import from_db
from learning.core.config import Settings
from learning.core.i18n import (
    Translator,
    local_date,
    local_datetime,
    local_day,
    local_number,
    local_percent,
)
from learning.web.content_lang import content_html, content_lang, content_note, content_text
from learning.web.cookies import FLASH_COOKIE, expire_header
from learning.web.csrf import csrf_token
from learning.web.flash import has_flash, take_messages


def _iso_day(value: str | None) -> str:
    return local_day(date.fromisoformat(value)) if value else ""


def _db_date(value: str | None) -> str:
    return local_date(from_db(value)) if value else ""


def _db_datetime(value: str | None) -> str:
    return local_datetime(from_db(value)) if value else ""


_SINGLE_PARAGRAPH = re.compile(r"^<p>((?:(?!</?p>).)*)</p>\s*$", re.DOTALL)


def inline_stem(html: str) -> str:
    """The inside of a stem that is one paragraph, so it can be a <legend>; else ""."""
    match = _SINGLE_PARAGRAPH.match(html.strip())
    return match.group(1) if match else ""


def build_environment(settings: Settings, translator: Translator) -> Environment:
    env = Environment(
        loader=FileSystemLoader([str(Path(settings.templates))]),
        autoescape=select_autoescape(["html", "xml", "svg"], default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=settings.reload,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translator.gettext, translator.ngettext, newstyle=True
    )
    # Dates and numbers in the UI language, all defined here for every template:
    # date/datetime take datetimes, db_date/db_datetime the store's UTC text.
    env.filters["date"] = local_date
    env.filters["day"] = local_day
    env.filters["iso_day"] = _iso_day
    env.filters["datetime"] = local_datetime
    env.filters["db_date"] = _db_date
    env.filters["db_datetime"] = _db_datetime
    env.filters["number"] = local_number
    # Percent points (0-100): "80 %" in German, "80%" in English.
    env.filters["percent"] = local_percent
    env.filters["inline_stem"] = inline_stem
    # Messages chosen at run time (flash, errors, labels): translated, never %-formatted,
    # so a user's name with a "%" in a message cannot break the page.
    env.filters["t"] = translator.translate
    # Authored course content in English mode: marked lang="de" (web/content_lang.py).
    env.filters["content_html"] = content_html
    env.filters["content_text"] = content_text
    env.globals["content_lang"] = content_lang
    env.globals["content_note"] = functools.partial(content_note, translator.gettext)
    env.tests["question"] = lambda value: isinstance(value, Question)
    env.globals["settings"] = settings
    return env


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HTMLResponse:
    services = request.app.state.services
    holder = HTMLResponse("")
    messages = take_messages(request, holder)
    values: dict[str, Any] = {
        "request": request,
        "user": getattr(request.state, "user", None),
        "locale": getattr(request.state, "locale", "de"),
        "csrf_token": csrf_token(request) if hasattr(request.state, "browser_key") else "",
        "messages": messages,
    }
    if context:
        values.update(context)
    body = services.templates.get_template(template).render(values)
    response = HTMLResponse(body, status_code=status)
    if has_flash(request):
        response.headers.append(
            "set-cookie", expire_header(FLASH_COOKIE, secure=services.settings.https)
        )
    return response
