"""Where `StoryClusterer` keeps its state: a small protocol and two implementations.

The clusterer does all the arithmetic; a state only stores and returns numbers, so two
states fed the same calls give bit-identical assignments. Every read is keyed by what one
document needs (the frequencies of its terms, the postings of its blocking keys, the
candidate stories and their weights for its terms), which keeps the cost of adding a
document independent of how many documents the state already holds.

- `MemoryStoryState`: plain dicts; the default, used by benchmarks and tests.
- `SqliteStoryState`: tables `story_*` of migration 0004 on an open `sqlite3.Connection`
  (the product's store). Nothing is cached between calls, so a transaction rolled back by
  the caller leaves no stale copy behind.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from typing import Protocol

# SQLite accepts at least 999 host parameters per statement (32766 since 3.32); chunks of
# this size stay under the oldest limit with room for the fixed parameters of a query.
_CHUNK = 900


def story_name(sid: int) -> str:
    """Public id of story number `sid`: fixed width so ids sort in creation order."""
    return f"story-{sid:06d}"


def story_number(name: str) -> int:
    """Inverse of `story_name`."""
    return int(name.rsplit("-", 1)[1])


@dataclass(frozen=True, slots=True)
class DocRecord:
    """What refinement needs to re-score a document later: its terms, not its text."""

    doc_id: str
    seq: int  # arrival order, starting at 1
    counts: dict[int, int]  # hashed word -> occurrences
    salient: tuple[int, ...]  # salient keys (their own key space, negative ints), sorted
    keys: tuple[int, ...]  # blocking keys used when it arrived, sorted
    years: tuple[int, ...]  # years it mentions, sorted


@dataclass(slots=True)
class StoryHead:
    """A story without its term weights: enough to score it once the weights are read."""

    sid: int
    size: int = 0
    # Squared norm of the story's IDF-weighted term sums. Kept up to date incrementally on
    # every document and recomputed exactly when refinement touches the story.
    norm_sq: float = 0.0
    dated: int = 0  # documents that mention at least one year
    years: dict[int, int] = field(default_factory=dict)  # year -> documents mentioning it
    touched: int = 0  # tick of its last change; refinement revisits recent ones
    checked: int = 0  # its size when refinement last examined it; 0 = never


@dataclass(frozen=True, slots=True)
class Assignment:
    """A document's story, with the score and the reason that put it there."""

    doc_id: str
    sid: int
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class Counters:
    documents: int = 0  # corpus size behind IDF: background plus added documents
    stories: int = 0  # last story number handed out (ids are never reused)
    tick: int = 0  # change clock: every document and every refinement step advances it
    refined: int = 0  # tick at the end of the last refinement


class StoryState(Protocol):
    """Storage behind `StoryClusterer`. Weights are absolute values computed by the caller."""

    def transaction(self) -> AbstractContextManager[None]:
        """All writes of one `add` or `refine` land together or not at all."""
        ...

    def counters(self) -> Counters: ...

    def save_counters(self, counters: Counters) -> None: ...

    def frequencies(self, terms: Sequence[int]) -> dict[int, int]:
        """Document frequency of each term (absent terms: 0)."""
        ...

    def count_terms(self, terms: Sequence[int]) -> None:
        """Add one to the document frequency of each (distinct) term."""
        ...

    def postings(self, keys: Sequence[int], limit: int) -> dict[int, list[int]]:
        """For each key, up to `limit` live stories that used it, most recent first."""
        ...

    def post(self, sid: int, keys: Sequence[int], tick: int) -> None:
        """Record that story `sid` used `keys` at `tick`. A tick is never posted for two
        stories, so "most recent" is a total order and both states agree on it."""
        ...

    def heads(self, sids: Sequence[int]) -> dict[int, StoryHead]:
        """Heads of the live stories among `sids`."""
        ...

    def weights(
        self, sids: Sequence[int], terms: Sequence[int] | None
    ) -> dict[int, dict[int, float]]:
        """Term weights of each story, restricted to `terms` (all of them when None)."""
        ...

    def save_story(self, head: StoryHead, weights: Mapping[int, float]) -> None:
        """Create or update a story; `weights` are new values, and 0.0 removes a term."""
        ...

    def retire_story(self, sid: int, into: int, tick: int, reason: str) -> None:
        """Fold story `sid` into `into`: its documents (their reasons prefixed with
        `reason`) and postings move there; the story stops being live."""
        ...

    def live_stories(self) -> list[int]:
        """Numbers of all live stories, ascending (creation order)."""
        ...

    def touched_since(self, tick: int) -> list[int]:
        """Live stories changed after `tick`, ascending."""
        ...

    def add_document(self, doc: DocRecord, assignment: Assignment) -> None: ...

    def assignment(self, doc_id: str) -> Assignment | None: ...

    def reassign(self, assignment: Assignment) -> None:
        """Move an already added document to another story."""
        ...

    def documents(self, sid: int) -> list[DocRecord]:
        """Documents of a story in arrival order (refinement only: it reads them all)."""
        ...


