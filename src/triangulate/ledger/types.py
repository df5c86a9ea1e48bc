"""Typed records of the claims ledger: who says what about an event, and where they
disagree."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..records import Record


class Property(enum.StrEnum):
    DEATHS = "deaths"
    INJURED = "injured"
    HOSPITALISED = "hospitalised"
    DETAINED = "detained"
    DATE = "date"
    PLACE = "place"
    AGENT = "agent"
    TARGET = "target_group"
    REASON = "stated_reason"

    @property
    def numeric(self) -> bool:
        return self in _NUMERIC


_NUMERIC = frozenset({Property.DEATHS, Property.INJURED, Property.HOSPITALISED, Property.DETAINED})


@dataclass(frozen=True, slots=True)
class Evidence(Record):
    doc_id: str
    start: int
    end: int
    text: str  # the sentence
    stage: str  # what made the underlying mention


@dataclass(frozen=True, slots=True)
class Claim(Record):
    """One source's value for one property of one event."""

    event_id: int
    property: Property
    doc_id: str
    source: str  # display name of the publishing source
    value: str  # display form: "2", "≈50", "dozens (24-99)", "2025-06-27", "FSB"
    min: float | None  # numeric claims: the interval the value stands for
    max: float | None
    key: str  # comparable form: an entity key, a calendar value, a number interval
    exactness: str  # exact, approximate, vague, implicit (numeric); "" otherwise
    modality: str  # the most cautious modality among the mentions behind it
    voice: str
    chain: tuple[str, ...]  # speaker chain, outermost first ("E1.RU", "eyewitnesses")
    origin: str  # independence key: copies, reposts and quotes of one original share it
    published: str | None
    seq: int  # ingest order of the document: breaks ties when publication dates are unknown
    evidence: tuple[Evidence, ...]
    note: str = ""  # e.g. "1 of 3 reportedly"
    confidence: float = 1.0


class ConflictKind(enum.StrEnum):
    CONTRADICTION = "contradiction"
    PRECISION = "different_precision"
    HEDGED = "hedged_vs_asserted"


@dataclass(frozen=True, slots=True)
class ConflictValue(Record):
    value: str
    key: str
    docs: tuple[str, ...]
    sources: tuple[str, ...]
    chains: tuple[str, ...]  # "E1.RU <- eyewitnesses" per claim
    modality: str


@dataclass(frozen=True, slots=True)
class Conflict(Record):
    event_id: int
    property: Property
    kind: ConflictKind
    severity: float  # 0..1: how far apart the values are
    values: tuple[ConflictValue, ...]
    note: str


@dataclass(frozen=True, slots=True)
class PropertySummary(Record):
    """Consensus, range and ACLED's conservative figure for one numeric property."""

    property: Property
    consensus: str | None  # the value every claim agrees on, else None
    low: float | None
    high: float | None
    conservative: float | None  # the lowest credible figure (ACLED)
    disputed: bool
    claims: int
    origins: int  # independent origins behind the claims
    first_source: str | None = None  # who reported the property first (earliest publication)
    first_doc: str | None = None
