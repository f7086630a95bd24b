"""Exports kept on disk by their query ETag, to give the same file again while the data is
unchanged.

A researcher's full export of a million events takes Python a minute and a half to build
(reading, then rendering every event); the same file read back from disk streams as fast as
the client takes it. The ETag (app.core.http.query_etag) names the query, the format, what the
caller may see and the state of the data, so the bytes once built under it are the answer for
as long as it is current, as with timeline pages (app.core.answers). The files live in the
data directory, shared by the workers of one host, at most `budget` bytes in all, least
recently given dropped first; they are cleared when the service starts, so a database
restored or recreated under the same name never meets files built from another.

Keeping never costs the answer: a file is written beside the stream and kept only when the
stream ended and the data did not change while it ran; a full disk or any error writing it
gives up the copy, not the export.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import structlog

# Kept files end in this; a copy being written does not, so it is never given or counted.
SUFFIX = ".export"
# A copy never takes more than 1/FREE_SHARE of the disk space free when it starts: the
# database may live on the same disk.
FREE_SHARE = 2
READ_BLOCK = 1 << 20

log = structlog.get_logger()


class KeptExports:
    """Export files by key in `directory`, at most `budget` bytes in all (0: keep nothing)."""

    def __init__(self, directory: Path, budget: int) -> None:
        self.directory = directory
        self.budget = budget

    def clear(self) -> None:
        """Forget every kept file and every copy left half-written."""
        shutil.rmtree(self.directory, ignore_errors=True)

    def find(self, key: str) -> BinaryIO | None:
        """The file kept under `key`, open and marked as just given, if there is one (open, it
        stays readable whole even if it is dropped meanwhile)."""
        try:
            file = self._path(key).open("rb")
        except OSError:
            return None
        with contextlib.suppress(OSError):  # a read-only disk still gives what it holds
            os.utime(file.fileno())
        return file

    def keeping(
        self, key: str, chunks: Iterator[bytes], *, unchanged: Callable[[], bool]
    ) -> Iterator[bytes]:
        """`chunks`, also written to a file kept under `key` if they all came and
        `unchanged()` says the data they were read from is still what `key` names."""
        copy = self._start()
        try:
            for chunk in chunks:
                if copy is not None:
                    copy = copy.write(chunk)
                yield chunk
            keep = copy is not None and unchanged()
        except BaseException:  # the stream failed, or its client went away
            if copy is not None:
                copy.give_up("the answer was not sent to its end")
            raise
        if copy is not None:
            copy.finish(self._path(key), keep=keep)
            self._trim()

    def _path(self, key: str) -> Path:
        return self.directory / (hashlib.sha256(key.encode()).hexdigest() + SUFFIX)

    def _start(self) -> _Copy | None:
        if not self.budget:
            return None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            limit = min(self.budget, shutil.disk_usage(self.directory).free // FREE_SHARE)
            fd, name = tempfile.mkstemp(dir=self.directory, suffix=".partial")
            return _Copy(os.fdopen(fd, "wb"), Path(name), limit)
        except OSError as exc:
            log.warning("export_not_kept", reason=str(exc))
            return None

    def _trim(self) -> None:
        """Drop the least recently given files until the rest fit the budget."""
        kept = []
        for path in self.directory.glob("*" + SUFFIX):
            try:
                stat = path.stat()
            except OSError:  # dropped by another worker meanwhile
                continue
            kept.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in kept)
        for _, size, path in sorted(kept):
            if total <= self.budget:
                return
            path.unlink(missing_ok=True)
            total -= size


class _Copy:
    """A kept file being written; it gives itself up on the first error or past `limit`."""

    def __init__(self, file: BinaryIO, path: Path, limit: int) -> None:
        self.file = file
        self.path = path
        self.limit = limit
        self.size = 0

    def write(self, chunk: bytes) -> _Copy | None:
        """This copy with `chunk` added, or None once it has been given up."""
        self.size += len(chunk)
        if self.size > self.limit:
            self.give_up("larger than the space allowed")
            return None
        try:
            self.file.write(chunk)
        except OSError as exc:
            self.give_up(str(exc))
            return None
        return self

    def finish(self, path: Path, *, keep: bool) -> None:
        """Keep the copy as `path`, or drop it if `keep` is false."""
        if not keep:
            self.give_up("the data changed while it was read")
            return
        try:
            self.file.close()
            self.path.replace(path)
        except OSError as exc:
            self.give_up(str(exc))

    def give_up(self, reason: str) -> None:
        """Drop the copy (`reason` is logged)."""
        log.info("export_not_kept", reason=reason)
        with contextlib.suppress(OSError):  # the unwritten bytes are being dropped anyway
            self.file.close()
        self.path.unlink(missing_ok=True)


def blocks(file: BinaryIO) -> Iterator[bytes]:
    """A kept file's bytes, a block at a time, closing it at the end."""
    with file:
        while block := file.read(READ_BLOCK):
            yield block
