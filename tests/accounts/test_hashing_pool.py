"""The argon2 pool: today's parameters, first come first served, bounded waiting."""

from __future__ import annotations

import asyncio

import pytest
from argon2 import PasswordHasher as Argon2
from argon2 import extract_parameters

from learning.accounts.passwords import FairSlots, HashingBusy, PasswordHasher


async def test_hashes_use_the_owasp_argon2id_parameters() -> None:
    hasher = PasswordHasher(1)
    try:
        parameters = extract_parameters(await hasher.hash("Kastanienbaum blüht spät"))
    finally:
        hasher.close()
    # OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 iterations, 1 lane.
    assert parameters.type.name == "ID"
    assert (parameters.memory_cost, parameters.time_cost, parameters.parallelism) == (
        19 * 1024,
        2,
        1,
    )


async def test_a_hash_with_older_parameters_needs_a_rehash() -> None:
    old = Argon2(time_cost=3, memory_cost=65536, parallelism=4).hash("Kastanienbaum blüht")
    hasher = PasswordHasher(1)
    try:
        assert await hasher.verify(old, "Kastanienbaum blüht") == (True, True)
        current = await hasher.hash("Kastanienbaum blüht")
        assert await hasher.verify(current, "Kastanienbaum blüht") == (True, False)
    finally:
        hasher.close()


async def _enqueue(slots: FairSlots, order: list[str], name: str) -> asyncio.Task[None]:
    async def take() -> None:
        await slots.acquire()
        order.append(name)
        slots.release()

    task = asyncio.create_task(take())
    await asyncio.sleep(0)  # let it reach the queue before the next one
    return task


async def test_waiters_get_the_slot_in_arrival_order_and_newcomers_queue_behind() -> None:
    slots = FairSlots(1, max_waiting=10, max_wait=None)
    await slots.acquire()
    order: list[str] = []
    tasks = [await _enqueue(slots, order, f"w{n}") for n in range(5)]
    slots.release()
    # Arrives after the release but before any waiter ran: it must not jump the queue.
    tasks.append(await _enqueue(slots, order, "newcomer"))
    await asyncio.gather(*tasks)
    assert order == ["w0", "w1", "w2", "w3", "w4", "newcomer"]


async def test_a_full_queue_refuses_at_once() -> None:
    slots = FairSlots(1, max_waiting=1, max_wait=None)
    await slots.acquire()
    order: list[str] = []
    waiter = await _enqueue(slots, order, "w0")
    with pytest.raises(HashingBusy):
        await slots.acquire()
    slots.release()
    await waiter
    assert order == ["w0"]


async def test_a_wait_beyond_the_bound_is_refused_and_frees_its_place() -> None:
    slots = FairSlots(1, max_waiting=1, max_wait=0.01)
    await slots.acquire()
    with pytest.raises(HashingBusy):
        await slots.acquire()
    assert slots.waiting == 0
    slots.release()
    await slots.acquire()  # the slot is free again, not lost to the timed-out waiter


async def test_a_cancelled_waiter_does_not_keep_a_slot() -> None:
    slots = FairSlots(1, max_waiting=5, max_wait=None)
    await slots.acquire()
    order: list[str] = []
    gone = await _enqueue(slots, order, "gone")
    gone.cancel()
    with pytest.raises(asyncio.CancelledError):
        await gone
    stays = await _enqueue(slots, order, "stays")
    slots.release()
    await stays
    assert order == ["stays"]
    await slots.acquire()
