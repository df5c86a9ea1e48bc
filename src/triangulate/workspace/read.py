"""The workspace's read models, built from the store: what the web pages show and the
JSON API returns. One call per page; every list is paged at the database."""

from __future__ import annotations

import itertools
import json
import math
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from ..ledger.conflicts import figure_interval, summarise
from ..ledger.types import Claim, Conflict, Property
from ..link.types import StorySummary
from ..store.links import SQLiteLinks
from ..store.queries import WorkspaceQueries
from ..store.search import search_documents, split_snippet
from ..store.sqlite import SQLiteStore
from .types import (
    BadParameter,
    BlockView,
    Choice,
    DateSpan,
    DocumentView,
    EntityDetail,
    EntityRow,
    EventDetail,
    EvidenceRef,
    FilterChoices,
    GraphEdge,
    GraphNode,
    LedgerCell,
    LedgerColumn,
    LedgerRow,
    MemberRef,
    Paged,
    PageInfo,
    SearchHit,
    Segment,
    SourceDetail,
    SourceSummary,
    Span,
    StanceRef,
    TimelineFilters,
    TimelineItem,
)

# Page sizes: large enough for a screenful of timeline, small enough that one page stays
# a bounded amount of work whatever the store holds.
DEFAULT_SIZE = 50
MAX_SIZE = 200
# An event page lists at most this many member documents (the count says how many more).
MAX_MEMBERS_SHOWN = 200
# The co-occurrence graph is counted over an entity's most recent documents only: a
# country named in every document would otherwise make one page read the whole store.
GRAPH_DOCUMENTS = 400
GRAPH_NODES = 12
# A source page compares at most this many of its most recent figures with other origins.
OUTLIER_SAMPLE = 300
# Independent sources at which an event counts as corroborated, and as strongly so.
CORROBORATED, STRONG = 2, 4

# Documents per source read for the loaded-language share (the most recent ones), so a
# source page costs the same for a source of ten documents and one of ten thousand.
LOADED_LANGUAGE_DOCUMENTS = 100
LOADED_LANGUAGE_NOTE = (
    "share of sentences in the reporting blocks of the source's {n} most recent documents"
    " that use a word from the loaded-language list (data/loaded_language.json): where to"
    " look, not a verdict"
)


def page_bounds(page: int, size: int) -> tuple[int, int]:
    """(limit, offset) for a 1-based page; refuses pages and sizes out of range."""
    if page < 1:
        raise BadParameter(f"page {page} is out of range: pages start at 1")
    if not 1 <= size <= MAX_SIZE:
        raise BadParameter(f"size {size} is out of range: 1 to {MAX_SIZE}")
    return size, (page - 1) * size


def corroboration(sources: int) -> str:
    if sources >= STRONG:
        return "strong"
    if sources >= CORROBORATED:
        return "corroborated"
    return "single"


def _span(r: sqlite3.Row) -> DateSpan:
    return DateSpan(
        start=r["date_start"],
        end=r["date_end"],
        precision=r["precision"],
        label=r["date"] or "undated",
        method=r["date_method"],
    )


def script_of(text: str) -> str:
    """The writing system of an alias, as an analyst would sort them."""
    if any("\u0400" <= ch <= "\u04ff" for ch in text):
        return "Cyrillic"
    if any(ch in "əƏğĞıİşŞçÇ" for ch in text):
        return "Latin (Azerbaijani)"
    if any(ch.isalpha() and ch.isascii() for ch in text):
        return "Latin"
    return "other"


def _interval(c: dict[str, Any]) -> tuple[float, float]:
    # The conflict finder's reading of a figure, so an outlier here is what it would
    # call a contradiction.
    return figure_interval(c["min"], c["max"], c["exactness"])


