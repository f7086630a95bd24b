"""Keep Python's cyclic garbage collector off what was alive before a long piece of work."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def spared() -> Iterator[None]:
    """While the block runs, the collector leaves alone every object alive when it began.

    An import allocates enough for the collector to run full collections over and over, each
    walking everything the process had loaded (modules, classes, mappers, vocabularies) though
    none of it can be garbage. Importing 10,000 events, those collections took 1.1 s of 8.4 s,
    and 0.3 s spared. Everything goes back to the collector afterwards, so nothing is kept
    longer than the block. (Two such blocks at once on two threads: the first to end gives
    back the other's objects too, which only costs the other its saving.)
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
