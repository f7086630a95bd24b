"""Kept export files: kept only whole and current, within the budget, never at the answer's cost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.formats.kept import KeptExports, blocks

CHUNKS = [b"first line\n", "سطر ثان\n".encode(), b"third line\n"]


def keep(exports: KeptExports, key: str, chunks: list[bytes], *, unchanged: bool = True) -> bytes:
    """Stream `chunks` through `exports` to the end; what the client got."""
    return b"".join(exports.keeping(key, iter(chunks), unchanged=lambda: unchanged))


def kept(exports: KeptExports, key: str) -> bytes | None:
    file = exports.find(key)
    return None if file is None else b"".join(blocks(file))


def leftovers(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []


class TestKeeping:
    def test_a_whole_stream_is_kept_as_sent(self, tmp_path: Path) -> None:
        exports = KeptExports(tmp_path, budget=1 << 20)
        assert keep(exports, "a", CHUNKS) == b"".join(CHUNKS)
        assert kept(exports, "a") == b"".join(CHUNKS)
        assert kept(exports, "b") is None

    def test_a_stream_over_changed_data_is_sent_but_not_kept(self, tmp_path: Path) -> None:
        exports = KeptExports(tmp_path, budget=1 << 20)
        assert keep(exports, "a", CHUNKS, unchanged=False) == b"".join(CHUNKS)
        assert kept(exports, "a") is None
        assert leftovers(tmp_path) == []

    def test_a_stream_its_client_left_is_not_kept(self, tmp_path: Path) -> None:
        exports = KeptExports(tmp_path, budget=1 << 20)
        stream = exports.keeping("a", iter(CHUNKS), unchanged=lambda: True)
        assert next(stream) == CHUNKS[0]
        stream.close()
        assert kept(exports, "a") is None
        assert leftovers(tmp_path) == []

    def test_a_stream_that_fails_is_not_kept(self, tmp_path: Path) -> None:
        def failing() -> Iterator[bytes]:
            yield CHUNKS[0]
            raise RuntimeError("the database went away")

        exports = KeptExports(tmp_path, budget=1 << 20)
        with pytest.raises(RuntimeError):
            b"".join(exports.keeping("a", failing(), unchanged=lambda: True))
        assert leftovers(tmp_path) == []

    def test_when_the_data_cannot_be_checked_nothing_is_kept(self, tmp_path: Path) -> None:
        def unreachable() -> bool:
            raise ConnectionError("the database went away")

        exports = KeptExports(tmp_path, budget=1 << 20)
        stream = exports.keeping("a", iter(CHUNKS), unchanged=unreachable)
        with pytest.raises(ConnectionError):
            list(stream)
        assert leftovers(tmp_path) == []


class TestSpace:
    def test_the_least_recently_given_file_goes_first(self, tmp_path: Path) -> None:
        exports = KeptExports(tmp_path, budget=2500)
        keep(exports, "old", [b"o" * 1000])
        keep(exports, "given again", [b"g" * 1000])
        keep(exports, "older", [b"x" * 1000])
        # Two of the three fit; the oldest was dropped.
        assert [kept(exports, key) is not None for key in ("old", "given again", "older")] == [
            False,
            True,
            True,
        ]
        kept(exports, "given again")
        keep(exports, "newest", [b"n" * 1000])
        assert kept(exports, "older") is None
        assert kept(exports, "given again") == b"g" * 1000

    def test_a_file_larger_than_the_budget_is_sent_whole_and_not_kept(self, tmp_path: Path) -> None:
        exports = KeptExports(tmp_path, budget=1500)
        sent = keep(exports, "big", [b"b" * 1000, b"b" * 1000])
        assert sent == b"b" * 2000
        assert kept(exports, "big") is None
        assert leftovers(tmp_path) == []

    def test_a_directory_that_cannot_be_written_costs_the_copy_not_the_answer(
        self, tmp_path: Path
    ) -> None:
        (tmp_path / "a file").write_bytes(b"")
        exports = KeptExports(tmp_path / "a file" / "exports", budget=1 << 20)
        assert keep(exports, "a", CHUNKS) == b"".join(CHUNKS)
        assert kept(exports, "a") is None

    def test_a_file_dropped_while_it_is_given_is_still_given_whole(self, tmp_path: Path) -> None:
        exports = KeptExports(tmp_path, budget=1 << 20)
        keep(exports, "a", CHUNKS)
        file = exports.find("a")
        assert file is not None
        exports.clear()
        assert b"".join(blocks(file)) == b"".join(CHUNKS)
        assert exports.find("a") is None