# --- in memory ------------------------------------------------------------------------------


class MemoryStoryState:
    """Dicts in this process; what a benchmark or a short-lived caller needs."""

    def __init__(self) -> None:
        self._counters = Counters()
        self._df: dict[int, int] = {}
        # key -> {story: tick}; dict order is kept equal to tick order (a re-posted story
        # is moved to the end), so the most recent stories are read from the end.
        self._postings: dict[int, dict[int, int]] = {}
        self._story_keys: dict[int, set[int]] = {}
        self._heads: dict[int, StoryHead] = {}
        self._weights: dict[int, dict[int, float]] = {}
        self._docs: dict[str, DocRecord] = {}
        self._assignments: dict[str, Assignment] = {}
        self._members: dict[int, set[str]] = {}

    @contextmanager
    def transaction(self) -> Iterator[None]:
        # Nothing to roll back to: a failure half-way through an `add` is a bug, not an
        # expected event, in a state that only lives as long as the process.
        yield

    def counters(self) -> Counters:
        return self._counters

    def save_counters(self, counters: Counters) -> None:
        self._counters = counters

    def frequencies(self, terms: Sequence[int]) -> dict[int, int]:
        return {t: self._df.get(t, 0) for t in terms}

    def count_terms(self, terms: Sequence[int]) -> None:
        for t in set(terms):
            self._df[t] = self._df.get(t, 0) + 1

    def postings(self, keys: Sequence[int], limit: int) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for k in keys:
            posting = self._postings.get(k)
            if not posting:
                continue
            recent: list[int] = []
            for sid in reversed(posting):
                recent.append(sid)
                if len(recent) == limit:
                    break
            out[k] = recent
        return out

    def post(self, sid: int, keys: Sequence[int], tick: int) -> None:
        mine = self._story_keys.setdefault(sid, set())
        for k in keys:
            posting = self._postings.setdefault(k, {})
            posting.pop(sid, None)
            posting[sid] = tick
            mine.add(k)

    def heads(self, sids: Sequence[int]) -> dict[int, StoryHead]:
        return {
            s: replace(self._heads[s], years=dict(self._heads[s].years))
            for s in sids
            if s in self._heads
        }

    def weights(
        self, sids: Sequence[int], terms: Sequence[int] | None
    ) -> dict[int, dict[int, float]]:
        out: dict[int, dict[int, float]] = {}
        for s in sids:
            vec = self._weights.get(s, {})
            if terms is None:
                out[s] = dict(vec)
            else:
                out[s] = {t: vec[t] for t in terms if t in vec}
        return out

    def save_story(self, head: StoryHead, weights: Mapping[int, float]) -> None:
        self._heads[head.sid] = replace(head, years=dict(head.years))
        vec = self._weights.setdefault(head.sid, {})
        for t, w in weights.items():
            if w == 0.0:
                vec.pop(t, None)
            else:
                vec[t] = w
        self._members.setdefault(head.sid, set())

    def retire_story(self, sid: int, into: int, tick: int, reason: str) -> None:
        keys = sorted(self._story_keys.pop(sid, set()))
        for k in keys:
            self._postings[k].pop(sid, None)
        self.post(into, keys, tick)
        for doc_id in self._members.pop(sid, set()):
            a = self._assignments[doc_id]
            self._assignments[doc_id] = Assignment(doc_id, into, a.score, f"{reason} | {a.reason}")
            self._members[into].add(doc_id)
        self._heads.pop(sid, None)
        self._weights.pop(sid, None)

    def live_stories(self) -> list[int]:
        return sorted(self._heads)

    def touched_since(self, tick: int) -> list[int]:
        return sorted(s for s, h in self._heads.items() if h.touched > tick)

    def add_document(self, doc: DocRecord, assignment: Assignment) -> None:
        self._docs[doc.doc_id] = doc
        self._assignments[doc.doc_id] = assignment
        self._members.setdefault(assignment.sid, set()).add(doc.doc_id)

    def assignment(self, doc_id: str) -> Assignment | None:
        return self._assignments.get(doc_id)

    def reassign(self, assignment: Assignment) -> None:
        old = self._assignments[assignment.doc_id]
        self._members[old.sid].discard(assignment.doc_id)
        self._assignments[assignment.doc_id] = assignment
        self._members.setdefault(assignment.sid, set()).add(assignment.doc_id)

    def documents(self, sid: int) -> list[DocRecord]:
        docs = [self._docs[d] for d in self._members.get(sid, ())]
        return sorted(docs, key=lambda d: d.seq)


