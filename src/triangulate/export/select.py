"""What an export covers, gathered once through the store's library calls so that every
format reads the same selection: the events (with their timeline row, claims, conflicts,
members and figures), the documents behind them, the entities those documents name, and
their sources.

Without a filter everything in the store is selected. With ``story`` or ``types`` the
events are filtered first; documents are then those behind the selected events, and
entities those named in those documents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import NotFound
from ..ledger import timeline as tl
from ..ledger.conflicts import summarise
from ..ledger.types import Claim, Conflict, Property, PropertySummary
from ..link.types import Entity, EventMember, EventRecord
from ..records import Record
from ..store.base import DocumentSummary
from ..store.links import SQLiteLinks
from ..store.sqlite import SQLiteStore
from .lookups import cameo_codes

NUMERIC = (Property.DEATHS, Property.INJURED, Property.HOSPITALISED, Property.DETAINED)


@dataclass(frozen=True, slots=True)
class EventBundle(Record):
    event: EventRecord
    row: tl.TimelineRow
    claims: tuple[Claim, ...]
    conflicts: tuple[Conflict, ...]
    members: tuple[EventMember, ...]
    figures: tuple[PropertySummary, ...]  # numeric properties that have claims

    @property
    def id(self) -> int:
        return self.event.id

    def figure(self, prop: Property) -> PropertySummary | None:
        return next((f for f in self.figures if f.property is prop), None)

    def doc_ids(self) -> tuple[str, ...]:
        """Member documents, then any other document a claim comes from, in order."""
        ids = [m.doc_id for m in self.members] + [c.doc_id for c in self.claims]
        return tuple(dict.fromkeys(ids))


@dataclass(frozen=True, slots=True)
class SourceSummary(Record):
    key: str
    name: str  # display name, as the ledger names sources
    domain: str | None
    kind: str
    documents: int  # every stored document of the source
    originals: int  # its documents that copy no other: what it says independently
    copies: int  # its documents that repost or copy another document
    languages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Selection(Record):
    story: str | None
    types: tuple[str, ...]
    events: tuple[EventBundle, ...]
    documents: tuple[DocumentSummary, ...]
    entities: tuple[Entity, ...]
    sources: tuple[SourceSummary, ...]

    def documents_by_id(self) -> dict[str, DocumentSummary]:
        return {d.id: d for d in self.documents}


def source_name(doc: DocumentSummary) -> str:
    """The display name the claims ledger gives a document's source."""
    return doc.source.name or doc.source.domain or doc.source.key


def _sources(docs: Sequence[DocumentSummary]) -> tuple[SourceSummary, ...]:
    groups: dict[str, list[DocumentSummary]] = defaultdict(list)
    for d in docs:
        groups[d.source.key].append(d)
    out = []
    for key, group in groups.items():
        first = group[0]
        langs = dict.fromkeys(lang for d in group for lang in d.languages)
        out.append(
            SourceSummary(
                key=key,
                name=source_name(first),
                domain=first.source.domain,
                kind=first.source.kind.value,
                documents=len(group),
                originals=sum(1 for d in group if d.copy_of is None),
                copies=sum(1 for d in group if d.copy_of is not None),
                languages=tuple(langs),
            )
        )
    out.sort(key=lambda s: (-s.documents, s.name.lower()))
    return tuple(out)


def _order(row: tl.TimelineRow) -> tuple[bool, str, str, int]:
    # The order list_events uses: dated events by start, then undated, then by id.
    return (row.start is None, row.start or "", row.date or "", row.event_id)


def check_types(types: Sequence[str]) -> None:
    known = cameo_codes()
    for t in types:
        if t not in known:
            raise NotFound(f"no event type {t!r} (known: {', '.join(sorted(known))})")


def select(store: SQLiteStore, *, story: str | None = None, types: Sequence[str] = ()) -> Selection:
    """Gather what an export of the store (or of one story / some event types) covers.
    Raises NotFound for an unknown story or event type."""
    check_types(types)
    links = SQLiteLinks(store.conn)
    rows: dict[int, tl.TimelineRow] = {}
    wanted_types: Sequence[str | None] = list(types) or [None]
    for t in wanted_types:
        for r in tl.timeline(links, story=story, type=t):
            rows[r.event_id] = r
    if story and not rows and story not in {s.id for s in links.stories()}:
        raise NotFound(f"no story {story!r} (see `triangulate stories`)")
    events = []
    for row in sorted(rows.values(), key=_order):
        claims = links.claims(row.event_id)
        figures = tuple(
            summarise(p, claims) for p in NUMERIC if any(c.property is p for c in claims)
        )
        events.append(
            EventBundle(
                event=links.get_event(row.event_id),
                row=row,
                claims=tuple(claims),
                conflicts=tuple(links.conflicts(row.event_id)),
                members=tuple(links.members(row.event_id)),
                figures=figures,
            )
        )
    all_docs = store.list_documents()
    filtered = bool(story or types)
    if filtered:
        wanted = {d for e in events for d in e.doc_ids()}
        docs = [d for d in all_docs if d.id in wanted]
        entities = _entities_of(store, links, docs)
    else:
        docs = all_docs
        entities = links.list_entities()
    return Selection(
        story=story,
        types=tuple(types),
        events=tuple(events),
        documents=tuple(docs),
        entities=tuple(entities),
        sources=_sources(docs),
    )


def _entities_of(
    store: SQLiteStore, links: SQLiteLinks, docs: Sequence[DocumentSummary]
) -> list[Entity]:
    ids: set[int] = set()
    for d in docs:
        analysis = store.get_analysis(d.id)
        if analysis is None:
            continue
        for m in analysis.entities:
            found = links.entity_for_key(m.key, m.type.value)
            if found is not None:
                ids.add(found)
    return [e for e in links.list_entities() if e.id in ids]
