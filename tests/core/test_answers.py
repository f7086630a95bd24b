"""The answers a worker keeps by ETag stay within their memory budget."""

from __future__ import annotations

from app.core.answers import AnswerCache


def _built(log: list[str], etag: str, size: int = 100) -> bytes:
    log.append(etag)
    return etag.encode().ljust(size, b".")


def test_an_answer_given_before_is_not_built_again() -> None:
    answers, built = AnswerCache(10_000), []
    first = answers.answer("a", lambda: _built(built, "a"))
    assert answers.answer("a", lambda: _built(built, "a")) == first
    assert built == ["a"]


def test_the_least_recently_asked_go_first_when_the_budget_is_spent() -> None:
    answers, built = AnswerCache(1_000), []

    def ask(etag: str) -> None:
        answers.answer(etag, lambda: _built(built, etag, size=120))

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
        assert len(answers.answer("big", lambda: _built(built, "big", size=500))) == 500
    assert built == ["big", "big"]


def test_a_budget_of_nothing_keeps_nothing() -> None:
    answers, built = AnswerCache(0), []
    for _ in range(2):
        answers.answer("a", lambda: _built(built, "a"))
    assert built == ["a", "a"]
