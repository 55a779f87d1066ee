"""create_app(settings): routes, middleware, lifespan. Nothing is built at import time."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware

from learning.accounts.passwords import PasswordHasher
from learning.accounts.signing import Signer
from learning.content.catalog import Catalog
from learning.content.model import CompileResult
from learning.content.orphans import find_orphans
from learning.content.watch import watch_courses
from learning.core.clock import Clock, utc_now
from learning.core.config import Settings
from learning.core.i18n import Translator
from learning.mail.sender import MailSender
from learning.publishing import archive as course_archive
from learning.reminders.daily import daily_reminders
from learning.store import answers, sessions, users
from learning.store import page_views as progress
from learning.store.content_ids import stored_ids
from learning.store.db import open_database
from learning.store.group_commit import GroupCommit
from learning.store.housekeeping import claim_run, due, remove_stale
from learning.store.migrate import migrate
from learning.store.sqlite_upkeep import SqliteUpkeep
from learning.web.body_limit import BodyLimitMiddleware
from learning.web.caches import build_caches
from learning.web.database_away import DatabaseAwayMiddleware
from learning.web.errors import http_error, server_error
from learning.web.kept_forms import KeptFormMiddleware
from learning.web.routes import routes
from learning.web.security_headers import SecurityHeadersMiddleware
from learning.web.services import Services
from learning.web.session_middleware import SessionMiddleware
from learning.web.templating import build_environment

log = logging.getLogger("learning")
HOUSEKEEPING = "sessions"


async def load_courses(services: Services) -> None:
    """Compile every course once; a broken course is logged, the others still serve.

    Ids that have stored progress but no longer exist in the content are logged too,
    so that a trainer's rename does not silently strand learners' answers.
    """
    catalog = services.catalog
    if catalog is None:
        return
    # The stored last good version stands in for a folder that is broken or missing.
    await course_archive.load(services.db, catalog, services.clock())
    for folder, result in catalog.results.items():
        for diagnostic in result.errors:
            log.error("%s", diagnostic)
        if result.errors and not catalog.serves(folder):
            log.error("Kurs %s hat Fehler und wird nicht angeboten.", folder)
    stored = await stored_ids(services.db)
    for course in catalog.courses:
        orphans = find_orphans(course, stored.get(course.id, {}))
        if orphans:
            log.warning(
                "Kurs %s: gespeicherte Daten zu entfernten IDs: %s", course.id, ", ".join(orphans)
            )


async def housekeeping(services: Services, stop: asyncio.Event) -> None:
    """Remove ended sessions and old login attempts once per interval, until `stop`.

    Every instance wakes four times per interval; the first one past it claims the run
    in the database (store/housekeeping.py), so a cluster cleans up once, not N times.
    Stopped by the event, not by cancelling: a cancelled task could be in the middle of
    its transaction.
    """
    settings = services.settings
    interval = timedelta(seconds=settings.housekeeping_interval)
    while not stop.is_set():
        try:
            await _clean_if_due(services, interval)
        except Exception:
            log.exception("Aufräumen abgelaufener Sitzungen fehlgeschlagen")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), settings.housekeeping_interval / 4)


async def _clean_if_due(services: Services, interval: timedelta) -> None:
    settings = services.settings
    now = services.clock()
    if not await due(services.db, HOUSEKEEPING, now, interval):
        return
    async with services.db.transaction() as tx:
        if await claim_run(tx, HOUSEKEEPING, now, interval):
            await remove_stale(
                tx, now, idle=settings.idle_timeout, absolute=settings.absolute_timeout
            )


def on_reload(services: Services) -> Callable[[str, CompileResult], Awaitable[None]]:
    """After a recompile: keep a good version in the database, as start-up does."""

    async def changed(folder: str, result: CompileResult) -> None:
        if services.catalog is not None:
            await course_archive.keep(
                services.db, services.catalog, folder, result, services.clock()
            )
        report_reload(folder, result)

    return changed


def report_reload(folder: str, result: CompileResult) -> None:
    if result.ok:
        log.info("Kurs %s neu übersetzt.", folder)
        return
    for diagnostic in result.errors:
        log.error("%s", diagnostic)
    log.error("Kurs %s: Änderung fehlerhaft, die letzte gute Fassung bleibt online.", folder)


def course_titles(services: Services) -> dict[str, str]:
    catalog = services.catalog
    return {} if catalog is None else {course.id: course.title for course in catalog.courses}


def setup_link(services: Services) -> str:
    token = services.signer.make_link_token("setup")
    return f"{services.settings.public_url}/setup/{token}"


async def _stop_watching(watcher: asyncio.Task[None] | None, stop: asyncio.Event) -> None:
    if watcher is None:
        return
    stop.set()
    watcher.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await watcher


def create_app(settings: Settings, *, clock: Clock = utc_now, announce: bool = True) -> Starlette:
    translator = Translator()
    db = open_database(settings.database_target, readers=settings.readers)
    templates = build_environment(settings, translator)
    services = Services(
        settings=settings,
        db=db,
        hasher=PasswordHasher(
            settings.hash_concurrency, max_waiting=settings.hash_queue, max_wait=settings.hash_wait
        ),
        signer=Signer(settings.secret_key),
        translator=translator,
        templates=templates,
        page_views=GroupCommit(db, progress.record_page_views),
        answers=GroupCommit(db, answers.add_answers),
        session_touches=GroupCommit(db, sessions.touch_sessions),
        # --reload is for editing, templates included: every page is rendered afresh.
        caches=build_caches(templates, db, () if settings.reload else settings.caches),
        catalog=Catalog(settings.courses),
        clock=clock,
        mail=MailSender(db, settings.mail, clock=clock),
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        upkeep = SqliteUpkeep(services.db)
        upkeep.claim()
        try:
            await services.db.open()
            await migrate(services.db)
            await upkeep.start()
            await load_courses(services)
            # What start-up built (compiled courses, templates, modules) lives as long
            # as the process. Frozen, the collector's full passes no longer walk it: one
            # such pass stalled every request in flight for about 40 ms.
            gc.collect()
            gc.freeze()
            stop_watching = asyncio.Event()
            watcher = (
                asyncio.create_task(
                    watch_courses(services.catalog, on_reload(services), stop_event=stop_watching)
                )
                if settings.reload and services.catalog is not None
                else None
            )
            if announce and not await users.admin_exists(services.db):
                print(
                    "\nNoch kein Admin-Konto. Einrichtungslink (einmalig, 24 Stunden gültig):\n"
                    f"  {setup_link(services)}\n",
                    flush=True,
                )
            stop_cleaning = asyncio.Event()
            cleaner = asyncio.create_task(housekeeping(services, stop_cleaning))
            # The daily reminders; stopped by the same event, between transactions.
            reminders = asyncio.create_task(
                daily_reminders(
                    services.db,
                    settings,
                    lambda: course_titles(services),
                    services.clock,
                    stop_cleaning,
                )
            )
            # The outbox's sender: what is due now (also what a crash left), then as queued.
            sender = asyncio.create_task(services.mail.run(stop_cleaning))
            try:
                yield
            finally:
                stop_cleaning.set()
                await cleaner
                await reminders
                # A batch in flight may wait for a slow server; its claims simply expire.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(sender, 5)
                await _stop_watching(watcher, stop_watching)
        finally:
            # Callers wait for their group commit, so this only drains what is queued.
            await services.page_views.close()
            await services.answers.close()
            await services.session_touches.close()
            await upkeep.stop()
            await services.db.close()
            services.hasher.close()
            upkeep.release()

    app = Starlette(
        routes=routes(settings),
        middleware=[
            Middleware(DatabaseAwayMiddleware),
            Middleware(
                SecurityHeadersMiddleware,
                https=settings.https,
                hsts_subdomains=settings.hsts_subdomains,
            ),
            Middleware(SessionMiddleware, services=services),
            Middleware(KeptFormMiddleware, services=services),
            Middleware(
                BodyLimitMiddleware,
                default=settings.max_body,
                # The upload, and its signed preview sent back on confirmation.
                per_path={
                    "/admin/import": settings.max_import_body,
                    "/admin/import/confirm": settings.max_import_body,
                },
            ),
        ],
        exception_handlers={HTTPException: http_error, Exception: server_error},
        lifespan=lifespan,
    )
    # Starlette's slash redirect trusts the Host header; errors.py redirects instead.
    app.router.redirect_slashes = False
    app.state.services = services
    return app
