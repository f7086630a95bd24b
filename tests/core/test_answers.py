"""The answers a worker keeps by ETag stay within their memory budget, and the state of the
data they are kept under is read once for all the requests waiting for it."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from app.core.answers import AnswerCache, Readings

ROUTE = object()


def _scope(path: str = "/v1/timeline") -> dict[str, Any]:
    """A routed request's scope, as far as the cache reads it."""
    return {"path": path, "route": ROUTE, "path_params": {}}


def _built(log: list[str], etag: str, size: int = 100) -> bytes:
    log.append(etag)
    return etag.encode().ljust(size, b".")


def test_an_answer_given_before_is_not_built_again() -> None:
    answers, built = AnswerCache(10_000), []
    first = answers.answer("a", lambda: _built(built, "a"), _scope())
    assert answers.answer("a", lambda: _built(built, "a"), _scope()) == first
    assert built == ["a"]


def test_the_least_recently_asked_go_first_when_the_budget_is_spent() -> None:
    answers, built = AnswerCache(1_000), []

    def ask(etag: str) -> None:
        answers.answer(etag, lambda: _built(built, etag, size=120), _scope())

    for etag in "abcdefgh":  # 8 × 120 bytes fit in 1,000
        ask(etag)
    ask("a")  # asked again: now the most recent
    ask("i")  # one too many: "b", the least recently asked, goes
    built.clear()
    ask("a")
    ask("b")
    assert built == ["b"]


def test_an_answer_too_large_for_the_budget_is_given_but_not_kept() -> None:
    answers, built = AnswerCache(1_000), []
    for _ in range(2):
        assert len(answers.answer("big", lambda: _built(built, "big", size=500), _scope())) == 500
    assert built == ["big", "big"]


def test_a_budget_of_nothing_keeps_nothing() -> None:
    answers, built = AnswerCache(0), []
    for _ in range(2):
        answers.answer("a", lambda: _built(built, "a"), _scope())
    assert built == ["a", "a"]


def test_a_path_is_known_while_an_answer_to_it_is_kept() -> None:
    answers, built = AnswerCache(1_000), []
    assert answers.routed("/v1/timeline") is None
    answers.answer("a", lambda: _built(built, "a", size=120), _scope("/v1/timeline"))
    routed = answers.routed("/v1/timeline")
    assert routed is not None
    assert routed.route is ROUTE
    # Another path's answers push the only one kept for the timeline out of the budget.
    other = _scope("/v1/actors/x/timeline")
    for etag in "bcdefghi":
        answers.answer(etag, lambda tag=etag: _built(built, tag, size=120), other)
    assert answers.routed("/v1/timeline") is None
    assert answers.routed("/v1/actors/x/timeline") is not None


class _SlowState:
    """The data's state, read slowly enough for requests to pile up behind a reading."""

    def __init__(self) -> None:
        self.reads = 0
        self.release = threading.Event()

    def read(self) -> str:
        self.release.wait(timeout=5)
        self.reads += 1
        return f"state {self.reads}"


def test_requests_waiting_together_share_one_reading() -> None:
    state = _SlowState()
    readings = Readings(state.read)

    async def ask_many() -> list[str]:
        asking = [asyncio.create_task(readings.current()) for _ in range(20)]
        await asyncio.sleep(0.05)
        state.release.set()
        return await asyncio.gather(*asking)

    assert asyncio.run(ask_many()) == ["state 1"] * 20
    assert state.reads == 1


def test_a_request_arriving_during_a_reading_waits_for_the_next() -> None:
    # The reading in flight may have begun before a change the newcomer must see.
    state = _SlowState()
    readings = Readings(state.read)

    async def ask_early_then_late() -> tuple[str, str]:
        early = asyncio.create_task(readings.current())
        await asyncio.sleep(0.05)  # the first reading is under way
        late = asyncio.create_task(readings.current())
        await asyncio.sleep(0.01)
        state.release.set()
        return await early, await late

    assert asyncio.run(ask_early_then_late()) == ("state 1", "state 2")


def test_a_failed_reading_fails_its_waiters_and_the_next_one_reads_again() -> None:
    outcomes = iter([RuntimeError("the database is down"), "state 2"])

    def read() -> str:
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    readings = Readings(read)

    async def ask() -> str:
        return await readings.current()

    with pytest.raises(RuntimeError, match="down"):
        asyncio.run(ask())
    assert asyncio.run(ask()) == "state 2"  # on another event loop, as each test client runs
