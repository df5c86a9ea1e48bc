"""Typed read models of the analyst's workspace. The web pages and the JSON API render the
same records, so a page and its JSON twin cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..errors import TriangulateError
from ..ledger.types import Conflict, PropertySummary
from ..link.types import Entity, StorySummary
from ..records import Record

T = TypeVar("T")


class BadParameter(TriangulateError):
    """A page or API parameter that cannot be used as given (names the parameter)."""

    code = "bad-parameter"


@dataclass(frozen=True, slots=True)
class PageInfo(Record):
    number: int  # 1-based
    size: int
    total: int  # items matching the query, over all pages

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


@dataclass(frozen=True, slots=True)
class Paged(Record, Generic[T]):
    items: list[T]
    page: PageInfo


@dataclass(frozen=True, slots=True)
class DateSpan(Record):
    """What an event's date stands for: a point for a known day, a span for a month or a
    year, nothing when even the year is unknown (``label`` still shows the value)."""

    start: str | None  # ISO date, inclusive
    end: str | None  # ISO date, inclusive
    precision: str  # day, week, month, year, unknown, ...
    label: str  # the calendar value as reported ("2025-06", "XXXX-06-27", "undated")
    method: str  # reported, combined, inferred, unknown


@dataclass(frozen=True, slots=True)
class TimelineItem(Record):
    event_id: int
    label: str
    kind: str
    types: tuple[str, ...]
    span: DateSpan
    place: str | None
    story: str | None
    documents: int
    sources: int  # independent sources: the corroboration
    corroboration: str  # single, corroborated (2-3), strong (4+)
    conflicts: int
    conflict: bool
    severity: float  # the worst conflict, 0 when none
    contested: tuple[str, ...]  # properties in dispute
    stance: dict[str, int]  # stance label -> members toward the event


@dataclass(frozen=True, slots=True)
class TimelineFilters(Record):
    story: str | None = None
    entity: int | None = None
    type: str | None = None
    source: str | None = None  # source key (domain or name, lower case) or numeric id
    lang: str | None = None  # main language of a reporting document
    date_from: str | None = None  # ISO date: events whose span ends on or after it
    date_to: str | None = None  # ISO date: events whose span starts on or before it

    @property
    def active(self) -> bool:
        return any(v is not None for v in self.to_dict().values())


@dataclass(frozen=True, slots=True)
class SourceRef(Record):
    id: int
    key: str
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class EvidenceRef(Record):
    doc_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class LedgerCell(Record):
    """One source's value(s) for one property of an event."""

    value: str
    modality: str
    chain: str  # "source <- speaker <- ..." or the voice
    doc_id: str
    evidence: EvidenceRef | None
    conflicting: bool  # the value is one side of a conflict on this property
    note: str = ""


@dataclass(frozen=True, slots=True)
class LedgerRow(Record):
    property: str
    cells: list[list[LedgerCell]]  # one list per column of ``EventDetail.columns``
    conflict: bool


@dataclass(frozen=True, slots=True)
class LedgerColumn(Record):
    source: str  # display name of the publishing source
    origin: str  # independence key: columns sharing it are one independent source
    docs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MemberRef(Record):
    doc_id: str
    incident: int
    title: str | None
    source: str
    lang: str | None
    published: str | None
    score: float | None
    why: tuple[str, ...]  # link evidence
    copy_of: str | None


@dataclass(frozen=True, slots=True)
class StanceRef(Record):
    source: str
    doc_id: str
    target: str  # event or stated_reason
    label: str
    probability: float
    claim: str


@dataclass(frozen=True, slots=True)
class EventDetail(Record):
    item: TimelineItem
    date_evidence: str
    columns: list[LedgerColumn]
    ledger: list[LedgerRow]
    conflicts: list[Conflict]
    summaries: list[PropertySummary]
    members: list[MemberRef]
    members_total: int
    stance: list[StanceRef]
    independent_sources: int
    total_sources: int  # distinct publishing sources among the members
    attribution: list[str]  # distinct speaker chains behind the claims