class Workspace:
    """Read models over one open store (one per thread: SQLite connections are not
    shared between threads)."""

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store
        self.links = SQLiteLinks(store.conn)
        self.q = WorkspaceQueries(store.conn)

    # --- timeline -------------------------------------------------------------------------
    def _items(self, rows: Sequence[sqlite3.Row]) -> list[TimelineItem]:
        ids = [int(r["id"]) for r in rows]
        conflicts = self.q.conflict_stats(ids)
        stances = self.q.stance_counts(ids)
        out = []
        for r in rows:
            n, severity, props = conflicts.get(int(r["id"]), (0, 0.0, []))
            out.append(
                TimelineItem(
                    event_id=int(r["id"]),
                    label=r["label"],
                    kind=r["kind"],
                    types=tuple(json.loads(r["types"])),
                    span=_span(r),
                    place=r["place"],
                    story=r["story_id"],
                    documents=int(r["documents"]),
                    sources=int(r["sources"]),
                    corroboration=corroboration(int(r["sources"])),
                    conflicts=n,
                    conflict=n > 0,
                    severity=round(severity, 3),
                    contested=tuple(props),
                    stance=stances.get(int(r["id"]), {}),
                )
            )
        return out

    def timeline(
        self, filters: TimelineFilters, page: int = 1, size: int = DEFAULT_SIZE
    ) -> Paged[TimelineItem]:
        limit, offset = page_bounds(page, size)
        rows, total = self.q.timeline(filters, limit, offset)
        return Paged(self._items(rows), PageInfo(page, size, total))

    def choices(self) -> FilterChoices:
        stories, _ = self.q.stories(MAX_SIZE, 0)
        sources, _ = self.q.sources(MAX_SIZE, 0)
        return FilterChoices(
            stories=[Choice(r["story_id"], f"{r['story_id']} ({r['docs']} docs)") for r in stories],
            types=[Choice(t, f"{t} ({n})") for t, n in self.q.event_types()],
            sources=[Choice(str(s.id), f"{s.name} ({n})") for s, n in sources],
            langs=[Choice(lang, f"{lang} ({n})") for lang, n in self.q.main_languages()],
        )

    def stories(self, page: int = 1, size: int = DEFAULT_SIZE) -> Paged[StorySummary]:
        limit, offset = page_bounds(page, size)
        rows, total = self.q.stories(limit, offset)
        items = []
        for r in rows:
            events, first, last = self.q.story_events(r["story_id"])
            items.append(
                StorySummary(
                    r["story_id"],
                    int(r["docs"]),
                    events,
                    first,
                    last,
                    tuple(self.q.story_titles(r["story_id"], 3)),
                )
            )
        return Paged(items, PageInfo(page, size, total))

    # --- one event ------------------------------------------------------------------------
    def event(self, event_id: int) -> EventDetail:
        row = self.q.event_row(event_id)
        (item,) = self._items([row])
        claims = self.links.claims(event_id)
        conflicts = self.links.conflicts(event_id)
        members, members_total = self.q.event_members(event_id, MAX_MEMBERS_SHOWN)
        names = {m["doc_id"]: m["source"] for m in members} | {c.doc_id: c.source for c in claims}
        columns, ledger = _ledger(claims, conflicts)
        stance = [
            StanceRef(
                source=names.get(doc, doc),
                doc_id=doc,
                target=str(s["target"]),
                label=str(s["label"]),
                probability=float(s["probability"]),
                claim=str(s.get("claim", "")),
            )
            for doc, _, stances in self.links.stances(event_id)
            for s in stances
        ]
        chains = [
            " ← ".join([c.source, *c.chain]) if c.chain else f"{c.source} (own voice)"
            for c in claims
        ]
        return EventDetail(
            item=item,
            date_evidence=row["date_evidence"],
            columns=columns,
            ledger=ledger,
            conflicts=conflicts,
            summaries=[
                summarise(p, claims)
                for p in Property
                if p.numeric and any(c.property is p for c in claims)
            ],
            members=[
                MemberRef(
                    doc_id=m["doc_id"],
                    incident=int(m["idx"]),
                    title=m["title"],
                    source=m["source"],
                    lang=m["lang"],
                    published=m["published"],
                    score=m["score"],
                    why=tuple(json.loads(m["evidence"] or "[]")),
                    copy_of=m["copy_of"],
                )
                for m in members
            ],
            members_total=members_total,
            stance=stance,
            independent_sources=int(row["sources"]),
            total_sources=self.q.event_source_count(event_id),
            attribution=list(dict.fromkeys(chains)),
        )

    # --- entities -------------------------------------------------------------------------
    def entities(
        self, type: str | None = None, query: str | None = None, page: int = 1, size: int = 50
    ) -> Paged[EntityRow]:
        limit, offset = page_bounds(page, size)
        rows, total = self.q.entities(type, query, limit, offset)
        return Paged(
            [EntityRow(int(r["id"]), r["name"], r["type"], int(r["keys"])) for r in rows],
            PageInfo(page, size, total),
        )

    def entity(self, entity_id: int, page: int = 1, size: int = DEFAULT_SIZE) -> EntityDetail:
        deleted = self.q.entity_deleted(entity_id)
        entity = self.links.get_entity(entity_id)
        scripts: dict[str, list[str]] = defaultdict(list)
        for alias in entity.aliases:
            scripts[script_of(alias)].append(alias)
        events = self.timeline(TimelineFilters(entity=entity_id), page, size)
        seqs = self.q.entity_documents(entity_id, GRAPH_DOCUMENTS)
        nodes, edges = _graph(entity_id, entity.name, entity.type, seqs, self.q.co_mentions(seqs))
        return EntityDetail(
            entity=entity,
            deleted=deleted,
            scripts=dict(sorted(scripts.items())),
            events=events,
            nodes=nodes,
            edges=edges,
            sampled_documents=len(seqs),
        )

    # --- sources --------------------------------------------------------------------------
    def sources(self, page: int = 1, size: int = DEFAULT_SIZE) -> Paged[SourceSummary]:
        limit, offset = page_bounds(page, size)
        rows, total = self.q.sources(limit, offset)
        return Paged([SourceSummary(s, n) for s, n in rows], PageInfo(page, size, total))

    def source(self, ref: str | int, page: int = 1, size: int = DEFAULT_SIZE) -> SourceDetail:
        limit, offset = page_bounds(page, size)
        src = self.q.source_ref(ref)
        docs, total = self.q.source_documents(src.id, limit, offset)
        own, quoting = self.q.source_voices(src.id)
        compared, outliers = self._outliers(src.id)
        loaded = self._loaded_share(src.id)
        return SourceDetail(
            source=src,
            domain=self.q.source_domain(src.id),
            documents=Paged(docs, PageInfo(page, size, total)),
            languages=self.q.source_languages(src.id),
            claims=own + quoting,
            own_voice=own,
            quoting=quoting,
            own_voice_share=round(own / (own + quoting), 3) if own + quoting else None,
            figures_compared=compared,
            outlier_figures=outliers,
            outlier_share=round(outliers / compared, 3) if compared else None,
            loaded_language_share=loaded,
            loaded_language_note=LOADED_LANGUAGE_NOTE.format(
                n=min(total, LOADED_LANGUAGE_DOCUMENTS)
            ),
        )

    def _loaded_share(self, source_id: int) -> float | None:
        from ..understand.loaded import loaded_sentences

        sentences = loaded = 0
        for text, lang in self.q.source_passages(source_id, LOADED_LANGUAGE_DOCUMENTS):
            n, k = loaded_sentences(text, lang)
            sentences += n
            loaded += k
        return round(loaded / sentences, 3) if sentences else None

    def _outliers(self, source_id: int) -> tuple[int, int]:
        """(figures compared, figures that no other independent origin's figure overlaps)
        over the source's most recent numeric claims."""
        compared = outliers = 0
        cache: dict[tuple[int, str], list[dict[str, Any]]] = {}
        for event_id, prop, claim in self.q.source_figures(source_id, OUTLIER_SAMPLE):
            key = (event_id, prop)
            if key not in cache:
                cache[key] = self.q.property_claims(event_id, prop)
            others = [c for c in cache[key] if c["origin"] != claim["origin"]]
            if not others:
                continue
            compared += 1
            lo, hi = _interval(claim)
            if not any(olo <= hi and lo <= ohi for olo, ohi in map(_interval, others)):
                outliers += 1
        return compared, outliers

    # --- documents ------------------------------------------------------------------------
    def document(self, ref: str, highlight: tuple[int, int] | None = None) -> DocumentView:
        doc = self.store.get_document(ref)
        assert doc.seq is not None
        if highlight is not None:
            a, b = highlight
            if not 0 <= a < b <= len(doc.text):
                raise BadParameter(
                    f"highlight {a}-{b} is outside document {doc.id} (0-{len(doc.text)})"
                )
        entities = [
            Span(
                int(r["start"]),
                int(r["end"]),
                "entity",
                r["name"] or r["text"],
                None if r["entity_id"] is None or r["deleted"] else str(r["entity_id"]),
                r["type"],
            )
            for r in self.q.entity_spans(doc.seq)
        ]
        owners = self.q.mention_events(doc.seq)
        events = [
            Span(
                int(r["trigger_start"]),
                int(r["trigger_end"]),
                "event",
                r["trigger"] or r["type"],
                str(owners[int(r["idx"])]) if int(r["idx"]) in owners else None,
                r["type"],
            )
            for r in self.q.event_spans(doc.seq)
        ]
        (ref_row,) = self.q.documents_by_seq([doc.seq]).values()
        return DocumentView(
            document=ref_row,
            source_id=self.q.source_id_of(doc.seq),
            text_length=len(doc.text),
            blocks=_blocks(doc.text, doc.blocks, entities, events, highlight),
            entities=entities,
            events=events,
            highlight=highlight,
            copies=self.store.copies_of(doc.id),
        )

    # --- search ---------------------------------------------------------------------------
    def search(
        self,
        query: str,
        *,
        entity: int | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        page: int = 1,
        size: int = 20,
    ) -> Paged[SearchHit]:
        limit, offset = page_bounds(page, size)
        rows, total = search_documents(
            self.store.conn,
            query,
            entity=entity,
            date_from=date_from,
            date_to=date_to,
            limit=limit,
            offset=offset,
        )
        docs = self.q.documents_by_seq([r.seq for r in rows])
        hits = [
            SearchHit(
                docs[r.seq],
                split_snippet(r.snippet),
                None if r.score is None else round(r.score, 4),
            )
            for r in rows
            if r.seq in docs
        ]
        return Paged(hits, PageInfo(page, size, total))


