"""What every endpoint may use: built once by create_app, opened in the lifespan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from learning.clock import Clock, utc_now
from learning.config import Settings
from learning.i18n import Translator
from learning.passwords import PasswordHasher
from learning.signing import Signer
from learning.store.answers import NewAnswer
from learning.store.db import Database
from learning.store.group_commit import GroupCommit
from learning.store.progress import PageViewWrite
from learning.store.sessions import SessionTouch

if TYPE_CHECKING:
    from jinja2 import Environment

    from learning.content.catalog import Catalog
    from learning.web.lesson_shell import LessonShells


@dataclass
class Services:
    settings: Settings
    db: Database
    hasher: PasswordHasher
    signer: Signer
    translator: Translator
    templates: Environment
    page_views: GroupCommit[PageViewWrite]
    answers: GroupCommit[NewAnswer]
    session_touches: GroupCommit[SessionTouch]
    catalog: Catalog | None = None
    clock: Clock = field(default=utc_now)
    # Report figures reused until the next commit (web/report_cache.py).
    figure_cache: Any = None
    # Pre-rendered lesson pages (web/lesson_shell.py); None renders every page in full.
    lesson_shells: LessonShells | None = None
