"""Which courses are retired, as the whole cluster sees it.

Retiring a course on one instance updates that instance's catalog at once
(web/trainer.py). The others learn of it from the database: before a page that
depends on it (catalogue, course overview, enrolment, trainer pages), an instance on
PostgreSQL re-reads the few rows of course_retirements when the database's
generation has moved since its last read, which it does after any commit of any
instance or of `learning courses retire`. On SQLite the server is the only writer
that announces itself, and its own changes are applied directly, so nothing is read.
"""

from __future__ import annotations

from learning.store import course_sources
from learning.web.services import Services


async def refresh_retirements(services: Services) -> None:
    catalog = services.catalog
    if catalog is None or services.db.backend == "sqlite":
        return
    # Read before the query: a commit during it moves the generation again.
    generation = services.db.generation
    if generation == services.retirements_seen:
        return
    catalog.set_retired(await course_sources.retirements(services.db))
    services.retirements_seen = generation