def _ledger(
    claims: Sequence[Claim], conflicts: Sequence[Conflict]
) -> tuple[list[LedgerColumn], list[LedgerRow]]:
    """The claims ledger as properties × sources: one column per publishing source (in
    order of first publication), one row per property, every value with its evidence."""
    ordered = sorted(claims, key=lambda c: (c.published or "9999", c.seq))
    columns: dict[str, LedgerColumn] = {}
    docs: dict[str, list[str]] = defaultdict(list)
    for c in ordered:
        if c.source not in columns:
            columns[c.source] = LedgerColumn(c.source, c.origin, ())
        docs[c.source].append(c.doc_id)
    cols = [
        LedgerColumn(col.source, col.origin, tuple(dict.fromkeys(docs[col.source])))
        for col in columns.values()
    ]
    index = {col.source: i for i, col in enumerate(cols)}
    disputed: dict[Property, set[str]] = defaultdict(set)
    for conflict in conflicts:
        disputed[conflict.property] |= {v.key for v in conflict.values}
    rows = []
    for prop in Property:
        mine = [c for c in ordered if c.property is prop]
        if not mine:
            continue
        cells: list[list[LedgerCell]] = [[] for _ in cols]
        for c in mine:
            ev = c.evidence[0] if c.evidence else None
            cells[index[c.source]].append(
                LedgerCell(
                    value=c.value,
                    modality=c.modality,
                    chain=" ← ".join(c.chain) if c.chain else c.voice,
                    doc_id=c.doc_id,
                    evidence=EvidenceRef(ev.doc_id, ev.start, ev.end, ev.text) if ev else None,
                    conflicting=c.key in disputed.get(prop, set()),
                    note=c.note,
                )
            )
        rows.append(LedgerRow(prop.value, cells, prop in disputed))
    return cols, rows


