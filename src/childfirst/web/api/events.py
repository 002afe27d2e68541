"""Recording events and other records, in the import format, as they happen."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response
from pydantic import BaseModel, Field

from childfirst.ingest.recording import MAX_RECORDS, check_body
from childfirst.web.deps import Store, User
from childfirst.web.services.recording import RecordingResult, record_records

router = APIRouter(tags=["recording"])


class Batch(BaseModel):
    records: list[dict[str, Any]] = Field(
        max_length=MAX_RECORDS,
        description="Records in the import format (docs/data-format.md): people, locations, "
        "objects, events and relationships, each with its source.",
    )


async def _one_record(request: Request) -> None:
    """Refuse a member named twice, which parsing the body would resolve without a word."""
    check_body(await request.body())


async def _records(request: Request) -> None:
    check_body(await request.body(), "records")


OneRecord = Annotated[None, Depends(_one_record)]
Records = Annotated[None, Depends(_records)]


def _respond(response: Response, result: RecordingResult) -> RecordingResult:
    response.status_code = 201 if result.created or result.changed else 200
    return result


@router.post("/events", name="api_record_event", status_code=201)
def api_record_event(
    db: Store,
    user: User,
    response: Response,
    _checked: OneRecord,
    event: Annotated[
        dict[str, Any],
        Body(description="One event record in the import format; 'kind' may be left out."),
    ],
) -> RecordingResult:
    """Record one event; the rules judge it at once and the concerns resting on it are returned.

    Sending the same event again changes nothing (200); a changed event becomes a new version.
    """
    record = {**event, "kind": "event"}
    return _respond(response, record_records(db, user, [record]))


@router.post("/records", name="api_record_batch", status_code=201)
def api_record_batch(
    db: Store, user: User, response: Response, _checked: Records, batch: Batch
) -> RecordingResult:
    """Record a batch of records, all or nothing, then judge its events at once."""
    return _respond(response, record_records(db, user, batch.records))
