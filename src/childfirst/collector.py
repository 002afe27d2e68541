"""Pausing Python's cyclic garbage collector around bulk work.

Loading a part of the store or importing a batch makes hundreds of thousands of objects and almost
no reference cycles, which reference counting frees on its own. The cyclic collector, left on,
rescans the growing heap again and again while they are made.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(*, collect_after: bool = False) -> Iterator[None]:
    """Run the block with the cyclic collector off, then restore it as it was; with
    ``collect_after``, collect the young generations once at the end, so that the few cycles made
    do not pile up over many blocks. (Only the young: a full collection would walk everything
    the process holds, the parts still to judge included, after every block.)"""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
        if collect_after:
            gc.collect(1)
