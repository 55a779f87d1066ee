"""Helpers that act as a learner over HTTP, following the form contract."""

from __future__ import annotations

import httpx

from tests.conftest import csrf_for

COURSE = "fixture-kurs"
CONTENT_PAGES = ["was-ist-kultur", "eisberg-fragen", "zeit", "stufen", "fall"]
RIGHT_TEST_ANSWERS = {"test-1": "1", "test-2": "1", "test-3": "Verleugnung"}
WRONG_TEST_ANSWERS = {"test-1": "2", "test-2": "2", "test-3": "Abwehr"}


async def enrol(client: httpx.AsyncClient, course: str = COURSE) -> httpx.Response:
    token = await csrf_for(client, f"/courses/{course}")
    return await client.post(f"/courses/{course}/enrol", data={"csrf_token": token})


async def read_all_pages(client: httpx.AsyncClient, course: str = COURSE) -> None:
    for page in CONTENT_PAGES:
        response = await client.get(f"/courses/{course}/pages/{page}")
        assert response.status_code == 200, (page, response.status_code)


async def start_test(client: httpx.AsyncClient, course: str = COURSE) -> int:
    token = await csrf_for(client, f"/courses/{course}/test")
    response = await client.post(f"/courses/{course}/test/start", data={"csrf_token": token})
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rstrip("/").rsplit("/", 1)[1])


async def submit_test(
    client: httpx.AsyncClient, attempt_id: int, answers: dict[str, str], course: str = COURSE
) -> httpx.Response:
    token = await csrf_for(client, f"/courses/{course}/test/{attempt_id}")
    return await client.post(
        f"/courses/{course}/test/{attempt_id}", data={**answers, "csrf_token": token}
    )


async def answer(
    client: httpx.AsyncClient, page: str, question: str, data: dict[str, str | list[str]]
) -> httpx.Response:
    token = await csrf_for(client, f"/courses/{COURSE}/pages/{page}")
    return await client.post(
        f"/courses/{COURSE}/pages/{page}/answer/{question}", data={**data, "csrf_token": token}
    )
