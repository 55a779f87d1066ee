"""Completing a course mails the certificate; its verify link works over HTTP."""

from __future__ import annotations

import httpx

from tests.conftest import LoginAs, soup
from tests.journey import complete_course
from tests.mail.mail_flow import html_of, links_in, path_of, text_of
from tests.mail.smtp_server import Inbox
from tests.web.learner_flow import COURSE


async def test_certificate_mail_carries_working_links(
    client: httpx.AsyncClient, login_as: LoginAs, inbox: Inbox
) -> None:
    learner = await login_as("learner", email="cora@example.org", name="Cora Certa")
    journey = await complete_course(client)
    [mail] = await inbox.wait_for(1)
    assert mail.recipients == [learner.email]
    assert str(mail.message["Subject"]).startswith("Ihr Zertifikat: ")
    text = text_of(mail)
    assert "Guten Tag Cora Certa," in text
    assert journey.certificate_code in text
    verify = f"http://127.0.0.1:8000/verify/{journey.certificate_code}"
    download = f"http://127.0.0.1:8000/courses/{COURSE}/zertifikat"
    assert {verify, download} <= set(links_in(mail))
    assert f'href="{verify}"' in html_of(mail)
    page = await client.get(path_of(verify))
    assert page.status_code == 200
    assert "Cora Certa" in soup(page).get_text()
    pdf = await client.get(path_of(download))
    assert pdf.headers["content-type"] == "application/pdf"
    # One completion, one mail: the open second attempt changes nothing.
    await inbox.wait_for(2, within=0.5)
    assert len(inbox.received) == 1
