"""A generated store of any size, written in bulk (``build_store``): documents, analyses,
entities, incidents, events, the claims ledger, conflicts, stances, stories and the story
clusterer's state, consistent with one another and with what the link stage writes.

The link stage costs about 150 ms of CPU per document (scoring candidate events, rebuilding
every touched event's ledger after each document), so growing a store to 100,000 documents
through it takes hours. Benchmarks of what reads a large store (the API under load) or of
what adds one more document to it (linking cost at 100k) need the store, not the hours.
This builder draws documents from the link-speed benchmark's generated world
(``bench.link_speed.World``) and uses its ground truth, the story and the real-world event
each mention reports (``World.truth``), instead of the stage's decisions:

- documents, blocks, fingerprints, sightings and analyses go through the store's own
  ``insert_document`` and ``save_analysis`` (so triggers, such as a full-text index, fire);
- entities are resolved by the stage's ``resolve_entities``;
- incidents come from ``group_incidents`` and their signatures from the stage's
  ``signature``; an incident joins the event of its ground-truth label, scored against the
  event's latest report with ``cluster_score`` (so the score is the stage's, even where the
  stage would not have linked);
- an event's ledger is built once, when its story has no more documents to come: the
  aggregate signature and blocking keys of ``eventcoref``, claims by ``build_claims``,
  conflicts by ``find_conflicts``, stances, date and label as ``Linker.refresh_event``
  makes them;
- stories are the ground-truth stories, and the story clusterer's tables hold exactly what
  ``StoryClusterer.add`` would have stored for those assignments (document frequencies,
  each document's terms and blocking keys, story weights and postings), so the real stage
  can keep adding documents to the store afterwards.

Rows go in with ``executemany`` where the store's API allows it, one transaction per chunk
of documents, with synchronous writes off while loading (a crash mid-build leaves a store to
throw away, not one to repair).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import dedup
from ..errors import SettingError, StoreError
from ..ledger.claims import Member, build_claims, origin
from ..ledger.conflicts import find_conflicts
from ..ledger.types import Claim
from ..link.eventcoref import EventSignature, cluster_score
from ..link.incidents import HEADLINE_KINDS, Incident, Role, group_incidents
from ..link.stage import LINK, Linker, resolve_entities, save_event_signature, signature
from ..link.stories import TOP_TERMS, _parse, _sums, _Weights, _years_of
from ..link.story_state import (
    Assignment,
    Counters,
    DocRecord,
    MemoryStoryState,
    SqliteStoryState,
    StoryHead,
    story_name,
)
from ..link.types import EventRecord, LedgerMember
from ..records import Document, Record
from ..store.sqlite import SQLiteStore
from ..understand.stage import UNDERSTAND
from ..understand.types import DocumentAnalysis
from .link_speed import DEFAULT_SEED, ProgressFactory, World, _silent

# Documents per transaction: large enough that commits cost nothing, small enough that
# the WAL stays a few tens of MB.
CHUNK = 2000
# Stage tag of the documents rows, as ingest writes its own.
STAGE = "bench.bulk_store"
# Evidence added to every ground-truth join, so nobody mistakes it for the stage's decision.
TRUTH_NOTE = "generated ground truth (bulk build)"
# Bulk-load settings for the build connection only; the store's own (WAL, synchronous
# NORMAL) are put back at the end. The page cache (negative = KiB) holds the indexes
# being filled; temporary b-trees stay in memory.
BULK_PRAGMAS = (
    "PRAGMA synchronous = OFF",
    "PRAGMA cache_size = -262144",
    "PRAGMA temp_store = MEMORY",
)


@dataclass(frozen=True, slots=True)
class BuildReport(Record):
    path: str
    seed: int
    documents: int  # documents stored by this build
    duplicates: int  # generated documents skipped: their text was already stored
    sources: int
    entities: int
    incidents: int
    events: int
    stories: int
    claims: int
    conflicts: int
    fts_rows: int | None  # rows of the store's full-text index (None: the store has none)
    seconds: float
    docs_per_s: float
    db_mb: float


@dataclass(slots=True)
class _Report:
    """One document's incident inside an event that is still being built."""

    doc: Document
    analysis: DocumentAnalysis
    incident: Incident
    signature: EventSignature
    root: str  # the document it copies (itself when an original)
    root_source: str  # source key of that original
    data: str  # the incident as stored (JSON)
    sig_json: str  # its signature as stored (JSON)