def _graph(
    centre: int,
    name: str,
    type: str,
    seqs: Sequence[int],
    mentions: Sequence[tuple[int, str, str, int]],
) -> tuple[list[GraphNode], list[GraphEdge]]:
    """The entity and the entities most often named in the same documents, laid out on a
    circle around it; edges carry how many documents name both ends."""
    docs: dict[int, set[int]] = defaultdict(set)
    meta: dict[int, tuple[str, str]] = {}
    for entity_id, ename, etype, seq in mentions:
        docs[entity_id].add(seq)
        meta[entity_id] = (ename, etype)
    around = sorted((e for e in docs if e != centre), key=lambda e: (-len(docs[e]), meta[e][0], e))[
        :GRAPH_NODES
    ]
    nodes = [GraphNode(centre, name, type, len(seqs), 0.5, 0.5)]
    for i, e in enumerate(around):
        angle = 2 * math.pi * i / max(1, len(around)) - math.pi / 2
        nodes.append(
            GraphNode(
                e,
                meta[e][0],
                meta[e][1],
                len(docs[e]),
                round(0.5 + 0.38 * math.cos(angle), 4),
                round(0.5 + 0.38 * math.sin(angle), 4),
            )
        )
    edges = [GraphEdge(centre, e, len(docs[e])) for e in around]
    for i, a in enumerate(around):
        for b in around[i + 1 :]:
            shared = len(docs[a] & docs[b])
            if shared:
                edges.append(GraphEdge(a, b, shared))
    return nodes, edges


