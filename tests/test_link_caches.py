"""What the link stage keeps in memory between documents (parsed signatures, the recent
members of candidate events) must say exactly what the store says."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from triangulate.link.eventcoref import EventSignature
from triangulate.link.stage import SIGNATURE_FIELDS, Linker, link_store, stored_signature
from triangulate.records import from_dict
from triangulate.store.links import SQLiteLinks
from triangulate.store.sqlite import SQLiteStore


@pytest.fixture()
def linked(analysed_demo: Path, tmp_path: Path) -> Iterator[Path]:
    db = tmp_path / "demo.db"
    shutil.copy(analysed_demo, db)
    with SQLiteStore(db) as store:
        assert not link_store(store).failures
    yield db


def test_stored_signature_reads_every_field_as_from_dict_does(linked: Path) -> None:
    assert tuple(f.name for f in dataclasses.fields(EventSignature)) == SIGNATURE_FIELDS
    with SQLiteStore(linked) as store:
        rows = [r[0] for r in store.conn.execute("SELECT signature FROM incidents")]
    assert len(rows) > 20
    with_meaning = 0
    for data in rows:
        fast = stored_signature(data)
        assert fast == from_dict(EventSignature, json.loads(data))
        with_meaning += bool(fast.meaning)
    assert with_meaning > 0  # the demo's incidents carry trigger embeddings


def test_recent_members_follow_a_member_added_by_another_connection(linked: Path) -> None:
    with SQLiteStore(linked) as mine, SQLiteStore(linked) as other:
        linker = Linker(mine)
        conn = mine.conn
        # An event whose newest member is older than some incident of another event.
        event, last_seq = conn.execute(
            "SELECT event_id, MAX(doc_seq) FROM incidents WHERE event_id IS NOT NULL"
            " GROUP BY event_id ORDER BY MAX(doc_seq) LIMIT 1"
        ).fetchone()
        newer_seq, newer_idx, sig = conn.execute(
            "SELECT doc_seq, idx, signature FROM incidents WHERE doc_seq > ? AND event_id != ?"
            " ORDER BY doc_seq DESC LIMIT 1",
            (last_seq, event),
        ).fetchone()
        first = linker.recent_members(event)
        assert first is not None and first.last[0] == last_seq
        assert linker.recent_members(event) is first  # unchanged: served from memory
        newer_doc = SQLiteLinks(other.conn).id_of(newer_seq)
        with other.transaction():
            SQLiteLinks(other.conn).move_incident(newer_doc, newer_idx, event, ["test move"])
        again = linker.recent_members(event)
        assert again is not None and again is not first
        assert again.last == (newer_seq, newer_idx)
        assert again.signatures[-1] == stored_signature(sig)


def test_documents_moved_by_story_refinement_reach_the_link_tables(linked: Path) -> None:
    # Only the stories documents were moved into are compared (not the whole store), so
    # a merge must still reach every moved document and its events.
    from triangulate.link.story_state import story_number

    with SQLiteStore(linked) as store:
        conn = store.conn
        counts = conn.execute(
            "SELECT story_id, COUNT(*) FROM story_docs GROUP BY story_id ORDER BY 2 DESC, 1"
        ).fetchall()
        assert len(counts) >= 2
        into, gone = counts[0][0], counts[1][0]
        moved_docs = {r[0] for r in conn.execute(
            "SELECT doc_id FROM story_docs WHERE story_id = ?", (gone,))}  # fmt: skip
        linker = Linker(store)
        state = linker.stories.state
        with store.transaction():
            state.retire_story(story_number(gone), story_number(into), 10**6, "test merge")
        linker.refine_stories()
        stale = conn.execute(
            "SELECT COUNT(*) FROM linked l JOIN documents d ON d.seq = l.doc_seq"
            " JOIN story_docs s ON s.doc_id = d.id WHERE l.story_id IS NOT s.story_id"
        ).fetchone()[0]
        assert stale == 0
        links = SQLiteLinks(conn)
        assert {links.story_of_doc(d) for d in moved_docs} == {into}
        assert state.take_moved() == set()  # taken by the refinement's copy
        marks = ",".join("?" * len(moved_docs))
        events = {
            r[0]
            for r in conn.execute(
                "SELECT story_id FROM events WHERE id IN (SELECT event_id FROM incidents i"
                f" JOIN documents d ON d.seq = i.doc_seq WHERE d.id IN ({marks}))",
                sorted(moved_docs),
            )
        }
        assert gone not in events