@dataclass(slots=True)
class _OpenEvent:
    id: int
    reports: list[_Report] = field(default_factory=list)


@dataclass(slots=True)
class _OpenStory:
    """A ground-truth story whose documents are still arriving."""

    sid: int
    events: dict[str, _OpenEvent] = field(default_factory=dict)  # truth label -> event
    order: list[_OpenEvent] = field(default_factory=list)  # every event, in creation order
    docs: list[DocRecord] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # doc id -> source key (reposts)
    # Publication and event years -> first evidence, as Linker._story_year reads them.
    years: Counter[int] = field(default_factory=Counter)
    evidence: dict[int, str] = field(default_factory=dict)
    touched: int = 0  # story-clock tick of its last document

    @property
    def name(self) -> str:
        return story_name(self.sid)

    def add_year(self, year: int, why: str) -> None:
        self.years[year] += 1
        self.evidence.setdefault(year, why)


class _Frequencies(MemoryStoryState):
    """Document frequencies of the story clusterer's terms, kept in memory while loading
    and written to ``story_df`` once at the end."""

    def table(self) -> list[tuple[int, int]]:
        return sorted(self._df.items())


class _Ledger(Linker):
    """The link stage's event rebuild, fed from memory: ``Linker.refresh_event`` reloads
    every report from the store, which is where most of its time goes; here the reports
    are at hand. The story year that dates year-less events comes from the open story."""

    def __init__(self, store: SQLiteStore) -> None:
        super().__init__(store)
        self.open: dict[str, _OpenStory] = {}

    def _story_year(self, story: str | None) -> tuple[int, str] | None:
        s = self.open.get(story or "")
        if s is None or not s.years:
            return None
        year = max(s.years, key=lambda y: (s.years[y], y))
        return year, s.evidence[year]

    def finish(self, event: _OpenEvent, story: _OpenStory, stances: bool) -> EventRecord:
        """Write one event as ``Linker.refresh_event`` does for an event none of whose
        members is built yet: signature and blocking keys, each member's claims and
        origin, conflicts, stances, date, label and independent-source count."""
        event_id = event.id
        save_event_signature(self.links, event_id, [r.signature for r in event.reports])
        claims: list[Claim] = []
        rows: list[LedgerMember] = []
        for r in event.reports:
            m = Member(
                r.doc,
                r.incident,
                r.analysis.mentions,
                r.analysis.entities,
                r.root,
                r.root_source,
                UNDERSTAND.tag,
            )
            claims.extend(build_claims(m, event_id))
            key = origin(m, m.mentions[r.incident.members[0].mention])
            self.links.set_origin(r.doc.id, r.incident.index, key)
            seq = r.doc.seq or 0  # set by insert_document
            rows.append(LedgerMember(r.doc.id, seq, r.incident.index, r.data, r.sig_json, key, []))
        self.links.save_claims(event_id, claims)
        self.links.save_conflicts(event_id, find_conflicts(event_id, claims))
        if stances:
            self._stances(rows, claims)
        record = self.event_record(
            event_id,
            story.name,
            [(r.incident, r.doc.id) for r in event.reports],
            claims,
            len({row.origin for row in rows}),
        )
        self.links.save_event(record)
        return record


