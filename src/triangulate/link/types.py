"""Typed records of the cross-document layer: entities and events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..records import Record


@dataclass(frozen=True, slots=True)
class Entity(Record):
    id: int
    name: str
    type: str
    keys: tuple[str, ...]  # script-independent mention keys merged into it
    aliases: tuple[str, ...]  # every spelling seen, across scripts
    reasons: tuple[str, ...]  # why each key belongs ("same key", "surname of ...", "user merge")
    mentions: int
    documents: int
    named_by: str = "auto"


@dataclass(frozen=True, slots=True)
class EventRecord(Record):
    id: int
    story: str | None
    kind: str  # operation or reaction
    types: tuple[str, ...]
    label: str
    date: str | None  # calendar value; XXXX when the year is unknown
    date_start: str | None  # ISO interval when the year is known
    date_end: str | None
    precision: str
    date_method: str  # reported, combined, inferred, unknown
    date_evidence: str
    place: str | None
    documents: int
    sources: int  # independent sources


@dataclass(frozen=True, slots=True)
class EventMember(Record):
    """One document's incident in an event, and why it was linked."""

    event_id: int
    doc_id: str
    incident: int
    anchor: int
    score: float | None
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StorySummary(Record):
    id: str
    documents: int
    events: int
    first: str | None  # earliest known event date
    last: str | None
    titles: tuple[str, ...]  # a few document titles


@dataclass(frozen=True, slots=True)
class LedgerMember(Record):
    """One incident of an event as a ledger rebuild reads it back."""

    doc_id: str
    seq: int
    incident: int
    data: str  # Incident record JSON
    signature: str  # EventSignature JSON
    origin: str | None  # set once its claims are stored under the event
    stance: list[dict[str, Any]]
