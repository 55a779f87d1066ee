"""Knowledge-check options appear in an order of each learner's own, stable and secret."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from bs4 import BeautifulSoup, Tag
from starlette.applications import Starlette

from learning.accounts.signing import Signer
from learning.content.model import Option, Question
from learning.core.config import Secret
from learning.web.option_order import orders_for, pick
from learning.web.services import Services
from tests.conftest import CreateUser, csrf_from, log_in, new_client, select_tag, tag
from tests.web.learner_flow import COURSE, enrol
from tests.web.test_lesson_shell import _shell_and_full

LEARNERS = 12
Learner = Callable[[], Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def learner(app: Starlette, create_user: CreateUser) -> AsyncIterator[Learner]:
    """Each call: a new enrolled learner, logged in on a client of their own."""
    clients: list[httpx.AsyncClient] = []

    async def make() -> httpx.AsyncClient:
        user = await create_user("learner")
        client = new_client(app, f"127.0.1.{len(clients) + 1}")
        clients.append(client)
        assert (await log_in(client, user.email)).status_code == 303
        await enrol(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


async def _page(client: httpx.AsyncClient, page: str) -> BeautifulSoup:
    response = await client.get(f"/courses/{COURSE}/pages/{page}")
    assert response.status_code == 200
    # The markers a cached render carries never reach the learner.
    assert "\x02" not in response.text
    assert "\x03" not in response.text
    return BeautifulSoup(response.text, "html.parser")


def _choices(page: BeautifulSoup, question: str) -> list[tuple[str, str]]:
    """(value, label text) of each input of a choice question, in page order."""
    form = select_tag(page, f"#q-{question} form")
    return [
        (str(i["value"]), tag(form, "label", {"for": str(i["id"])}).get_text(strip=True))
        for i in form.find_all("input", attrs={"name": question})
        if isinstance(i, Tag)
    ]


def _ordering_rows(page: BeautifulSoup, question: str) -> list[tuple[str, str]]:
    form = select_tag(page, f"#q-{question} form")
    return [
        (str(s["name"]), tag(form, "label", {"for": str(s["id"])}).get_text(strip=True))
        for s in form.find_all("select")
        if isinstance(s, Tag)
    ]


def _offered(page: BeautifulSoup, select_name: str) -> list[tuple[str, str]]:
    select = select_tag(page, f'select[name="{select_name}"]')
    return [
        (str(o["value"]), o.get_text(strip=True))
        for o in select.find_all("option")
        if isinstance(o, Tag) and o["value"]
    ]


EISBERG_2 = {("1", "Kleidung"), ("2", "Sprache"), ("3", "Werte")}


async def test_learners_see_their_own_stable_order_with_source_values(learner: Learner) -> None:
    seen: Counter[tuple[str, ...]] = Counter()
    first_option_places: set[int] = set()
    for _ in range(LEARNERS):
        client = await learner()
        choices = _choices(await _page(client, "eisberg-fragen"), "eisberg-2")
        # Each input keeps its option's source position as its value.
        assert set(choices) == EISBERG_2
        # The same learner sees the same order on every visit.
        assert _choices(await _page(client, "eisberg-fragen"), "eisberg-2") == choices
        seen[tuple(label for _, label in choices)] += 1
        first_option_places.add([value for value, _ in choices].index("1"))
    # Position is no cue: learners see different orders, and the first source option
    # does not always stand first.
    assert len(seen) >= 3
    assert first_option_places == {0, 1, 2}


async def test_answer_is_graded_by_source_position_and_reviewed_in_the_order_seen(
    learner: Learner,
) -> None:
    orders: set[tuple[str, ...]] = set()
    for _ in range(6):
        client = await learner()
        page = await _page(client, "eisberg-fragen")
        shown = [label for _, label in _choices(page, "eisberg-2")]
        orders.add(tuple(shown))
        token = csrf_from(httpx.Response(200, text=str(page)))
        response = await client.post(
            f"/courses/{COURSE}/pages/eisberg-fragen/answer/eisberg-2",
            data={"eisberg-2": ["1", "2"], "csrf_token": token},
        )
        assert response.status_code == 303
        after = await _page(client, "eisberg-fragen")
        heading = tag(after, "h3", id="result-eisberg-2")
        assert heading.get_text(strip=True) == "Richtig"
        box = heading.parent
        assert isinstance(box, Tag)
        items = box.select("ul.review > li")
        reviewed = [select_tag(i, "p").get_text(" ", strip=True) for i in items]
        # The review lists the options in the order the learner saw them ...
        assert [text.rsplit(" ", 1)[-1] for text in reviewed] == shown
        # ... and marks the learner's choice by source position, whatever the order.
        chosen = {
            text.rsplit(" ", 1)[-1]
            for item, text in zip(items, reviewed, strict=True)
            if "is-chosen" in item["class"]
        }
        assert chosen == {"Kleidung", "Sprache"}
        # The form still shows the choice checked on the options chosen.
        form = select_tag(after, "#q-eisberg-2 form")
        checked = {
            str(i["value"])
            for i in form.find_all("input", attrs={"name": "eisberg-2"}, checked=True)
            if isinstance(i, Tag)
        }
        assert checked == {"1", "2"}
    # Not all in source order, or the review order would prove nothing.
    assert orders - {("Kleidung", "Sprache", "Werte")}


async def test_ordering_rows_matching_choices_and_scenario_options_are_shuffled(
    learner: Learner,
) -> None:
    rows: set[tuple[str, ...]] = set()
    offered: set[tuple[str, ...]] = set()
    steps: set[tuple[str, ...]] = set()
    for _ in range(LEARNERS):
        client = await learner()
        stufen = await _page(client, "stufen")
        ordering = _ordering_rows(stufen, "dmis-1")
        # Each row keeps the field name of its item's source position.
        assert set(ordering) == {
            ("dmis-1.1", "Minimierung"),
            ("dmis-1.2", "Verleugnung"),
            ("dmis-1.3", "Abwehr"),
        }
        rows.add(tuple(label for _, label in ordering))
        # Matching: the rows stay in source order, the choices offered are shuffled;
        # every row offers the same order, and each value is the choice's own.
        matching = _ordering_rows(stufen, "zwiebel-2")
        assert [name for name, _ in matching] == ["zwiebel-2.1", "zwiebel-2.2", "zwiebel-2.3"]
        choices = _offered(stufen, "zwiebel-2.1")
        assert _offered(stufen, "zwiebel-2.3") == choices
        assert set(choices) == {
            ("1", "Worte, Gesten, Bilder"),
            ("2", "Vorstellungen von gut und böse"),
            ("3", "Begrüßungen, Zeremonien"),
        }
        offered.add(tuple(text for _, text in choices))
        fall = await _page(client, "fall")
        start = _choices(fall, "fall-anerkennung")
        assert set(start) == {
            ("1", "Sie erklären sofort das Anerkennungsverfahren."),
            ("2", "Sie fragen zuerst nach ihrem Ziel."),
        }
        steps.add(tuple(text for _, text in start))
    assert len(rows) >= 3
    assert len(offered) >= 3
    assert len(steps) == 2


async def test_true_false_keeps_its_order(learner: Learner) -> None:
    for _ in range(LEARNERS // 2):
        client = await learner()
        choices = _choices(await _page(client, "zeit"), "zwiebel-1")
        assert choices == [("1", "richtig"), ("2", "falsch")]


async def test_shell_equals_full_render_for_learners_with_different_orders(
    app: Starlette, create_user: CreateUser, services: Services
) -> None:
    for n in range(6):
        user = await create_user("learner")
        async with new_client(app, f"127.0.2.{n + 1}") as client:
            await log_in(client, user.email)
            await enrol(client)
            for page in ("eisberg-fragen", "stufen", "fall"):
                path = f"/courses/{COURSE}/pages/{page}"
                shell, full = await _shell_and_full(client, services, path)
                assert shell == full, (n, page)


def _question(options: int) -> Question:
    return Question(
        "q",
        "single",
        "<p>?</p>",
        tuple(Option(p, f"o{p}", "", p == 1, f"o{p}") for p in range(1, options + 1)),
    )


def test_every_option_stands_at_every_position_equally_often() -> None:
    signer = Signer(Secret("test-secret-key-that-is-long-enough"))
    orders: dict[int, tuple[int, ...]] = {}
    for learner_id in range(1, 2000):
        order = pick(signer, learner_id, "q", [1, 2, 3, 4])
        assert order is not None
        assert sorted(order.positions) == [1, 2, 3, 4]
        # One index, one order: the index may key the render cache.
        assert orders.setdefault(order.index, order.positions) == order.positions
    # Few orders, so few renders to cache: 4 rotations and their reversals.
    assert len(orders) == 8
    for option in (1, 2, 3, 4):
        places = Counter(positions.index(option) for positions in orders.values())
        assert places == {0: 2, 1: 2, 2: 2, 3: 2}


def test_order_depends_on_the_secret_and_on_the_question() -> None:
    one = Signer(Secret("test-secret-key-that-is-long-enough"))
    other = Signer(Secret("another-secret-key-that-is-long-enough"))
    question = _question(5)
    mine = [orders_for(one, n, (question,), {})["q"].positions for n in range(1, 40)]
    theirs = [orders_for(other, n, (question,), {})["q"].positions for n in range(1, 40)]
    assert mine != theirs
    assert mine == [orders_for(one, n, (question,), {})["q"].positions for n in range(1, 40)]
    elsewhere = [pick(one, n, "other-question", [1, 2, 3, 4, 5]) for n in range(1, 40)]
    assert mine != [o.positions for o in elsewhere if o is not None]