class _Builder:
    """Adds generated documents to a store and keeps what their stories and events need
    until the world stops writing about them."""

    def __init__(self, store: SQLiteStore, world: World, stances: bool) -> None:
        self.store = store
        self.world = world
        self.stances = stances
        self.ledger = _Ledger(store)
        self.links = self.ledger.links
        self.state = SqliteStoryState(store.conn)
        self.df = _Frequencies()
        self.open: dict[int, _OpenStory] = {}  # world story number -> its open story
        self.stories = 0  # stories handed out (story-000001 is the first)
        self.documents = 0  # documents stored: the story clusterer's clock
        self.duplicates = 0
        self._headlines: frozenset[int] = frozenset()

    # --- one document -------------------------------------------------------------------

    def add(self) -> bool:
        """Generate and store one document; False when its text was already stored."""
        doc, analysis = self.world.next()
        truth = self.world.truth
        stored = self.store.find_by_hash(doc.content_hash) is None
        if stored:
            story = self._story(truth.story)
            shingles = dedup.shingles(dedup.content_text(doc.text, doc.blocks))
            self.store.insert_document(doc, dedup.fingerprints(shingles), STAGE)
            self.store.save_analysis(analysis)
            resolve_entities(self.links, analysis.entities)
            self._assign(doc, story)
            self.links.mark_linked(doc.id, LINK.tag, story.name)
            self._link(doc, analysis, truth.events, story)
        else:
            self.duplicates += 1
        if truth.story in self.open and all(s.index != truth.story for s in self.world.active):
            self._finish(self.open.pop(truth.story))
        return stored

    def _story(self, number: int) -> _OpenStory:
        story = self.open.get(number)
        if story is None:
            self.stories += 1
            story = self.open[number] = _OpenStory(self.stories)
        return story

    def _assign(self, doc: Document, story: _OpenStory) -> None:
        """What StoryClusterer.add stores for a document, with the story given."""
        # The text StoryAssigner hands to the clusterer.
        text = " ".join(doc.block_text(b) for b in doc.blocks if b.kind.is_content) or doc.text
        if doc.title:
            text = f"{doc.title}\n{text}"
        parsed = _parse(text)
        features = parsed.features
        self.df.count_terms(features)
        self.documents += 1
        weights = _Weights(self.df, self.documents)
        weights.load(features)
        vec = weights.vector(parsed.counts)
        top = sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TERMS]
        keys = tuple(sorted({h for h, _ in top} | set(parsed.salient)))
        record = DocRecord(
            doc.id, self.documents, parsed.counts, parsed.salient, keys, parsed.years
        )
        first = not story.docs
        story.docs.append(record)
        story.touched = self.documents
        story.sources[doc.id] = doc.source.key
        published = doc.published.value
        if published and published[:4].isdigit():
            story.add_year(int(published[:4]), f"published {published[:10]} ({doc.id})")
        self.state.post(story.sid, keys, self.documents)
        why = "new" if first else "joined"
        self.state.add_document(
            record, Assignment(doc.id, story.sid, 0.0 if first else 1.0, f"{why}: {TRUTH_NOTE}")
        )

    def _link(
        self,
        doc: Document,
        analysis: DocumentAnalysis,
        labels: Sequence[str],
        story: _OpenStory,
    ) -> None:
        """Each incident joins the open event of its ground-truth label, or starts one."""
        root = doc.copy.original if doc.copy else doc.id
        root_source = doc.source.key
        if root != doc.id:
            known = story.sources.get(root)
            root_source = known if known is not None else self.store.get_document(root).source.key
        headlines = {i for i, b in enumerate(doc.blocks) if b.kind in HEADLINE_KINDS}
        for inc in group_incidents(doc, analysis):
            sig = signature(doc, analysis, inc)
            label = _label(inc, analysis, labels, headlines)
            event = story.events.get(label) if label else None
            # One document's incidents never share an event (the stage tells them apart).
            if event is not None and event.reports[-1].doc.id == doc.id:
                event = None
            if event is None:
                event = _OpenEvent(self.links.create_event(inc.kind, story.name))
                story.order.append(event)
                if label and label not in story.events:
                    story.events[label] = event
                score, evidence = None, ["new event"]
            else:
                s = cluster_score(sig, [event.reports[-1].signature], f"event-{event.id}")
                score, evidence = round(s.score, 3), [*s.evidence, TRUTH_NOTE]
            data, sig_data = inc.to_dict(), sig.to_dict()
            self.links.save_incident(
                doc.id, inc.index, inc.anchor, data, sig_data, event.id, score, evidence
            )
            report = _Report(
                doc, analysis, inc, sig, root, root_source, _json(data), _json(sig_data)
            )
            event.reports.append(report)

    # --- stories that are over --------------------------------------------------------------

    def _finish(self, story: _OpenStory) -> None:
        """Build the ledgers of a story's events and write its clusterer state."""
        self.ledger.open[story.name] = story
        try:
            for event in story.order:
                record = self.ledger.finish(event, story, self.stances)
                if record.date and record.date[:4].isdigit() and record.date_method != "inferred":
                    story.add_year(int(record.date[:4]), f"event {record.id} dated {record.date}")
        finally:
            del self.ledger.open[story.name]
        sums = _sums(story.docs)
        years, dated = _years_of(story.docs)
        # The norm under the IDF of now, as refinement recomputes it.
        norm_sq = _Weights(self.df, self.documents).norm_sq(sums)
        # Written as refinement leaves a story it has examined (see close()).
        size = len(story.docs)
        head = StoryHead(story.sid, size, norm_sq, dated, years, story.touched, checked=size)
        self.state.save_story(head, sums)

    def close(self) -> None:
        """Finish every story still open and write the clusterer's frequencies and counters."""
        for number in sorted(self.open, key=lambda n: self.open[n].sid):
            self._finish(self.open.pop(number))
        self.store.conn.executemany(
            "INSERT INTO story_df (term, df) VALUES (?, ?)"
            " ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
            self.df.table(),
        )
        # Every story has been "refined" up to now: the next refinement looks only at the
        # stories that later documents touch.
        n = self.documents
        self.state.save_counters(Counters(documents=n, stories=self.stories, tick=n, refined=n))


