""" "Passwort vergessen?": a reset link by mail, the same answer whether or not the account exists.

Requests are throttled per address (growing waits after a few) and per account (at most
RESET_ACCOUNT_MAX mails an hour, silently: the answer stays the same). The request is
recorded, and the link and its mail are created, in one transaction. Without a mail
server the page says to ask the administration, as the login page did before.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from learning.accounts import links as account_links
from learning.accounts import throttling
from learning.accounts.emails import valid_email
from learning.core.i18n import N_
from learning.mail.account_mails import mail_link
from learning.store import audit, login_attempts, outbox
from learning.store.db import Transaction
from learning.web.account import client_address, throttled_message
from learning.web.flash import redirect
from learning.web.forms import field
from learning.web.resolve import services_of
from learning.web.templating import render

THROTTLED = N_(
    "Zu viele Anfragen von diesem Anschluss. Bitte warten Sie %(wait)s und versuchen Sie es erneut."
)
SENT = N_(
    "Wenn es zu dieser Adresse ein Konto gibt, ist eine E-Mail mit einem Link zum Zurücksetzen"
    " unterwegs. Der Link gilt 24 Stunden und einmal. Sehen Sie bitte auch im Spam-Ordner nach."
)


async def forgot_form(request: Request) -> Response:
    return render(request, "password_forgot.html", {"email": "", "error": None})


async def _send_link(request: Request, tx: Transaction, email: str) -> None:
    """The reset link and its mail, if the address belongs to an account that may have one."""
    services = services_of(request)
    recipient = await outbox.recipient_by_email(tx, email)
    if recipient is None:
        return
    now = services.clock()
    await account_links.issue_link(
        tx,
        services.signer,
        base_url=services.settings.public_url,
        user_id=recipient.id,
        purpose="reset",
        created_by=None,
        now=now,
        notify=mail_link,
    )
    await audit.record(
        tx,
        now=now,
        actor_id=None,
        actor_email=None,
        action="user.reset_requested",
        target_type="user",
        target_id=recipient.id,
        details={"address": client_address(request)},
    )


async def forgot_submit(request: Request) -> Response:
    services = services_of(request)
    if services.settings.mail.embedded:
        return redirect(request, "/passwort-vergessen")
    form = await request.form()
    email = field(form, "email", max_length=320)
    if not valid_email(email):
        context = {"email": email, "error": N_("Bitte geben Sie eine gültige E-Mail-Adresse ein.")}
        return render(request, "password_forgot.html", context, status=400)
    now = services.clock()
    address = client_address(request)
    async with services.db.transaction() as tx:
        asked = await login_attempts.reset_requests(
            tx,
            email,
            address,
            address_since=now - throttling.WINDOW,
            account_since=now - throttling.ACCOUNT_WINDOW,
        )
        wait = throttling.reset_wait((asked.by_address.count, asked.by_address.last), now)
        if wait <= 0:
            await login_attempts.record_reset_request(tx, email, address, now)
            if asked.by_account.count < throttling.RESET_ACCOUNT_MAX:
                await _send_link(request, tx, email)
    if wait > 0:
        message = throttled_message(wait, services.translator.gettext, THROTTLED)
        response = render(
            request, "password_forgot.html", {"email": email, "error": message}, status=429
        )
        response.headers["Retry-After"] = str(wait)
        return response
    services.mail.wake()
    return redirect(request, "/login", SENT, "success")