# --- SQLite ---------------------------------------------------------------------------------

_COUNTER_NAMES = ("documents", "stories", "tick", "refined")


def _chunks(items: Sequence[int]) -> Iterator[Sequence[int]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _doc_json(doc: DocRecord) -> str:
    # Counts as a flat [term, count, ...] list of ints: compact, and exact on the way back.
    flat = [x for t in sorted(doc.counts) for x in (t, doc.counts[t])]
    return json.dumps(
        {"c": flat, "s": list(doc.salient), "k": list(doc.keys), "y": list(doc.years)},
        separators=(",", ":"),
    )


def _doc_from(doc_id: str, seq: int, data: str) -> DocRecord:
    raw = json.loads(data)
    flat: list[int] = raw["c"]
    counts = {flat[i]: flat[i + 1] for i in range(0, len(flat), 2)}
    return DocRecord(doc_id, seq, counts, tuple(raw["s"]), tuple(raw["k"]), tuple(raw["y"]))


class SqliteStoryState:
    """Story state in the `story_*` tables of an open SQLite connection.

    The tables come from migration 0004 (`SQLiteStore` applies it). Writes go through a
    savepoint, so they join a transaction the caller already holds (the store's
    per-document transaction) or make their own. The connection's row factory and
    isolation level are left as the caller set them.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._depth = 0
        # Stories that documents were moved into (merges, re-placed strays) since the
        # last ``take_moved``: the link stage copies those documents' new stories to its
        # own tables, and looking only there keeps that copy from reading every document.
        self._moved: set[str] = set()

    def take_moved(self) -> set[str]:
        moved, self._moved = self._moved, set()
        return moved

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            yield
            return
        self.conn.execute("SAVEPOINT story_state")
        self._depth += 1
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK TO story_state")
            self.conn.execute("RELEASE story_state")
            raise
        else:
            self.conn.execute("RELEASE story_state")
        finally:
            self._depth -= 1

    # --- counters and frequencies ---------------------------------------------------------

    def counters(self) -> Counters:
        values = dict(self.conn.execute("SELECT name, value FROM story_meta").fetchall())
        return Counters(*(int(values.get(n, 0)) for n in _COUNTER_NAMES))

    def save_counters(self, counters: Counters) -> None:
        self.conn.executemany(
            "INSERT INTO story_meta (name, value) VALUES (?, ?)"
            " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            [(n, getattr(counters, n)) for n in _COUNTER_NAMES],
        )

    def frequencies(self, terms: Sequence[int]) -> dict[int, int]:
        out = dict.fromkeys(terms, 0)
        for part in _chunks(list(out)):
            sql = f"SELECT term, df FROM story_df WHERE term IN ({_marks(len(part))})"
            for term, df in self.conn.execute(sql, list(part)):
                out[term] = df
        return out

    def count_terms(self, terms: Sequence[int]) -> None:
        self.conn.executemany(
            "INSERT INTO story_df (term, df) VALUES (?, 1)"
            " ON CONFLICT(term) DO UPDATE SET df = df + 1",
            [(t,) for t in sorted(set(terms))],
        )

    # --- blocking --------------------------------------------------------------------------

    def postings(self, keys: Sequence[int], limit: int) -> dict[int, list[int]]:
        # One indexed range read per key, stopped at `limit`: a generic key held by
        # thousands of stories costs no more than a rare one.
        out: dict[int, list[int]] = {}
        sql = (
            "SELECT story_id FROM story_postings WHERE key = ? ORDER BY tick DESC, story_id DESC"
            " LIMIT ?"
        )
        for k in keys:
            rows = self.conn.execute(sql, (k, limit)).fetchall()
            if rows:
                out[k] = [r[0] for r in rows]
        return out

    def post(self, sid: int, keys: Sequence[int], tick: int) -> None:
        self.conn.executemany(
            "INSERT INTO story_postings (key, story_id, tick) VALUES (?, ?, ?)"
            " ON CONFLICT(key, story_id) DO UPDATE SET tick = excluded.tick",
            [(k, sid, tick) for k in keys],
        )

    # --- stories ---------------------------------------------------------------------------

    def heads(self, sids: Sequence[int]) -> dict[int, StoryHead]:
        out: dict[int, StoryHead] = {}
        for part in _chunks(list(sids)):
            sql = (
                "SELECT id, size, norm_sq, dated, years, touched, checked FROM story_stories"
                f" WHERE merged_into IS NULL AND id IN ({_marks(len(part))})"
            )
            for sid, size, norm_sq, dated, years, touched, checked in self.conn.execute(
                sql, list(part)
            ):
                out[sid] = StoryHead(
                    sid,
                    size,
                    norm_sq,
                    dated,
                    {int(y): c for y, c in json.loads(years).items()},
                    touched,
                    checked,
                )
        return out

    def weights(
        self, sids: Sequence[int], terms: Sequence[int] | None
    ) -> dict[int, dict[int, float]]:
        out: dict[int, dict[int, float]] = {s: {} for s in sids}
        if not sids:
            return out
        if terms is None:
            for s in sids:
                rows = self.conn.execute(
                    "SELECT term, weight FROM story_terms WHERE story_id = ?", (s,)
                )
                out[s] = dict(rows.fetchall())
            return out
        # The story list is short (capped candidates); the term list may need chunks.
        story_part = list(sids)
        for part in _chunks(list(terms)):
            sql = (
                "SELECT story_id, term, weight FROM story_terms"
                f" WHERE story_id IN ({_marks(len(story_part))}) AND term IN ({_marks(len(part))})"
            )
            for sid, term, weight in self.conn.execute(sql, [*story_part, *part]):
                out[sid][term] = weight
        return out

    def save_story(self, head: StoryHead, weights: Mapping[int, float]) -> None:
        self.conn.execute(
            "INSERT INTO story_stories (id, size, norm_sq, dated, years, touched, checked)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET size = excluded.size,"
            " norm_sq = excluded.norm_sq, dated = excluded.dated, years = excluded.years,"
            " touched = excluded.touched, checked = excluded.checked",
            (
                head.sid,
                head.size,
                head.norm_sq,
                head.dated,
                json.dumps({str(y): c for y, c in sorted(head.years.items())}),
                head.touched,
                head.checked,
            ),
        )
        gone = [(head.sid, t) for t, w in weights.items() if w == 0.0]
        kept = [(head.sid, t, w) for t, w in weights.items() if w != 0.0]
        self.conn.executemany("DELETE FROM story_terms WHERE story_id = ? AND term = ?", gone)
        self.conn.executemany(
            "INSERT INTO story_terms (story_id, term, weight) VALUES (?, ?, ?)"
            " ON CONFLICT(story_id, term) DO UPDATE SET weight = excluded.weight",
            kept,
        )

    def retire_story(self, sid: int, into: int, tick: int, reason: str) -> None:
        keys = [
            r[0]
            for r in self.conn.execute(
                "SELECT key FROM story_postings WHERE story_id = ? ORDER BY key", (sid,)
            )
        ]
        self.conn.execute("DELETE FROM story_postings WHERE story_id = ?", (sid,))
        self.post(into, keys, tick)
        self.conn.execute(
            "UPDATE story_docs SET story_id = ?, reason = ? || ' | ' || reason WHERE story_id = ?",
            (story_name(into), reason, story_name(sid)),
        )
        self._moved.add(story_name(into))
        self.conn.execute("DELETE FROM story_terms WHERE story_id = ?", (sid,))
        self.conn.execute(
            "UPDATE story_stories SET merged_into = ?, size = 0, norm_sq = 0, touched = ?"
            " WHERE id = ?",
            (into, tick, sid),
        )

    def live_stories(self) -> list[int]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM story_stories WHERE merged_into IS NULL ORDER BY id"
            )
        ]

    def touched_since(self, tick: int) -> list[int]:
        # No ORDER BY: sorting by id would make SQLite scan every story instead of reading
        # the recent ones through the index on `touched`.
        rows = self.conn.execute(
            "SELECT id FROM story_stories WHERE touched > ? AND merged_into IS NULL", (tick,)
        )
        return sorted(r[0] for r in rows)

    # --- documents -------------------------------------------------------------------------

    def add_document(self, doc: DocRecord, assignment: Assignment) -> None:
        self.conn.execute(
            "INSERT INTO story_doc_terms (doc_id, seq, data) VALUES (?, ?, ?)",
            (doc.doc_id, doc.seq, _doc_json(doc)),
        )
        self.conn.execute(
            "INSERT INTO story_docs (doc_id, story_id, score, reason) VALUES (?, ?, ?, ?)",
            (doc.doc_id, story_name(assignment.sid), assignment.score, assignment.reason),
        )

    def assignment(self, doc_id: str) -> Assignment | None:
        row = self.conn.execute(
            "SELECT story_id, score, reason FROM story_docs WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            return None
        return Assignment(doc_id, story_number(row[0]), row[1], row[2])

    def reassign(self, assignment: Assignment) -> None:
        self.conn.execute(
            "UPDATE story_docs SET story_id = ?, score = ?, reason = ? WHERE doc_id = ?",
            (story_name(assignment.sid), assignment.score, assignment.reason, assignment.doc_id),
        )
        self._moved.add(story_name(assignment.sid))

    def documents(self, sid: int) -> list[DocRecord]:
        rows = self.conn.execute(
            "SELECT t.doc_id, t.seq, t.data FROM story_docs d JOIN story_doc_terms t"
            " ON t.doc_id = d.doc_id WHERE d.story_id = ? ORDER BY t.seq",
            (story_name(sid),),
        )
        return [_doc_from(doc_id, seq, data) for doc_id, seq, data in rows]
