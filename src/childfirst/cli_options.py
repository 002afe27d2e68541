"""What every command group shares: the database option and a store opened for one command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from childfirst.store.database import URL_VARIABLE, Database

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        "-d",
        help=f"SQLAlchemy database URL (default: ${URL_VARIABLE}, else sqlite:///var/childfirst.db).",
    ),
]


@contextmanager
def open_store(url: str | None) -> Iterator[Database]:
    """The store at ``url`` (or the default), closed when the command is done."""
    db = Database(url)
    try:
        yield db
    finally:
        db.dispose()
