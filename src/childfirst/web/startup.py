"""What the application does once, when it starts serving."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Move everything built at start-up (modules, templates, the rules, the application) out of
    the garbage collector's sight, so that its full collections scan only what requests create.
    On a child profile with 500 events this about halves the slowest responses."""
    gc.collect()
    gc.freeze()
    yield
