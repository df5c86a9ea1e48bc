"""Story state in SQLite: same assignments as in memory, across a restart, at bounded cost."""

from __future__ import annotations

import json
import math
import random
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from triangulate.link.stories import RECHECK_GROWTH, StoryClusterer
from triangulate.link.story_state import (
    DocRecord,
    MemoryStoryState,
    SqliteStoryState,
    StoryState,
    story_number,
)
from triangulate.store.sqlite import SQLiteStore

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "ecbplus_story_clustering"

# Two DUI arrests of players of one team, a month apart: most words shared, the names and
# the year differ. Online the second report joins the first story; refine() splits them.
SHARED = [
    "The San Diego Chargers said they were aware of the arrest and were gathering information .",
    "A California Highway Patrol officer said the player was pulled over on a freeway early in the morning .",
    "He was booked into county jail on suspicion of drunken driving and later released on bail .",
    "The league will review the case under its personal conduct policy , a spokesman said .",
    "Coach Norv Turner declined to comment on the arrest before practice .",
]
JACKSON = [
    "Chargers wide receiver Vincent Jackson was arrested on suspicion of DUI early Tuesday .",
    "Jackson will still play in Sunday 's divisional playoff game at Pittsburgh , the team said .",
    "Jackson , 25 , was on probation for a previous DUI arrest , officer Brad Baehr said .",
    "The receiver failed field sobriety tests on state Route 52 near Interstate 805 .",
    "Vincent Jackson caught a touchdown pass in the wild card win over Indianapolis .",
]
WILLIAMS = [
    "Chargers defensive tackle Jamal Williams was arrested on suspicion of drunken driving on February 1 , 2009 .",
    "Williams is the second Chargers player arrested for DUI in less than a month , after the 2009 playoff loss .",
    "Williams gave a blood sample , and results of the test will take weeks , police said in February 2009 .",
    "The nose tackle , a Pro Bowl pick , was stopped for speeding near downtown in 2009 .",
    "Jamal Williams has played eleven seasons for San Diego since the 1998 draft .",
]
OTHER = [
    "A magnitude 6.1 earthquake struck Sumatra on March 3 , 2009 , killing 12 people .\n"
    "Rescuers in Padang searched collapsed buildings after the earthquake .",
    "Ellen DeGeneres will host the Academy Awards in 2014 , the Academy said on Friday .\n"
    "DeGeneres previously hosted the Oscars ceremony .",
    "Rescuers in Padang pulled survivors from rubble after the Sumatra earthquake of March 3 , 2009 .",
]


def arrests(seed: int = 1, each: int = 6) -> list[tuple[str, str]]:
    """(doc id, text), the two arrests interleaved; seed 1 mixes them online."""
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    for i in range(each):
        for tag, own in (("jackson", JACKSON), ("williams", WILLIAMS)):
            lines = rng.sample(own, 3) + rng.sample(SHARED, 2)
            rng.shuffle(lines)
            out.append((f"{tag}-{i}", "\n".join(lines)))
    return out


def stream() -> list[tuple[str, str]]:
    docs = [("head", "Chargers player arrested on DUI suspicion")]
    docs += arrests()
    docs += [(f"other-{i}", t) for i, t in enumerate(OTHER)]
    docs += [(f"late-{d}", t) for d, t in arrests(seed=2, each=2)]
    return docs


Event = tuple[str, object]


def replay(
    docs: list[tuple[str, str]],
    clusterer: StoryClusterer,
    *,
    refine_every: int,
    reopen_at: int | None = None,
    reopen: Callable[[], StoryClusterer] | None = None,
) -> list[Event]:
    """Every observable result of feeding `docs`, refining every `refine_every`."""
    events: list[Event] = []
    for i, (doc_id, text) in enumerate(docs, 1):
        events.append(("add", clusterer.add(doc_id, text)))
        if i % refine_every == 0:
            events.append(("refine", clusterer.refine()))
        if i == reopen_at and reopen is not None:
            clusterer = reopen()
    events.append(("refine", clusterer.refine()))
    events.append(("stories", clusterer.stories))
    events.append(("story_of", [clusterer.story_of(d) for d, _ in docs]))
    return events


