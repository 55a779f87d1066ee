"""Mail templates: templates/mail/<kind>.txt and .html, in the recipient's language.

The first line of the text template is the subject, the rest (after the line break) is
the plain-text body; the HTML template gets that subject as `subject`. Both see the
caller's context, and `_()` / `ngettext()` translate into the recipient's language.
Text templates are not escaped (they are plain text); HTML templates are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from learning.core.clock import from_db
from learning.core.config import PROJECT_ROOT
from learning.core.i18n import (
    DEFAULT,
    SUPPORTED,
    Translator,
    current_locale,
    local_date,
    local_datetime,
    local_day,
    local_number,
)


class MailTemplateError(Exception):
    """A mail template is missing or renders no subject: a programming error."""


@dataclass(frozen=True, slots=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def _db_date(value: str | None) -> str:
    return local_date(from_db(value)) if value else ""


def language_of(locale: str | None) -> str:
    """The mail language for a user's stored locale: German unless it is a supported one."""
    return locale if locale in SUPPORTED else DEFAULT


class MailTemplates:
    def __init__(self, folder: Path, translator: Translator | None = None) -> None:
        self._translator = translator or Translator()
        env = Environment(
            loader=FileSystemLoader([str(folder)]),
            autoescape=select_autoescape(["html"], default_for_string=False, default=False),
            extensions=["jinja2.ext.i18n"],
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.install_gettext_callables(  # type: ignore[attr-defined]
            self._translator.gettext, self._translator.ngettext, newstyle=True
        )
        env.filters["date"] = local_date
        env.filters["day"] = local_day
        env.filters["datetime"] = local_datetime
        env.filters["db_date"] = _db_date
        env.filters["number"] = local_number
        self._env = env

    def render(self, kind: str, language: str, context: dict[str, Any]) -> RenderedMail:
        token = current_locale.set(language_of(language))
        try:
            context = {**context, "language": language_of(language)}
            text = self._env.get_template(f"mail/{kind}.txt").render(context)
            subject, _, body = text.lstrip("\n").partition("\n")
            subject = " ".join(subject.split())
            if not subject:
                raise MailTemplateError(f"mail/{kind}.txt: die erste Zeile (Betreff) ist leer")
            html = self._env.get_template(f"mail/{kind}.html").render(
                {**context, "subject": subject}
            )
        except OSError as exc:  # pragma: no cover - jinja raises TemplateNotFound below
            raise MailTemplateError(str(exc)) from exc
        finally:
            current_locale.reset(token)
        return RenderedMail(subject=subject, text=body.lstrip("\n"), html=html)


_default: MailTemplates | None = None


def default_templates() -> MailTemplates:
    """The templates of this installation, loaded once per process."""
    global _default
    if _default is None:
        _default = MailTemplates(PROJECT_ROOT / "templates")
    return _default