def _blocks(
    text: str,
    blocks: Sequence[Any],
    entities: Sequence[Span],
    events: Sequence[Span],
    highlight: tuple[int, int] | None,
) -> list[BlockView]:
    """The document's blocks as runs of text with their entity, event and evidence marks.
    A block that contains others (a comment and its quotes) shows only the text between
    its children; the children follow it one level deeper."""
    children: dict[int, list[int]] = defaultdict(list)
    for i, b in enumerate(blocks):
        if b.parent is not None:
            children[b.parent].append(i)
    out: list[BlockView] = []

    def emit(i: int, a: int, b: int) -> None:
        block = blocks[i]
        if text[a:b].strip():
            out.append(
                BlockView(
                    block.kind.value,
                    block.lang,
                    a,
                    b,
                    block.author,
                    _segments(text, a, b, entities, events, highlight),
                    depth=1 if block.parent is not None else 0,
                )
            )

    for i, block in enumerate(blocks):
        if block.parent is not None:
            continue
        if i not in children:
            emit(i, block.start, block.end)
            continue
        cursor = block.start
        for child in sorted(children[i], key=lambda j: blocks[j].start):
            emit(i, cursor, max(cursor, blocks[child].start))
            emit(child, blocks[child].start, blocks[child].end)
            cursor = max(cursor, blocks[child].end)
        emit(i, cursor, block.end)
    return out


def _segments(
    text: str,
    a: int,
    b: int,
    entities: Sequence[Span],
    events: Sequence[Span],
    highlight: tuple[int, int] | None,
) -> list[Segment]:
    spans = [s for s in [*entities, *events] if s.start < b and s.end > a]
    cuts = {a, b}
    for s in spans:
        cuts |= {max(a, s.start), min(b, s.end)}
    if highlight is not None and highlight[0] < b and highlight[1] > a:
        cuts |= {max(a, highlight[0]), min(b, highlight[1])}
    edges = sorted(cuts)
    out: list[Segment] = []
    for x, y in itertools.pairwise(edges):
        if x >= y:
            continue
        # The innermost (shortest) span wins where entity mentions nest.
        ent = min(
            (s for s in entities if s.start <= x and s.end >= y),
            key=lambda s: s.end - s.start,
            default=None,
        )
        evt = next((s for s in events if s.start <= x and s.end >= y), None)
        out.append(
            Segment(
                text=text[x:y],
                entity=int(ent.ref) if ent is not None and ent.ref is not None else None,
                entity_type=ent.type if ent is not None else "",
                event=int(evt.ref) if evt is not None and evt.ref is not None else None,
                event_type=evt.type if evt is not None else "",
                evidence=highlight is not None and highlight[0] <= x and y <= highlight[1],
            )
        )
    return out