class Store:
    """A real store file, reopened on demand like a process restart would."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store = SQLiteStore(path)

    def clusterer(self) -> StoryClusterer:
        return StoryClusterer(state=SqliteStoryState(self.store.conn))

    def reopen(self) -> StoryClusterer:
        self.store.close()
        self.store = SQLiteStore(self.path)
        return self.clusterer()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "triangulate.db")
    yield s
    s.store.close()


def test_migration_creates_story_tables(store: Store) -> None:
    assert "0004_story_state" in store.store.applied_migrations()
    tables = {
        r[0]
        for r in store.store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    assert {"story_docs", "story_meta", "story_df", "story_stories", "story_terms"} <= tables
    cols = [r[1] for r in store.store.conn.execute("PRAGMA table_info(story_docs)")]
    assert cols == ["doc_id", "story_id", "score", "reason"]


def test_sqlite_matches_memory_across_reopen(store: Store) -> None:
    docs = stream()
    memory = replay(docs, StoryClusterer(), refine_every=7)
    stored = replay(
        docs, store.clusterer(), refine_every=7, reopen_at=len(docs) // 2, reopen=store.reopen
    )
    assert stored == memory
    # The split happened (it is what makes this sequence interesting) ...
    assert any(kind == "refine" and n for kind, n in memory)
    final = {doc_id: store.clusterer().story_of(doc_id) for doc_id, _ in docs}
    assert {final[f"jackson-{i}"] for i in range(6)}.isdisjoint(
        {final[f"williams-{i}"] for i in range(6)}
    )
    # ... and the product's table says the same as story_of().
    rows = dict(store.store.conn.execute("SELECT doc_id, story_id FROM story_docs").fetchall())
    assert rows == final


def test_story_ids_survive_restart(store: Store) -> None:
    c = store.clusterer()
    first = [c.add(d, t)[0] for d, t in stream()[:5]]
    c = store.reopen()
    assert c.stories == sorted(set(first))
    assert c.story_of("head") == first[0]
    sid, _, reason = c.add("quake", OTHER[0])
    assert reason.startswith("new")
    # Numbers come from a counter in the database: never reused after a restart.
    assert sid not in first
    assert int(sid.rsplit("-", 1)[1]) == max(int(s.rsplit("-", 1)[1]) for s in first) + 1
    # Adding a known document again changes nothing.
    assert c.add("head", "anything")[0] == first[0]


def test_failed_outer_transaction_leaves_no_trace(store: Store) -> None:
    c = store.clusterer()
    c.add("a", OTHER[0])
    conn = store.store.conn
    # The product adds a document inside its own per-document transaction; when that
    # fails, the story state must roll back with it and nothing may be remembered.
    conn.execute("BEGIN IMMEDIATE")
    first = c.add("b", OTHER[1])
    conn.execute("ROLLBACK")
    assert c.state.assignment("b") is None
    assert c.add("b", OTHER[1]) == first


def _plans(conn: sqlite3.Connection, statements: list[str]) -> list[str]:
    details: list[str] = []
    for sql in statements:
        if not re.match(r"\s*(SELECT|UPDATE|DELETE)\b", sql, re.IGNORECASE):
            continue
        details += [f"{r[3]} <- {sql[:80]}" for r in conn.execute("EXPLAIN QUERY PLAN " + sql)]
    return details


def test_adding_a_document_reads_by_key_only(store: Store) -> None:
    """Every query of `add` is an index search: none scans a table, so its cost does not
    grow with the number of stories or documents stored."""
    c = store.clusterer()
    for doc_id, text in stream()[:-1]:
        c.add(doc_id, text)
    c.refine()
    seen: list[str] = []
    conn = store.store.conn
    conn.set_trace_callback(seen.append)
    try:
        c.add("probe", stream()[-1][1])
    finally:
        conn.set_trace_callback(None)
    plans = _plans(conn, seen)
    assert plans
    # story_meta holds four counters whatever the store size: reading it whole is fine.
    scans = [p for p in plans if p.startswith("SCAN") and not p.startswith("SCAN story_meta")]
    assert not scans, plans


def test_memory_state_is_a_story_state() -> None:
    states: list[StoryState] = [MemoryStoryState()]
    assert StoryClusterer(state=states[0]).state is states[0]


def _ecbplus_dev(limit: int) -> list[tuple[str, str]]:
    path = DATA / "docs.dev.jsonl"
    if not path.exists():
        pytest.skip(f"ECB+ story clustering data not found at {DATA}")
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [(str(r["doc_id"]), str(r["text"])) for r in rows[:limit]]


def test_sqlite_matches_memory_on_ecbplus(store: Store) -> None:
    """Real news text exercising every refinement step (splits, merges, moved documents)."""
    docs = _ecbplus_dev(60)
    memory = replay(docs, StoryClusterer(), refine_every=20)
    stored = replay(docs, store.clusterer(), refine_every=20, reopen_at=30, reopen=store.reopen)
    assert stored == memory
    reasons = [r[0] for r in store.store.conn.execute("SELECT reason FROM story_docs")]
    for step in ("refine: split", "refine: merged", "refine: moved"):
        assert any(step in r for r in reasons), step


class CountingState(MemoryStoryState):
    """The in-memory state, counting the whole-story reads refinement makes."""

    def __init__(self) -> None:
        super().__init__()
        self.story_reads: list[int] = []

    def documents(self, sid: int) -> list[DocRecord]:
        self.story_reads.append(sid)
        return super().documents(sid)


def _grow(c: StoryClusterer, first: int, n: int) -> str:
    sid = ""
    for i in range(first, first + n):
        sid = c.add(f"jackson-{i}", "\n".join(JACKSON + SHARED[i % 2 :]))[0]
    return sid


def test_refinement_rechecks_a_story_once_it_has_grown_enough() -> None:
    state = CountingState()
    c = StoryClusterer(state=state)
    name = _grow(c, 0, 20)
    sid = story_number(name)
    c.refine()
    assert sid in state.story_reads  # examined (split check reads its documents)
    assert state.heads([sid])[sid].checked == 20
    # One more report is under RECHECK_GROWTH of 20: the story is not read again, and
    # nothing else changes (the document is still assigned online).
    state.story_reads.clear()
    assert _grow(c, 20, 1) == name
    assert c.refine() == 0
    assert state.story_reads == []
    assert state.heads([sid])[sid].checked == 20
    # A tenth of 20 more: examined again at its new size.
    _grow(c, 21, math.ceil(RECHECK_GROWTH * 20) - 1)
    c.refine()
    assert sid in state.story_reads
    assert state.heads([sid])[sid].checked == 20 + math.ceil(RECHECK_GROWTH * 20)


def test_checked_size_survives_reopen(store: Store) -> None:
    docs = stream()
    memory = StoryClusterer()
    replay(docs, memory, refine_every=5)
    stored = store.clusterer()
    replay(docs, stored, refine_every=5, reopen_at=len(docs) // 2, reopen=store.reopen)
    live = memory.state.live_stories()
    expected = {s: h.checked for s, h in memory.state.heads(live).items()}
    reopened = store.reopen().state
    assert {s: h.checked for s, h in reopened.heads(live).items()} == expected
    assert all(v > 0 for v in expected.values())  # every story was examined at some size
