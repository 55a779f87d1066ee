"""What every endpoint may use: built once by create_app, opened in the lifespan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from learning.accounts.passwords import PasswordHasher
from learning.accounts.signing import Signer
from learning.core.clock import Clock, utc_now
from learning.core.config import Settings
from learning.core.i18n import Translator
from learning.mail.sender import MailSender
from learning.store.answers import NewAnswer
from learning.store.db import Database
from learning.store.group_commit import GroupCommit
from learning.store.page_views import PageViewWrite
from learning.store.sessions import SessionTouch

if TYPE_CHECKING:
    from jinja2 import Environment

    from learning.content.catalog import Catalog
    from learning.web.caches import Caches


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
    # Every render and report cache (web/caches.py).
    caches: Caches
    # The outbox's sender (mail/sender.py), run by the lifespan.
    mail: MailSender
    catalog: Catalog | None = None
    clock: Clock = field(default=utc_now)
    # The generation at which the catalog last read course retirements (web/retirements.py).
    retirements_seen: int | None = None
