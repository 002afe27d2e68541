"""The POLE records as they arrive from a source: one record per line of an import file.

These declarations are the import format. The JSON Schema in ``docs/data-format.md`` is generated
from them, and every record that reaches the store has passed through them.

References between records (an event's location, a link's person, a relationship's people) are the
*source* ids of records from the same agency and system: a force's event refers to the force's own
person records. Linking people across sources is the job of record linkage, not of the import.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from childfirst.domain import postcodes
from childfirst.domain.clock import to_utc
from childfirst.domain.vocab import (
    AgencyKind,
    DobPrecision,
    Ethnicity,
    EventType,
    Jurisdiction,
    LinkRole,
    ObjectType,
    RelationshipType,
    Sex,
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$"
Code = Annotated[str, StringConstraints(strip_whitespace=True, pattern=CODE_PATTERN)]
FreeText = Annotated[str, StringConstraints(max_length=20_000)]
DetailValue = str | int | float | bool | None


def _postcode(value: str) -> str:
    formatted = postcodes.standard(value)
    if formatted is None:
        raise ValueError("not a UK postcode")
    return formatted


Postcode = Annotated[str, AfterValidator(_postcode)]

OBJECT_ROLES = frozenset({LinkRole.USED, LinkRole.SEIZED})


class _Strict(BaseModel):
    # NaN and the infinities are not numbers a record can hold: JSON has no such values, and
    # neither the store nor the rules could use them.
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        strict=True,
        allow_inf_nan=False,
    )


class Source(_Strict):
    """Where a record came from. Every record carries its provenance."""

    agency: Code = Field(
        description="Code of the agency that holds the record, e.g. 'northmoor-police'."
    )
    agency_kind: AgencyKind = Field(description="What kind of agency it is.")
    system: Code = Field(description="The agency's system the record was taken from, e.g. 'niche'.")
    id: Code = Field(description="The record's id in that system; stable across re-exports.")
    received_at: datetime | None = Field(
        default=None,
        description="When the record was received from the source; the import time if absent.",
    )


class Name(_Strict):
    given_name: Text | None = None
    middle_names: Text | None = None
    family_name: Text | None = None


class Alias(Name):
    kind: Literal["alias", "previous", "nickname", "maiden", "misspelling"] = "alias"


class AddressSpell(_Strict):
    """A period during which a person was known to live at a location."""

    location: Code = Field(description="Source id of a location record from the same source.")
    from_date: date | None = None
    to_date: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> AddressSpell:
        if self.from_date and self.to_date and self.to_date < self.from_date:
            raise ValueError("to_date is before from_date")
        return self


class PersonRecord(_Strict):
    kind: Literal["person"]
    source: Source
    name: Name
    aliases: list[Alias] = Field(default_factory=list, max_length=50)
    date_of_birth: date | None = None
    dob_precision: DobPrecision = DobPrecision.EXACT
    sex: Sex = Sex.UNKNOWN
    ethnicity: Ethnicity | None = Field(
        default=None,
        description="Self-defined ethnicity. Used only to monitor disproportionality, never as a "
        "risk input.",
    )
    addresses: list[AddressSpell] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _named(self) -> PersonRecord:
        if not (self.name.given_name or self.name.family_name):
            raise ValueError("a person needs at least a given name or a family name")
        return self


class LocationRecord(_Strict):
    kind: Literal["location"]
    source: Source
    address: Text = Field(description="The address on one line, without the postcode.")
    postcode: Postcode | None = None
    uprn: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,12}$")] | None = Field(
        default=None, description="Unique Property Reference Number, where known."
    )
    location_type: Literal[
        "dwelling",
        "childrens_home",
        "foster_home",
        "school",
        "hospital",
        "custody_suite",
        "public_place",
        "hotel",
        "business",
        "other",
    ] = "dwelling"
    force_area: Code = Field(description="Code of the police force area the location lies in.")
    jurisdiction: Jurisdiction


class ObjectRecord(_Strict):
    kind: Literal["object"]
    source: Source
    object_type: ObjectType
    identifier: Text = Field(description="Registration mark, phone number, account name...")
    description: FreeText | None = None


class Link(_Strict):
    """One person or object in one role in an event."""

    role: LinkRole
    person: Code | None = None
    object: Code | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Link:
        if (self.person is None) == (self.object is None):
            raise ValueError("a link names exactly one of 'person' or 'object'")
        if self.object is not None and self.role not in OBJECT_ROLES:
            allowed = ", ".join(sorted(OBJECT_ROLES))
            raise ValueError(f"an object can only be linked as one of: {allowed}")
        if self.person is not None and self.role in OBJECT_ROLES:
            raise ValueError(f"a person cannot be linked in the role '{self.role}'")
        return self


class EventRecord(_Strict):
    kind: Literal["event"]
    source: Source
    event_type: EventType
    occurred_at: datetime = Field(
        description="When it happened; without an offset it is read as UK local time."
    )
    ended_at: datetime | None = Field(
        default=None, description="When it ended (release from custody, return from missing)."
    )
    reference: Text | None = Field(default=None, description="The reference users quote.")
    location: Code | None = Field(default=None, description="Source id of a location record.")
    summary: FreeText | None = None
    outcome: FreeText | None = None
    details: dict[Code, DetailValue] = Field(default_factory=dict, max_length=100)
    links: list[Link] = Field(default_factory=list, max_length=500)

    @model_validator(mode="after")
    def _consistent(self) -> EventRecord:
        if self.ended_at is not None and to_utc(self.ended_at) < to_utc(self.occurred_at):
            raise ValueError("ended_at is before occurred_at")
        seen: set[tuple[str, str | None, str | None]] = set()
        for link in self.links:
            key = (link.role.value, link.person, link.object)
            if key in seen:
                raise ValueError(
                    f"the same {'person' if link.person else 'object'} "
                    f"'{link.person or link.object}' is linked twice as '{link.role}'"
                )
            seen.add(key)
        return self


class RelationshipRecord(_Strict):
    """``person`` is ``relationship_type`` of ``other`` between the two dates."""

    kind: Literal["relationship"]
    source: Source
    person: Code
    other: Code
    relationship_type: RelationshipType
    started_on: date | None = None
    ended_on: date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> RelationshipRecord:
        if self.person == self.other:
            raise ValueError("a person cannot be in a relationship with themselves")
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValueError("ended_on is before started_on")
        return self


Record = Annotated[
    PersonRecord | LocationRecord | ObjectRecord | EventRecord | RelationshipRecord,
    Field(discriminator="kind"),
]
AnyRecord = PersonRecord | LocationRecord | ObjectRecord | EventRecord | RelationshipRecord
RECORD_TYPES: dict[str, type[AnyRecord]] = {
    "person": PersonRecord,
    "location": LocationRecord,
    "object": ObjectRecord,
    "event": EventRecord,
    "relationship": RelationshipRecord,
}


def references(record: AnyRecord) -> list[tuple[str, str, str]]:
    """Every (kind, source id, field path) this record refers to, within its own source."""
    refs: list[tuple[str, str, str]] = []
    if isinstance(record, PersonRecord):
        refs.extend(
            ("location", spell.location, f"addresses.{i}.location")
            for i, spell in enumerate(record.addresses)
        )
    elif isinstance(record, EventRecord):
        if record.location is not None:
            refs.append(("location", record.location, "location"))
        for i, link in enumerate(record.links):
            if link.person is not None:
                refs.append(("person", link.person, f"links.{i}.person"))
            else:
                assert link.object is not None
                refs.append(("object", link.object, f"links.{i}.object"))
    elif isinstance(record, RelationshipRecord):
        refs.append(("person", record.person, "person"))
        refs.append(("person", record.other, "other"))
    return refs


def payload(record: AnyRecord) -> dict[str, Any]:
    """The record as plain JSON-ready data, without the time it was received."""
    data = record.model_dump(mode="json", exclude_defaults=False)
    data["source"].pop("received_at", None)
    return data
