"""The link stage: across documents, resolve entities, assign stories, link incidents to
events, date events, and rebuild the claims ledger of every event a document touched.

Per document the work is bounded: entity keys, surnames and blocking keys are index
lookups, at most MAX_CANDIDATES events are scored per incident, and only the events the
document joins (plus undated events of its story, for year inference) are rebuilt. So the
cost of adding a document does not grow with the number already stored.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from .. import stages
from ..errors import ModelMissing
from ..ledger.claims import Member, build_claims, origin
from ..ledger.conflicts import find_conflicts
from ..ledger.stance import stance_toward
from ..ledger.types import Claim, Property
from ..records import Document, from_dict
from ..store.links import SQLiteLinks
from ..store.sqlite import SQLiteStore
from ..understand.entities import titles_data, translit_key
from ..understand.stage import UNDERSTAND
from ..understand.types import DocumentAnalysis, EntityMention, EntityType, EventMention
from .dates import CalendarDate, combine, parse_calendar
from .embed import TextEmbedder, quantise
from .eventcoref import (
    LINK_THRESHOLD,
    MAX_MEMBERS,
    MAX_POSTING,
    EventSignature,
    aggregate,
    blocking_keys,
    cluster_score,
    context_vector,
    key_weight,
    pair_score,
)
from .incidents import Incident, Role, group_incidents, place_containment
from .types import EventRecord, LedgerMember

LINK = stages.register(
    stages.Stage(
        "link",
        1,
        frozenset({"entities", "event_mentions"}),
        frozenset({"entity_ids", "events", "stories", "claims", "conflicts"}),
        "entities across documents, stories, events, claims ledger and conflicts",
    )
)

# Events scored per incident: the best-sharing candidates from the blocking index. Enough
# for the handful of events one story has on a given day, small enough to bound the cost.
MAX_CANDIDATES = 30

# Story refinement (splits, merges, strays; link/stories.py) runs after this many
# documents and at the end of every run: on ECB+ refining every 50 documents scores
# within 0.005 ARI of refining once at the end.
REFINE_EVERY = 50

# Entity types resolved across documents. Demonyms (NORP) are groups, not individuals,
# but they are resolved too so that "Azerbaijanis" / "азербайджанцы" share one entity.
RESOLVED_TYPES = frozenset(t.value for t in EntityType)


@dataclass
class LinkReport:
    documents: int = 0
    incidents: int = 0
    new_events: int = 0
    joined: int = 0
    events_rebuilt: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)


# --- entities ---------------------------------------------------------------------------


def _is_latin(name: str) -> bool:
    return all(ord(ch) < 0x250 for ch in name if ch.isalpha())


@cache
def _title_tokens() -> frozenset[str]:
    """Transliterated titles (data/titles.json), each as the words it is written with."""
    data = titles_data()
    return frozenset(
        translit_key(t) for lang in ("en", "ru", "az") for t in data[lang] if translit_key(t)
    )


def _without_title(key: str) -> str:
    """``key`` with leading titles dropped ("spokeswoman maria zagarova" -> "maria
    zagarova"); at least one word stays."""
    titles = _title_tokens()
    words = key.split()
    changed = True
    while changed and len(words) > 1:
        changed = False
        for n in (3, 2, 1):
            if len(words) > n and " ".join(words[:n]) in titles:
                words, changed = words[n:], True
                break
    return " ".join(words)


def _spelling_variants(key: str) -> list[tuple[str, str]]:
    """Other keys the same name may have: Azerbaijani x is Russian/English kh
    (Zaxarova / Zakharova), English x is ks (Alexei / Aleksei)."""
    out = []
    if "x" in key:
        out += [(key.replace("x", "g"), "x/kh spelling"), (key.replace("x", "ks"), "x/ks spelling")]
    if "ks" in key:
        out.append((key.replace("ks", "x"), "ks/x spelling"))
    return out


def _find_entity(links: SQLiteLinks, key: str, type: str) -> tuple[int | None, str]:
    """An existing entity for a new mention key, and why."""
    base = _without_title(key) if type == EntityType.PER.value else key
    candidates = ([(base, "title dropped")] if base != key else []) + _spelling_variants(base)
    for variant, why in candidates:
        found = links.entity_for_key(variant, type)
        if found is not None:
            return found, f"{why} of {variant}"
    if type == EntityType.PER.value and " " not in base:
        owners = links.entities_by_surname(base)
        if len(owners) == 1:
            return owners[0][0], f"short form of {owners[0][1]}"
    return None, "new"


def resolve_entities(links: SQLiteLinks, mentions: Sequence[EntityMention]) -> dict[str, int]:
    """Entity id for each (key) of a document's mentions, creating entities as needed.

    A key seen before keeps its entity. A new key joins an entity whose key it equals once
    leading titles are dropped or a known spelling difference is undone; a one-word person
    key (a surname or short form) joins the only person with that surname. A full name
    never joins by surname alone (two Aliyevs are two people).
    """
    out: dict[str, int] = {}
    for m in sorted(mentions, key=lambda m: (-len(m.key.split()), m.start)):
        if not m.key or (m.key, m.type.value) in out:
            continue
        t = m.type.value
        found = links.entity_for_key(m.key, t)
        if found is None:
            found, reason = _find_entity(links, m.key, t)
            if found is None:
                found = links.create_entity(m.canonical, t)
            links.assign_key(m.key, t, found, reason)
            base = _without_title(m.key) if m.type is EntityType.PER else m.key
            if m.type is EntityType.PER and " " in base:
                links.add_surname(base.rsplit(" ", 1)[1], found)
        elif _is_latin(m.canonical) and not _is_latin(links.entity_row(found)["name"]):
            # Names are shown in Latin script when any source gives one.
            links.set_entity_name(found, m.canonical)
        out[m.key] = found
    return out


# --- signatures -----------------------------------------------------------------------


def _used(analysis: DocumentAnalysis, inc: Incident) -> list[EventMention]:
    """The incident's own mentions: what its reason is about is not the incident."""
    return [analysis.mentions[i] for i in inc.mention_ids() if not _is_reason(inc, i)]


def trigger_text(analysis: DocumentAnalysis, inc: Incident) -> str:
    """The words embedded for an incident's meaning: its first own trigger, lower-cased
    (single trigger words are what the weight on ECB+ was fitted on)."""
    used = _used(analysis, inc)
    return used[0].trigger.strip().lower() if used else ""


class Meanings:
    """Trigger text -> quantised embedding (link/embed.py), remembered for the process:
    a crisis corpus says "detained" / "задержаны" thousands of times, so most incidents
    cost a dictionary lookup. Without the model, incidents get no meaning and the linker
    works as before (the feature is only used when both sides have it)."""

    LIMIT = 50_000  # remembered texts; forgotten all at once beyond this

    def __init__(self) -> None:
        self._embedder: TextEmbedder | None = None
        self._memo: dict[str, tuple[int, ...]] = {}
        self.unavailable: str | None = None

    def of(self, texts: Sequence[str]) -> list[tuple[int, ...]]:
        missing = sorted({t for t in texts if t and t not in self._memo})
        if missing and self.unavailable is None:
            if len(self._memo) + len(missing) > self.LIMIT:
                self._memo.clear()
            try:
                self._embedder = self._embedder or TextEmbedder()
                rows = self._embedder.embed(missing, query=True)
            except ModelMissing as exc:
                self.unavailable = str(exc)
            else:
                self._memo.update(zip(missing, (quantise(r) for r in rows), strict=True))
        return [self._memo.get(t, ()) for t in texts]


def signature(
    doc: Document, analysis: DocumentAnalysis, inc: Incident, meaning: tuple[int, ...] = ()
) -> EventSignature:
    used = _used(analysis, inc)
    sentences = sorted({(m.evidence_start, m.evidence_end) for m in used})
    text = " ".join(doc.text[s:e] for s, e in sentences)
    contain = place_containment()
    cities = [p for p in inc.places if p in contain]
    figures = tuple(sorted({(q.kind, q.min) for m in used for q in m.quantities}))
    return EventSignature(
        ref=f"{doc.id}#{inc.index}",
        doc=doc.id,
        types=frozenset(inc.types),
        lemmas=frozenset(m.trigger.lower() for m in used),
        date=inc.date,
        places=frozenset(inc.places),
        participants=frozenset(inc.participants),
        context=context_vector(text),
        story=None,
        figures=figures,
        city=cities[0] if len(cities) == 1 else None,
        meaning=meaning,
    )


@lru_cache(maxsize=20_000)
def stored_signature(data: str) -> EventSignature:
    """An incident's signature read back from its stored JSON. A stored signature never
    changes, and the same recent members are scored for every incident of a story, so
    parsing each once (about 2 KB with its trigger meaning) saves most of the scoring.
    Built field by field rather than through ``records.from_dict``: a new report is
    scored against up to MAX_CANDIDATES x MAX_MEMBERS stored signatures, and in a big
    store many are not in memory yet; this is about three times faster."""
    d = json.loads(data)
    opt = d.get
    return EventSignature(
        ref=d["ref"],
        doc=d["doc"],
        types=frozenset(opt("types", ())),
        lemmas=frozenset(opt("lemmas", ())),
        date=opt("date"),
        places=frozenset(opt("places", ())),
        participants=frozenset(opt("participants", ())),
        context=tuple((int(h), float(v)) for h, v in opt("context", ())),
        story=opt("story"),
        figures=tuple((str(k), int(n)) for k, n in opt("figures", ())),
        city=opt("city"),
        arguments=frozenset(opt("arguments", ())),
        meaning=tuple(opt("meaning", ())),
    )


# The fields stored_signature reads: a field added to EventSignature must be read there
# too (tests/test_link_caches.py compares it with records.from_dict).
SIGNATURE_FIELDS = (
    "ref", "doc", "types", "lemmas", "date", "places", "participants", "context", "story",
    "figures", "city", "arguments", "meaning",
)  # fmt: skip


@lru_cache(maxsize=20_000)
def stored_incident(data: str) -> Incident:
    """An incident read back from its stored JSON (immutable, so shared): an event's
    rebuild reads every member, and the members of a growing event are the same rows
    rebuild after rebuild."""
    inc: Incident = from_dict(Incident, json.loads(data))
    return inc


@dataclass(frozen=True, slots=True)
class RecentMembers:
    """What scoring a candidate event needs of its most recent members, kept in memory
    between documents: ``last`` is the newest member's (document seq, index) when they
    were read, and a newer member (from this process or another) makes them stale."""

    last: tuple[int, int]
    signatures: tuple[EventSignature, ...]
    agents: frozenset[str]


def save_event_signature(links: SQLiteLinks, event_id: int, sigs: Sequence[EventSignature]) -> None:
    """Store an event's aggregate signature, its blocking keys and the aggregate of its
    MAX_MEMBERS most recent members (what ``cluster_score`` checks hard evidence
    against), from its members' signatures in ingest order."""
    ref = f"event-{event_id}"
    whole = aggregate(sigs, ref)
    recent = whole if len(sigs) <= MAX_MEMBERS else aggregate(sigs[-MAX_MEMBERS:], ref)
    links.set_signature(event_id, whole.to_dict(), blocking_keys(whole), recent.to_dict())


def _is_reason(inc: Incident, mention: int) -> bool:
    return any(m.mention == mention and m.role is Role.REASON for m in inc.members)


# --- overrides as constraints -------------------------------------------------------------


Anchor = tuple[str, int]  # (document id, trigger offset): stable across re-analysis


@dataclass
class Constraints:
    together: dict[Anchor, set[Anchor]] = field(default_factory=dict)
    apart: dict[Anchor, set[Anchor]] = field(default_factory=dict)

    @classmethod
    def load(cls, links: SQLiteLinks) -> Constraints:
        c = cls()
        for _, action, args in links.overrides("event"):
            pairs: list[tuple[Anchor, Anchor]] = [
                ((str(a[0]), int(a[1])), (str(b[0]), int(b[1]))) for a, b in args.get("pairs", [])
            ]
            target = c.together if action == "merge" else c.apart
            for a, b in pairs:
                target.setdefault(a, set()).add(b)
                target.setdefault(b, set()).add(a)
        return c


# --- the stage ------------------------------------------------------------------------------


class Linker:
    """Links analysed documents into the store's events, one document at a time."""

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store
        self.links = SQLiteLinks(store.conn)
        self.constraints = Constraints.load(self.links)
        self._stories: StoryAssigner | None = None
        self.meanings = Meanings()
        # Candidate events' recent members by event id, least recently used first: the
        # next report of a story meets the same few events, and reading their members
        # again for every incident was the part of linking that grew with the store
        # (more events, so fewer of their pages in SQLite's cache).
        self._recent: OrderedDict[int, RecentMembers] = OrderedDict()
        # Events the document being linked has just been taken out of (re-linking).
        self._changed: set[int] = set()

    @property
    def stories(self) -> StoryAssigner:
        if self._stories is None:
            self._stories = StoryAssigner(self.store)
        return self._stories

    def run(
        self,
        doc_ids: Iterable[str] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> LinkReport:
        report = LinkReport()
        ids = list(doc_ids) if doc_ids is not None else self.links.unlinked(LINK.tag)
        for n, doc_id in enumerate(ids, 1):
            try:
                with self.store.transaction():
                    self.link_document(doc_id, report)
            except Exception as exc:  # one bad document must not stop the batch
                report.failures.append((doc_id, f"{type(exc).__name__}: {exc}"))
            if progress is not None:
                progress(1)
            if n % REFINE_EVERY == 0 or n == len(ids):
                self.refine_stories()
        return report

    def refine_stories(self) -> None:
        """Let the story clusterer correct the stories touched since its last refinement
        (splits, merges, strays) and copy the changes to documents and events."""
        if self._stories is None:
            return
        with self.store.transaction():
            self._stories.clusterer.refine()
            self.links.sync_stories(self._stories.state.take_moved())

    def link_document(self, doc_id: str, report: LinkReport) -> None:
        doc = self.store.get_document(doc_id)
        analysis = self.store.get_analysis(doc_id)
        if analysis is None:
            return
        resolve_entities(self.links, analysis.entities)
        story = self.links.story_of_doc(doc_id) or self.stories.assign(doc)
        year_before = self._story_year(story)
        touched = self.links.delete_incidents(doc_id)
        self._changed = set(touched)  # a copy: ``touched`` gains the events joined below
        incidents = list(group_incidents(doc, analysis))
        meanings = self.meanings.of([trigger_text(analysis, inc) for inc in incidents])
        for inc, meaning in zip(incidents, meanings, strict=True):
            sig = signature(doc, analysis, inc, meaning)
            event_id, score, evidence = self._place(doc_id, inc, sig, story)
            if score is None:
                report.new_events += 1
            else:
                report.joined += 1
            self.links.save_incident(
                doc_id,
                inc.index,
                inc.anchor,
                inc.to_dict(),
                sig.to_dict(),
                event_id,
                score,
                evidence,
            )
            touched.add(event_id)
            report.incidents += 1
        self.links.mark_linked(doc_id, LINK.tag, story)
        # Undated events of the story get a year when this document changed the story's
        # year; otherwise they are left alone (rebuilding them all costs as much as the
        # story is long).
        for event_id in sorted(touched):
            self.refresh_event(event_id)
            report.events_rebuilt += 1
        if story is not None and self._story_year(story) != year_before:
            for event_id in sorted(set(self.links.year_unknown_events(story)) - touched):
                self.refresh_event(event_id)
                report.events_rebuilt += 1
        report.documents += 1

    def _story_year(self, story: str | None) -> tuple[int, str] | None:
        """The year a story pins (most common year of its documents' publication dates,
        else of its events' known dates) and why."""
        if story is None:
            return None
        years = self.links.story_years(story)
        if not years:
            return None
        counts = Counter(y for y, _ in years)
        year = max(counts, key=lambda y: (counts[y], y))
        return year, next(e for y, e in years if y == year)

    def _place(
        self, doc_id: str, inc: Incident, sig: EventSignature, story: str | None
    ) -> tuple[int, float | None, list[str]]:
        """The event an incident joins (or a new one), its score and the evidence."""
        anchor: Anchor = (doc_id, inc.anchor)
        for partner in self.constraints.together.get(anchor, set()):
            event = self._event_of_anchor(partner)
            if event is not None:
                return event, 1.0, ["user merge"]
        apart = self.constraints.apart.get(anchor, set())
        speakers = self.links.entities_of_keys(inc.agents) if inc.kind == "reaction" else set()
        best: tuple[float, int, list[str]] | None = None
        keys = {k: key_weight(k) for k in blocking_keys(sig)}
        found = self.links.candidate_events(keys, MAX_CANDIDATES, MAX_POSTING)
        for event_id, recent_sig in found:
            # Hard evidence against the recent members' aggregate rules a candidate out
            # (cluster_score would say "incompatible"); most candidates end here without
            # their members being read. Events this document just left are read in full:
            # their stored aggregate still counts its old incidents.
            if (
                recent_sig
                and event_id not in self._changed
                and not pair_score(sig, stored_signature(recent_sig)).compatible
            ):
                continue
            if self.links.event_has_document(event_id, doc_id):
                continue  # the document's own incidents were told apart already
            if apart and self.links.event_anchors(event_id) & apart:
                continue  # a user split them
            # Only the most recent members are scored (average linkage is capped), so
            # the work per candidate does not grow with the event.
            recent = self.recent_members(event_id)
            if recent is None:
                continue
            if speakers:
                # A statement is identified by who makes it: a demand by one ministry
                # and a demand by a parliament are two events, however alike.
                theirs = self.links.entities_of_keys(recent.agents)
                if theirs and not theirs & speakers:
                    continue
            s = cluster_score(sig, recent.signatures, f"event-{event_id}")
            if s.compatible and s.score >= LINK_THRESHOLD and (best is None or s.score > best[0]):
                best = (s.score, event_id, list(s.evidence))
        if best is not None:
            return best[1], round(best[0], 3), best[2]
        event_id = self.links.create_event(inc.kind, story)
        self.links.set_signature(event_id, sig.to_dict(), blocking_keys(sig))
        return event_id, None, ["new event"]

    RECENT_LIMIT = 4096  # events whose recent members are kept in memory

    def recent_members(self, event_id: int) -> RecentMembers | None:
        """The event's MAX_MEMBERS most recent members (None when it has none), from
        memory while no newer member has joined it."""
        last = self.links.last_member(event_id)
        if last is None:
            self._recent.pop(event_id, None)
            return None
        known = self._recent.get(event_id)
        if known is not None and known.last == last:
            self._recent.move_to_end(event_id)
            return known
        rows = self.links.recent_members(event_id, MAX_MEMBERS)
        fresh = RecentMembers(
            last,
            tuple(stored_signature(sig) for _, sig in rows),
            frozenset(k for data, _ in rows for k in stored_incident(data).agents),
        )
        self._recent[event_id] = fresh
        if len(self._recent) > self.RECENT_LIMIT:
            self._recent.popitem(last=False)
        return fresh

    def _event_of_anchor(self, anchor: Anchor) -> int | None:
        doc, offset = anchor
        try:
            rows = self.links.incidents_of(doc)
        except Exception:  # a merge partner from a deleted document
            return None
        for _, data, _, event_id in rows:
            if json.loads(data)["anchor"] == offset and event_id is not None:
                return int(event_id)
        return None

    # --- rebuilding one event -------------------------------------------------------------

    def refresh_event(self, event_id: int) -> None:
        """Rebuild one event from its members: signature, claims, conflicts, stances,
        date, label and source count. Members whose claims are already stored under the
        event (their origin is set) are not read again; only new or moved members load
        their document and analysis, so adding a report to a big event costs about as
        much as adding it to a small one (conflicts are still found over all claims)."""
        # Members this process remembers may have moved (a split, a re-linked document).
        self._recent.pop(event_id, None)
        rows = self.links.ledger_members(event_id)
        if not rows:
            self.links.delete_event(event_id)
            return
        incidents = [stored_incident(r.data) for r in rows]
        sigs = [stored_signature(r.signature) for r in rows]
        save_event_signature(self.links, event_id, sigs)
        # A document whose incidents are all built keeps its stored claims.
        stale = {r.doc_id for r in rows if r.origin is None}
        keep = {r.seq for r in rows if r.doc_id not in stale}
        origins: dict[tuple[str, int], str] = {
            (r.doc_id, r.incident): r.origin for r in rows if r.origin is not None
        }
        new_claims: list[Claim] = []
        for r, inc in zip(rows, incidents, strict=True):
            if r.doc_id not in stale:
                continue
            m = self._member(r.doc_id, inc)
            if m is None:
                continue
            new_claims.extend(build_claims(m, event_id))
            key = origin(m, m.mentions[inc.members[0].mention])
            origins[(r.doc_id, r.incident)] = key
            self.links.set_origin(r.doc_id, r.incident, key)
        self.links.save_claims(event_id, new_claims, keep=keep)
        claims = self.links.claims(event_id)
        self.links.save_conflicts(event_id, find_conflicts(event_id, claims))
        self._stances(rows, claims)
        current = self.links.get_event(event_id)
        story = current.story or self.links.story_of_doc(rows[0].doc_id)
        members = [(inc, r.doc_id) for r, inc in zip(rows, incidents, strict=True)]
        self.links.save_event(
            self.event_record(event_id, story, members, claims, len(set(origins.values())))
        )

    def event_record(
        self,
        event_id: int,
        story: str | None,
        members: Sequence[tuple[Incident, str]],
        claims: Sequence[Claim],
        sources: int,
    ) -> EventRecord:
        """An event's row from its members (incident, document id), its claims and its
        number of independent sources: date, types, place and label."""
        date, start, end, precision, method, evidence = self._date(members, story)
        types = tuple(dict.fromkeys(t for inc, _ in members for t in inc.types))
        place = _most_common(c.value for c in claims if c.property is Property.PLACE)
        label = ", ".join(t.replace("_", " ") for t in types[:3]) + (
            f" in {place}" if place else ""
        )
        return EventRecord(
            id=event_id,
            story=story,
            kind=members[0][0].kind,
            types=types,
            label=label,
            date=date,
            date_start=start,
            date_end=end,
            precision=precision,
            date_method=method,
            date_evidence=evidence,
            place=place,
            documents=len({doc for _, doc in members}),
            sources=sources,
        )

    def _member(self, doc_id: str, inc: Incident) -> Member | None:
        """What the ledger needs of one document's incident (None when unanalysed)."""
        analysis = self.store.get_analysis(doc_id)
        if analysis is None:
            return None
        doc = self.store.get_document(doc_id)
        root = doc.copy.original if doc.copy else doc.id
        root_source = doc.source.key if root == doc.id else self.store.get_document(root).source.key
        return Member(
            doc, inc, analysis.mentions, analysis.entities, root, root_source, UNDERSTAND.tag
        )

    def _stances(self, rows: Sequence[LedgerMember], claims: Sequence[Claim]) -> None:
        """Each member's stance toward the event's headline claim (the first reporter's
        sentence) and toward the stated reason, when the event has one. Only events with
        more than one document get stances: a lone report trivially supports itself.
        A member already judged against the same sentences is not judged again."""
        targets: list[tuple[str, str]] = []
        if len({r.doc_id for r in rows}) >= 2 and claims:
            first = min(claims, key=lambda c: (c.published or "9999", c.seq))
            if first.evidence:
                targets.append(("event", first.evidence[0].text))
            reasons = [c for c in claims if c.property is Property.REASON and c.evidence]
            if reasons:
                r = min(reasons, key=lambda c: (c.published or "9999", c.seq))
                targets.append(("stated_reason", r.evidence[0].text))
        docs: dict[str, Document] = {}
        for row in rows:
            if [(s.get("target"), s.get("claim")) for s in row.stance] == targets:
                continue
            doc = docs.get(row.doc_id) or self.store.get_document(row.doc_id)
            docs[row.doc_id] = doc
            found = [stance_toward(text, doc, target).to_dict() for target, text in targets]
            self.links.set_stances(row.doc_id, row.incident, found)

    def _date(
        self, members: Sequence[tuple[Incident, str]], story: str | None
    ) -> tuple[str | None, str | None, str | None, str, str, str]:
        dated: list[tuple[CalendarDate, str]] = []
        for inc, doc_id in members:
            d = parse_calendar(inc.date)
            if d is not None:
                dated.append((d, doc_id))
        if not dated:
            return None, None, None, "unknown", "unknown", ""
        value, lent = combine([d for d, _ in dated])
        assert value is not None
        best = (
            next((d, doc) for d, doc in dated if d == value)
            if any(d == value for d, _ in dated)
            else max(dated, key=lambda x: x[0].specificity())
        )
        agree = sorted({doc for d, doc in dated if d == best[0]})
        method, evidence = "reported", f"{best[0].value} in " + ", ".join(agree)
        if lent:
            sources = [f"{d.value} in {doc}" for d, doc in dated if d in lent]
            method, evidence = (
                "combined",
                f"{best[0].value} in {best[1]}; completed from " + "; ".join(sources),
            )
        pinned = self._story_year(story) if value.year is None else None
        if value.year is None and pinned is not None:
            year, why = pinned
            value = replace(value, year=year)
            method = "inferred"
            evidence += f"; year {year} from the story {story} ({why})"
        start, end = _interval(value)
        return value.value, start, end, value.precision, method, evidence


def _most_common(values: Iterable[str]) -> str | None:
    counts = Counter(values)
    return max(counts, key=lambda v: (counts[v], v)) if counts else None


def _interval(d: CalendarDate) -> tuple[str | None, str | None]:
    if d.year is None:
        return None, None
    if d.month is None:
        return f"{d.year:04d}-01-01", f"{d.year:04d}-12-31"
    if d.day is None:
        first = _dt.date(d.year, d.month, 1)
        nxt = _dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return first.isoformat(), (nxt - _dt.timedelta(days=1)).isoformat()
    try:
        day = _dt.date(d.year, d.month, d.day).isoformat()
    except ValueError:
        return None, None
    return day, day


# --- stories ----------------------------------------------------------------------------


class StoryAssigner:
    """Online story assignment kept in the store (link/stories.py does the clustering)."""

    def __init__(self, store: SQLiteStore) -> None:
        from .stories import StoryClusterer
        from .story_state import SqliteStoryState

        self.state = SqliteStoryState(store.conn)
        self.clusterer = StoryClusterer(state=self.state)

    def assign(self, doc: Document) -> str:
        text = " ".join(doc.block_text(b) for b in doc.blocks if b.kind.is_content) or doc.text
        if doc.title:
            text = f"{doc.title}\n{text}"
        sid, _, _ = self.clusterer.add(doc.id, text)
        return sid


def link_store(store: SQLiteStore, progress: Callable[[int], None] | None = None) -> LinkReport:
    """Link every analysed document not yet linked by this stage version."""
    return Linker(store).run(progress=progress)