def _label(
    inc: Incident, analysis: DocumentAnalysis, labels: Sequence[str], headlines: set[int]
) -> str:
    """The ground-truth event of an incident: the label of its first body mention (a
    headline summarises and may name another event), else of any of its mentions."""
    ids = [m.mention for m in inc.members if m.role is not Role.REASON]
    body = [i for i in ids if analysis.mentions[i].block not in headlines]
    for i in body or ids:
        if i < len(labels) and labels[i]:
            return labels[i]
    return ""


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False)


def _count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])


def fts_table(conn: sqlite3.Connection) -> str | None:
    """Name of the store's full-text (FTS5) table over documents, if a migration made one."""
    row = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'"
        " AND lower(sql) LIKE 'create virtual table%using fts5%' ORDER BY name LIMIT 1"
    ).fetchone()
    return None if row is None else str(row[0])


def build_store(
    path: str | Path,
    documents: int,
    seed: int = DEFAULT_SEED,
    progress: ProgressFactory | None = None,
    *,
    world: World | None = None,
    stances: bool = True,
) -> BuildReport:
    """Write ``documents`` generated documents, linked, into a new store at ``path``.

    The store is created through ``SQLiteStore`` (every migration applies); a file that
    already holds documents is refused. ``world`` is the stream to draw from (default
    ``World(seed)``): pass one to keep drawing documents from the same stream afterwards,
    e.g. to link a few more through the real stage. ``stances=False`` leaves every
    incident's stance list empty (the stance model is the dearest part of the ledger).
    """
    if documents < 1:
        raise SettingError(f"documents: must be at least 1, got {documents}")
    world = world if world is not None else World(seed)
    bar = progress or _silent
    started = time.perf_counter()
    store = SQLiteStore(path)
    try:
        existing = _count(store.conn, "documents")
        if existing:
            raise StoreError(
                f"{path}: already holds {existing} documents; build_store writes a new store"
            )
        for pragma in BULK_PRAGMAS:
            store.conn.execute(pragma)
        builder = _Builder(store, world, stances)
        stored = 0
        with bar("build store", documents) as step:
            while stored < documents:
                with store.transaction():
                    goal = min(documents, stored + CHUNK)
                    while stored < goal:
                        if builder.add():
                            stored += 1
                            step(1)
                    if stored == documents:
                        builder.close()
        store.conn.execute("PRAGMA synchronous = NORMAL")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        seconds = time.perf_counter() - started
        conn = store.conn
        fts = fts_table(conn)
        return BuildReport(
            path=str(path),
            seed=world.seed,
            documents=stored,
            duplicates=builder.duplicates,
            sources=_count(conn, "sources"),
            entities=_count(conn, "entities"),
            incidents=_count(conn, "incidents"),
            events=_count(conn, "events"),
            stories=builder.stories,
            claims=_count(conn, "claims"),
            conflicts=_count(conn, "conflicts"),
            fts_rows=None if fts is None else _count(conn, fts),
            seconds=round(seconds, 1),
            docs_per_s=round(stored / seconds, 1) if seconds else 0.0,
            db_mb=round(os.path.getsize(store.path) / 1e6, 1),
        )
    finally:
        store.close()