@dataclass(frozen=True, slots=True)
class GraphNode(Record):
    id: int
    name: str
    type: str
    weight: int  # documents shared with the centre (the centre: its own documents)
    x: float  # layout for the inline SVG, 0..1
    y: float


@dataclass(frozen=True, slots=True)
class GraphEdge(Record):
    source: int
    target: int
    weight: int  # documents where both are named


@dataclass(frozen=True, slots=True)
class EntityRow(Record):
    id: int
    name: str
    type: str
    keys: int  # mention keys merged into it


@dataclass(frozen=True, slots=True)
class EntityDetail(Record):
    entity: Entity
    deleted: bool
    scripts: dict[str, list[str]]  # script name -> aliases written in it
    events: Paged[TimelineItem]
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    sampled_documents: int  # documents the graph was counted over


@dataclass(frozen=True, slots=True)
class DocumentRef(Record):
    id: str
    title: str | None
    source: str
    url: str | None
    author: str | None
    published: str | None
    languages: list[str]
    copy_of: str | None


@dataclass(frozen=True, slots=True)
class SourceDetail(Record):
    source: SourceRef
    domain: str | None
    documents: Paged[DocumentRef]
    languages: dict[str, int]  # main language -> documents
    claims: int
    own_voice: int  # claims made in the source's own voice
    quoting: int  # claims attributed to someone it quotes
    own_voice_share: float | None
    figures_compared: int  # numeric claims that had another origin's figure to compare with
    outlier_figures: int  # of those, figures no other independent origin's figure overlaps
    outlier_share: float | None
    loaded_language_share: float | None
    loaded_language_note: str


@dataclass(frozen=True, slots=True)
class SourceSummary(Record):
    source: SourceRef
    documents: int


@dataclass(frozen=True, slots=True)
class Span(Record):
    start: int
    end: int
    kind: str  # entity, event, evidence
    label: str
    ref: str | None  # entity id, event id
    type: str = ""


@dataclass(frozen=True, slots=True)
class Segment(Record):
    """A run of text with the same set of covering spans."""

    text: str
    entity: int | None
    entity_type: str
    event: int | None
    event_type: str
    evidence: bool


@dataclass(frozen=True, slots=True)
class BlockView(Record):
    kind: str
    lang: str
    start: int
    end: int
    author: str | None
    segments: list[Segment]
    depth: int = 0  # 1 for a quote or comment text inside a comment


@dataclass(frozen=True, slots=True)
class DocumentView(Record):
    document: DocumentRef
    source_id: int
    text_length: int
    blocks: list[BlockView]
    entities: list[Span]
    events: list[Span]
    highlight: tuple[int, int] | None
    copies: list[str]


@dataclass(frozen=True, slots=True)
class SearchHit(Record):
    document: DocumentRef
    snippet: list[tuple[str, bool]]  # (text, is a match)
    score: float | None  # relevance (higher is better); None: too many hits to rank, newest first


@dataclass(frozen=True, slots=True)
class Choice(Record):
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class FilterChoices(Record):
    """Values offered by the timeline's filter menus."""

    stories: list[Choice]
    types: list[Choice]
    sources: list[Choice]
    langs: list[Choice]


def as_plain(value: Any) -> Any:
    """``to_dict`` for records, lists of records, and plain values alike."""
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, list):
        return [as_plain(v) for v in value]
    return value


__all__ = [
    "BadParameter",
    "BlockView",
    "Choice",
    "DateSpan",
    "DocumentRef",
    "DocumentView",
    "EntityDetail",
    "EntityRow",
    "EventDetail",
    "EvidenceRef",
    "FilterChoices",
    "GraphEdge",
    "GraphNode",
    "LedgerCell",
    "LedgerColumn",
    "LedgerRow",
    "MemberRef",
    "PageInfo",
    "Paged",
    "SearchHit",
    "Segment",
    "SourceDetail",
    "SourceRef",
    "SourceSummary",
    "Span",
    "StanceRef",
    "StorySummary",
    "TimelineFilters",
    "TimelineItem",
]