# --- how a store compares with one grown by the link stage ---------------------------------

# Tables whose size per document says whether a bulk store looks like a linked one.
PROFILE_TABLES = (
    "sources",
    "blocks",
    "fingerprints",
    "sightings",
    "analyses",
    "entity_mentions",
    "timexes",
    "event_mentions",
    "entities",
    "entity_keys",
    "entity_surnames",
    "events",
    "event_keys",
    "incidents",
    "claims",
    "conflicts",
    "linked",
    "story_df",
    "story_stories",
    "story_terms",
    "story_postings",
    "story_docs",
    "story_doc_terms",
)


@dataclass(frozen=True, slots=True)
class StoreProfile(Record):
    documents: int
    per_document: dict[str, float]  # table -> rows per document
    stories: int  # stories that documents are in
    events_per_story: float
    reports_per_event: float  # incidents per event
    documents_per_event: float
    largest_event: int  # documents of the largest event
    keys_per_event: float  # blocking keys (event_keys rows) per event
    postings_per_key: float  # events per distinct blocking key (mean posting length)
    longest_posting: int
    stance_share: float  # incidents with a stance stored
    origin_share: float  # incidents whose ledger origin is stored


def profile(path: str | Path) -> StoreProfile:
    """Sizes and shapes of a store's tables, per document, read-only."""
    store = SQLiteStore(path, readonly=True)
    try:
        conn = store.conn
        one = lambda sql: conn.execute(sql).fetchone()[0] or 0  # noqa: E731
        docs = max(_count(conn, "documents"), 1)
        events = max(_count(conn, "events"), 1)
        incidents = max(_count(conn, "incidents"), 1)
        stories = int(one("SELECT COUNT(DISTINCT story_id) FROM linked"))
        columns = {r[1] for r in conn.execute("PRAGMA table_info(incidents)")}
        return StoreProfile(
            documents=docs,
            per_document={t: round(_count(conn, t) / docs, 3) for t in PROFILE_TABLES},
            stories=stories,
            events_per_story=round(events / max(stories, 1), 2),
            reports_per_event=round(incidents / events, 2),
            documents_per_event=round(float(one("SELECT AVG(documents) FROM events")), 2),
            largest_event=int(one("SELECT MAX(documents) FROM events")),
            keys_per_event=round(_count(conn, "event_keys") / events, 2),
            postings_per_key=round(
                float(
                    one("SELECT AVG(n) FROM (SELECT COUNT(*) AS n FROM event_keys GROUP BY key)")
                ),
                2,
            ),
            longest_posting=int(
                one("SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM event_keys GROUP BY key)")
            ),
            stance_share=round(
                one("SELECT COUNT(*) FROM incidents WHERE stance <> '[]'") / incidents, 3
            ),
            origin_share=round(
                one("SELECT COUNT(*) FROM incidents WHERE origin IS NOT NULL") / incidents, 3
            )
            if "origin" in columns
            else 0.0,
        )
    finally:
        store.close()
